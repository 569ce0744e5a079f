// orchestrator/store/txn_apply.h: what a write does to the store, as pure functions (lab 10).
//
// Each function takes the writer's current state (the KvIndex of live keys and the LeaseTable),
// the revision this write would get, and a request; it checks the request, changes the state
// and returns the response plus the events it caused, in order. Nothing here touches the disk
// or the clock: the store (store.cpp) calls these from its single writer thread, writes the
// events to SQLite and hands them to the watchers. That split is what makes the MVCC rules
// testable one by one:
//   - a put of a new key: create_revision = mod_revision = rev, version 1;
//   - a put of an existing key: create_revision kept, version + 1, mod_revision = rev;
//   - a delete: one event per live key in the range; the key's next put starts at version 1;
//   - a write that changes nothing (a delete of nothing, a txn of reads) does not use `rev`:
//     the response carries rev - 1, the unchanged current revision;
//   - a transaction is all or nothing at one revision: if any op fails, nothing changed.
#pragma once

#include <vector>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/kv_index.h"
#include "orchestrator/store/lease_table.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store {

// The writer's state. apply_* change it only when they succeed.
struct WriterState {
  KvIndex kv;
  LeaseTable leases;
};

// Every event carries prev_kv (the version before the change, if there was one): the store
// needs it for watchers that asked for prev_kv, and for the history on disk.
template <class Response>
struct Applied {
  Response response;
  std::vector<Event> events;  // empty: nothing changed, `rev` was not used
};

StoreResult<Applied<PutResponse>> apply_put(WriterState& state, const PutRequest& request, Revision rev);
StoreResult<Applied<DeleteRangeResponse>> apply_delete_range(WriterState& state,
                                                             const DeleteRangeRequest& request, Revision rev);
StoreResult<Applied<TxnResponse>> apply_txn(WriterState& state, const TxnRequest& request, Revision rev);
// Deletes the lease's keys (events at `rev`, if it had any) and forgets the lease.
StoreResult<Applied<LeaseRevokeResponse>> apply_lease_revoke(WriterState& state, LeaseId id, Revision rev);

// Whether one compare holds in `kv` (every key of its range must satisfy it; a range with no
// live key is compared as one missing key, as etcd does).
bool compare_holds(const KvIndex& kv, const Compare& compare);

// A read at the current revision (the ops inside a transaction, and the store's reads): limit,
// count_only and keys_only applied. `current` is the revision to put in the response.
RangeResponse read_range(const KvIndex& kv, const RangeRequest& request, Revision current);

// Checks a transaction before it runs: at most 128 compares and 128 ops per list, no key put
// twice in one branch and no put inside a delete range of the same branch (overlapping deletes
// are allowed, as in etcd), no empty key.
StoreResult<bool> validate_txn(const TxnRequest& request);

}  // namespace deploylab::store
