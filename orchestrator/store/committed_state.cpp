// orchestrator/store/committed_state.cpp: the readers' copy of the store's state
// (committed_state.h).
#include "orchestrator/store/committed_state.h"

#include <mutex>

namespace deploylab::store {

CommittedState::CommittedState(WriterState state, Revision revision, Revision compact_revision)
    : state_(std::move(state)), revision_(revision), compact_revision_(compact_revision) {}

void CommittedState::apply(const CommittedBatch& batch) {
  std::unique_lock lock(mutex_);
  if (batch.leases_granted != nullptr) {
    for (const auto& [id, ttl] : *batch.leases_granted) state_.leases.grant(id, ttl);
  }
  if (batch.events != nullptr) {
    for (const Event& event : *batch.events) {
      const LeaseId old_lease = event.prev_kv ? event.prev_kv->lease : 0;
      if (event.type == EventType::put) {
        state_.leases.attach(event.kv.key, old_lease, event.kv.lease);
        state_.kv.put(event.kv);
      } else {
        state_.leases.detach(event.kv.key, old_lease);
        state_.kv.erase(event.kv.key);
      }
    }
  }
  if (batch.leases_revoked != nullptr) {
    for (LeaseId id : *batch.leases_revoked) state_.leases.revoke(id);
  }
  if (batch.revision > revision_) revision_ = batch.revision;
}

void CommittedState::set_compact_revision(Revision revision) {
  std::unique_lock lock(mutex_);
  compact_revision_ = revision;
}

WriterState CommittedState::copy() const {
  std::shared_lock lock(mutex_);
  return state_;
}

}  // namespace deploylab::store
