// orchestrator/store/kv_read.cpp: the two ways a request looks at the live keys without
// changing them (declared in txn_apply.h): a range read, and the compare of a transaction.
//
// Both read the writer's KvIndex as it stands: a transaction's compares run before its ops, so
// they see the state before the transaction; a range inside it runs between the ops and sees
// the writes of the ops before it (txn_apply.cpp decides which revision it reports).
#include <compare>

#include "common/error.h"  // NotImplemented, for the student kit's stubs
#include "orchestrator/store/txn_apply.h"

namespace deploylab::store {
namespace {

// Where a key's version stands against the compare's operand (etcd's compareKV): numbers as
// numbers, values byte by byte.
std::strong_ordering order_against(const KeyValue& kv, const Compare& compare) {
  switch (compare.target) {
    case Compare::Target::version: return kv.version <=> compare.number;
    case Compare::Target::create: return kv.create_revision <=> compare.number;
    case Compare::Target::mod: return kv.mod_revision <=> compare.number;
    case Compare::Target::lease: return kv.lease <=> compare.number;
    case Compare::Target::value: return kv.value <=> compare.value;
  }
  return std::strong_ordering::equal;
}

// Whether one key's version satisfies the compare: "greater" means the key's field is greater
// than the operand (version > 2 holds for a key at version 3).
bool holds_for(const KeyValue& kv, const Compare& compare) {
  // BEGIN SOLUTION lab 10: whether one key satisfies a compare
  const std::strong_ordering order = order_against(kv, compare);
  switch (compare.result) {
    case Compare::Result::equal: return order == 0;
    case Compare::Result::not_equal: return order != 0;
    case Compare::Result::greater: return order > 0;
    case Compare::Result::less: return order < 0;
  }
  return false;
  // END SOLUTION
}

}  // namespace

bool compare_holds(const KvIndex& kv, const Compare& compare) {
  // BEGIN SOLUTION lab 10: a compare over a key or a range
  bool any = false;
  bool all = true;
  kv.for_each(KeyRange{compare.key, compare.range_end}, [&](const KeyValue& each) {
    any = true;
    all = holds_for(each, compare);
    return all;  // one key that fails decides
  });
  if (any) return all;
  // No live key: etcd compares one missing key, whose numbers are all 0. Its value is not ""
  // but absent, and etcd cannot tell the two apart in a request, so a value compare on a
  // missing key fails whatever the operand and result, even "not equal".
  if (compare.target == Compare::Target::value) return false;
  return holds_for(KeyValue{}, compare);
  // END SOLUTION
}

RangeResponse read_range(const KvIndex& kv, const RangeRequest& request, Revision current) {
  // BEGIN SOLUTION lab 10: a range read with limit, count_only and keys_only
  RangeResponse response;
  response.revision = current;
  const bool limited = request.limit > 0;
  kv.for_each(KeyRange{request.key, request.range_end}, [&](const KeyValue& each) {
    ++response.count;  // count is every key in the range, whatever the limit (as etcd)
    if (request.count_only || (limited && response.count > request.limit)) return true;
    response.kvs.push_back(each);
    if (request.keys_only) response.kvs.back().value.clear();
    return true;
  });
  response.more = !request.count_only && limited && response.count > request.limit;
  return response;
  // END SOLUTION
}

}  // namespace deploylab::store
