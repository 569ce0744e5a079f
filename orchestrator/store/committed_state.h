// orchestrator/store/committed_state.h: what readers see: the state as of the last commit.
//
// The writer changes its own WriterState while it applies a batch, before the batch is on
// disk; readers must not see those changes yet (the fsync could still fail, or the machine
// could die, and then a reader would have seen a write that never happened). So readers get a
// second copy that moves only after a successful commit, by replaying the batch's events
// (store.h tells the whole path of a write). A shared lock lets many readers in at once.
#pragma once

#include <functional>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "orchestrator/store/txn_apply.h"

namespace deploylab::store {

// The changes of one committed batch, as the readers' copy takes them.
struct CommittedBatch {
  const std::vector<Event>* events = nullptr;
  const std::vector<std::pair<LeaseId, std::int64_t>>* leases_granted = nullptr;
  const std::vector<LeaseId>* leases_revoked = nullptr;
  Revision revision = 0;
};

class CommittedState {
 public:
  CommittedState(WriterState state, Revision revision, Revision compact_revision);

  // Runs `read` under the shared lock with a consistent (state, revision, compacted revision).
  template <class F>
  auto read(F&& read) const {
    std::shared_lock lock(mutex_);
    return read(state_, revision_, compact_revision_);
  }

  // Writer: replays one committed batch.
  void apply(const CommittedBatch& batch);
  void set_compact_revision(Revision revision);
  // Writer, after a failed commit: a copy to start again from.
  WriterState copy() const;

 private:
  mutable std::shared_mutex mutex_;
  WriterState state_;
  Revision revision_;
  Revision compact_revision_;
};

}  // namespace deploylab::store
