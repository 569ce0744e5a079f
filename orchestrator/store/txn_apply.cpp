// orchestrator/store/txn_apply.cpp: the MVCC rules of one write (txn_apply.h), as etcd 3.4
// applies them.
//
// A worked example. Start at revision 1 (an empty store) and apply, one request per revision:
//
//   rev 2  put a=1             a: create 2, mod 2, version 1
//   rev 3  put a=2             a: create 2, mod 3, version 2   (create_revision kept)
//   rev 4  delete a            event: delete of a at 4; a is gone, its version with it
//   -      delete a            nothing to delete: revision stays 4, rev 5 is not used
//   rev 5  put a=3             a: create 5, mod 5, version 1   (a new life of the key)
//   rev 6  txn {put b, put c}  b and c both get mod_revision 6: one request, one revision
//
// Every function checks everything that can fail before it changes anything, so a request that
// fails leaves the state as it was; a transaction checks all the ops of its branch first
// (check_branch), which is what lets it be all or nothing without copying the store.
// The read side (read_range, compare_holds) is in kv_read.cpp.
#include "orchestrator/store/txn_apply.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "common/error.h"  // NotImplemented, for the student kit's stubs

namespace deploylab::store {
namespace {

// etcd's --max-txn-ops default: the most compares, or ops in one branch, of a transaction.
constexpr std::size_t kMaxTxnOps = 128;

// ---- Checks that need no state (etcd's checkPutRequest and friends, before raft).

std::optional<StoreError> put_request_error(const PutRequest& request) {
  if (request.key.empty()) return StoreError::make(StoreErrc::empty_key);
  // ignore_value means "keep the value the key has": a value as well is a contradiction.
  if (request.ignore_value && !request.value.empty()) {
    return StoreError::make(StoreErrc::invalid_argument, "etcdserver: value is provided");
  }
  if (request.ignore_lease && request.lease != 0) {
    return StoreError::make(StoreErrc::invalid_argument, "etcdserver: lease is provided");
  }
  return std::nullopt;
}

std::optional<StoreError> op_request_error(const RequestOp& op) {
  if (const auto* put = std::get_if<PutRequest>(&op)) return put_request_error(*put);
  if (const auto* range = std::get_if<RangeRequest>(&op); range && range->key.empty()) {
    return StoreError::make(StoreErrc::empty_key);
  }
  if (const auto* del = std::get_if<DeleteRangeRequest>(&op); del && del->key.empty()) {
    return StoreError::make(StoreErrc::empty_key);
  }
  return std::nullopt;
}

// Whether two writes of one branch hit the same key: two puts of one key, or a put of a key
// that a delete of the branch covers (etcd's checkIntervals). Which would win is a question
// of op order nobody should have to think about, so etcd refuses the transaction. Two deletes
// may overlap: the second simply finds fewer keys. (At most 128 ops: the quadratic loop is fine.)
// One difference: etcd 3.4 compares a range_end of "\0" as a plain string here, so it lets a
// put through under an unbounded delete (and panics if that put has ignore_value); contains()
// knows "\0" means "no upper bound", so such a transaction is a duplicate here.
bool writes_collide(const std::vector<RequestOp>& ops) {
  std::vector<KeyRange> deleted;
  for (const RequestOp& op : ops) {
    if (const auto* del = std::get_if<DeleteRangeRequest>(&op)) deleted.push_back(KeyRange{del->key, del->range_end});
  }
  std::set<std::string_view> put_keys;
  for (const RequestOp& op : ops) {
    const auto* put = std::get_if<PutRequest>(&op);
    if (put == nullptr) continue;
    if (!put_keys.insert(put->key).second) return true;
    auto covers_key = [&](const KeyRange& range) { return contains(range, put->key); };
    if (std::any_of(deleted.begin(), deleted.end(), covers_key)) return true;
  }
  return false;
}

// ---- Checks against the state, made before anything is written.

std::optional<StoreError> lease_error(const LeaseTable& leases, LeaseId lease) {
  if (lease != 0 && !leases.contains(lease)) return StoreError::make(StoreErrc::lease_not_found);
  return std::nullopt;
}

// ignore_value and ignore_lease keep something of the current version, so there must be one.
std::optional<StoreError> missing_key_error(const KvIndex& kv, const PutRequest& request) {
  const bool needs_current = request.ignore_value || request.ignore_lease;
  if (needs_current && kv.find(request.key) == nullptr) return StoreError::make(StoreErrc::key_not_found);
  return std::nullopt;
}

// A range inside a transaction reads the state as the ops before it left it. This index has no
// history, so it can serve revision 0 ("now"), or the revision before the transaction while the
// branch has written nothing yet; etcd refuses a revision the store has not reached (as here)
// and reads older ones from its history, which this pure code cannot (we refuse those).
std::optional<StoreError> txn_read_error(const RangeRequest& request, Revision rev, bool written) {
  if (request.revision <= 0) return std::nullopt;
  if (request.revision >= rev) return StoreError::make(StoreErrc::future_revision);
  if (request.revision == rev - 1 && !written) return std::nullopt;
  return StoreError::make(StoreErrc::invalid_argument,
                          "a range inside a transaction reads the current revision only; leave its revision 0");
}

// Everything that could make an op of the branch fail, checked on the state before the
// transaction. That is the state each put will see: validate_txn made sure no other op of the
// branch writes its key. Order as etcd: the key first, then the lease (etcd's checkPut).
std::optional<StoreError> check_branch(const WriterState& state, const std::vector<RequestOp>& ops, Revision rev) {
  bool written = false;
  for (const RequestOp& op : ops) {
    if (const auto* range = std::get_if<RangeRequest>(&op)) {
      if (auto error = txn_read_error(*range, rev, written)) return error;
      continue;
    }
    written = true;
    const auto* put = std::get_if<PutRequest>(&op);
    if (put == nullptr) continue;
    if (auto error = missing_key_error(state.kv, *put)) return error;
    if (auto error = lease_error(state.leases, put->lease)) return error;
  }
  return std::nullopt;
}

// ---- The MVCC rules.

// The version a put makes of its key, given the key's live version (nullopt: absent).
KeyValue next_version(const std::optional<KeyValue>& current, const PutRequest& request, Revision rev) {
  // BEGIN SOLUTION lab 10: the next version of a key (MVCC)
  KeyValue next{.key = request.key, .value = request.value, .create_revision = rev, .mod_revision = rev,
                .version = 1, .lease = request.lease};
  if (!current) return next;  // a new key, or the first put after a delete
  next.create_revision = current->create_revision;
  next.version = current->version + 1;
  if (request.ignore_value) next.value = current->value;
  if (request.ignore_lease) next.lease = current->lease;
  return next;
  // END SOLUTION
}

// Makes `next` the live version of its key and moves the key from its old lease to its new one.
Event write_version(WriterState& state, KeyValue next, std::optional<KeyValue> previous) {
  state.leases.attach(next.key, previous ? previous->lease : 0, next.lease);
  state.kv.put(next);
  return Event{.type = EventType::put, .kv = std::move(next), .prev_kv = std::move(previous)};
}

// Deletes the live key `current` at `rev`. The event's kv has only the key and the revision of
// the delete, as in etcd; the version that was deleted travels as prev_kv.
Event delete_version(WriterState& state, KeyValue current, Revision rev) {
  // BEGIN SOLUTION lab 10: delete a key at a revision
  state.leases.detach(current.key, current.lease);
  state.kv.erase(current.key);
  KeyValue tombstone;
  tombstone.key = current.key;
  tombstone.mod_revision = rev;
  return Event{.type = EventType::remove, .kv = std::move(tombstone), .prev_kv = std::move(current)};
  // END SOLUTION
}

// The revision a response reports: `rev` once something changed, else the unchanged rev - 1.
Revision revision_after(const std::vector<Event>& events, Revision rev) { return events.empty() ? rev - 1 : rev; }

// Moves `applied`'s events to the end of `events` and returns its response.
template <class Response>
Response collect(Applied<Response> applied, std::vector<Event>& events) {
  events.insert(events.end(), std::make_move_iterator(applied.events.begin()),
                std::make_move_iterator(applied.events.end()));
  return std::move(applied.response);
}

// Runs one op of a checked branch at `rev`; its events join `events` (the transaction's, so
// far). A read sees the earlier ops' writes; every response reports the revision as it stands
// after the op, as etcd's do. The checks passed, so an error here is a bug: value() throws.
ResponseOp run_op(WriterState& state, const RequestOp& op, Revision rev, std::vector<Event>& events) {
  if (const auto* range = std::get_if<RangeRequest>(&op)) {
    return read_range(state.kv, *range, revision_after(events, rev));
  }
  if (const auto* put = std::get_if<PutRequest>(&op)) return collect(apply_put(state, *put, rev).value(), events);
  DeleteRangeResponse response =
      collect(apply_delete_range(state, std::get<DeleteRangeRequest>(op), rev).value(), events);
  response.revision = revision_after(events, rev);  // an earlier op may have written already
  return response;
}

bool all_compares_hold(const KvIndex& kv, const std::vector<Compare>& compares) {
  return std::all_of(compares.begin(), compares.end(), [&](const Compare& c) { return compare_holds(kv, c); });
}

}  // namespace

StoreResult<Applied<PutResponse>> apply_put(WriterState& state, const PutRequest& request, Revision rev) {
  if (auto error = put_request_error(request)) return *error;
  // Outside a transaction etcd looks at the lease before the key (inside one, the other way).
  if (auto error = lease_error(state.leases, request.lease)) return *error;
  if (auto error = missing_key_error(state.kv, request)) return *error;

  std::optional<KeyValue> previous = state.kv.get(request.key);
  Applied<PutResponse> applied;
  applied.response.revision = rev;
  if (request.prev_kv) applied.response.prev_kv = previous;
  KeyValue next = next_version(previous, request, rev);
  applied.events.push_back(write_version(state, std::move(next), std::move(previous)));
  return applied;
}

StoreResult<Applied<DeleteRangeResponse>> apply_delete_range(WriterState& state, const DeleteRangeRequest& request,
                                                             Revision rev) {
  if (request.key.empty()) return StoreError::make(StoreErrc::empty_key);
  // Copies first: deleting while walking the index would pull the ground from under the walk.
  std::vector<KeyValue> doomed = state.kv.range(KeyRange{request.key, request.range_end});
  Applied<DeleteRangeResponse> applied;
  for (const KeyValue& kv : doomed) applied.events.push_back(delete_version(state, kv, rev));
  applied.response.revision = revision_after(applied.events, rev);
  applied.response.deleted = static_cast<std::int64_t>(doomed.size());
  if (request.prev_kv) applied.response.prev_kvs = std::move(doomed);
  return applied;
}

StoreResult<Applied<TxnResponse>> apply_txn(WriterState& state, const TxnRequest& request, Revision rev) {
  if (auto valid = validate_txn(request); !valid.ok()) return valid.error();
  // BEGIN SOLUTION lab 10: a transaction, all or nothing
  // The compares see the state before the transaction; then one branch runs, op by op.
  const bool succeeded = all_compares_hold(state.kv, request.compare);
  const std::vector<RequestOp>& ops = succeeded ? request.success : request.failure;
  if (auto error = check_branch(state, ops, rev)) return *error;

  Applied<TxnResponse> applied;
  applied.response.succeeded = succeeded;
  for (const RequestOp& op : ops) applied.response.responses.push_back(run_op(state, op, rev, applied.events));
  applied.response.revision = revision_after(applied.events, rev);
  return applied;
  // END SOLUTION
}

StoreResult<Applied<LeaseRevokeResponse>> apply_lease_revoke(WriterState& state, LeaseId id, Revision rev) {
  if (!state.leases.contains(id)) return StoreError::make(StoreErrc::lease_not_found);
  Applied<LeaseRevokeResponse> applied;
  // revoke() forgets the lease first, so the deletes' detach() finds nothing left to do.
  for (const std::string& key : state.leases.revoke(id)) {
    std::optional<KeyValue> current = state.kv.get(key);
    if (current) applied.events.push_back(delete_version(state, std::move(*current), rev));
  }
  applied.response.revision = revision_after(applied.events, rev);
  return applied;
}

StoreResult<bool> validate_txn(const TxnRequest& request) {
  const std::size_t most = std::max({request.compare.size(), request.success.size(), request.failure.size()});
  if (most > kMaxTxnOps) return StoreError::make(StoreErrc::too_many_ops);
  for (const Compare& compare : request.compare) {
    if (compare.key.empty()) return StoreError::make(StoreErrc::empty_key);
  }
  // Both branches are checked, although only one will run: the request is wrong either way.
  for (const std::vector<RequestOp>* branch : {&request.success, &request.failure}) {
    for (const RequestOp& op : *branch) {
      if (auto error = op_request_error(op)) return *error;
    }
  }
  for (const std::vector<RequestOp>* branch : {&request.success, &request.failure}) {
    if (writes_collide(*branch)) return StoreError::make(StoreErrc::duplicate_key);
  }
  return true;
}

}  // namespace deploylab::store
