// tests/store/kv_contract_test.cpp: range, put and delete-range, against etcd and ministore
// alike (store_contract.h). Every expectation here is what etcd 3.4 does.
#include <gtest/gtest.h>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

class KvContract : public StoreContract {};

TEST_P(KvContract, RangeOfOneKeyGivesItsWholeVersion) {
  Revision created = put(client(), key("a"), "1");
  RangeRequest request;
  request.key = key("a");
  RangeResponse response = client().range(request).value();
  ASSERT_EQ(response.kvs.size(), 1u) << "a range of one existing key returns it";
  const KeyValue& kv = response.kvs[0];
  EXPECT_EQ(kv.key, key("a"));
  EXPECT_EQ(kv.value, "1");
  EXPECT_EQ(kv.create_revision, created) << "create_revision is the revision of the put that created it";
  EXPECT_EQ(kv.mod_revision, created);
  EXPECT_EQ(kv.version, 1);
  EXPECT_EQ(kv.lease, 0);
  EXPECT_EQ(response.count, 1);
  EXPECT_FALSE(response.more);
  EXPECT_GE(response.revision, created) << "the header revision is the store's, at least the put's";

  request.key = key("missing");
  RangeResponse missing = client().range(request).value();
  EXPECT_TRUE(missing.kvs.empty()) << "a missing key is an empty answer, not an error";
  EXPECT_EQ(missing.count, 0);
}

TEST_P(KvContract, RangeOfAPrefixIsOrderedByKeyAndStopsAtItsEnd) {
  put(client(), key("p/c"), "3");
  put(client(), key("p/a"), "1");
  put(client(), key("p/b"), "2");
  put(client(), key("p0"), "outside: '0' follows '/'");
  put(client(), key("p"), "outside: shorter");
  std::vector<KeyValue> kvs = list(client(), key("p/"));
  ASSERT_EQ(kvs.size(), 3u) << "only the keys that start with the prefix";
  EXPECT_EQ(kvs[0].key, key("p/a"));
  EXPECT_EQ(kvs[1].key, key("p/b"));
  EXPECT_EQ(kvs[2].key, key("p/c"));
  EXPECT_EQ(kvs[2].value, "3");
}

TEST_P(KvContract, RangeWithLimitSaysThereIsMoreAndCountsAll) {
  for (char c = 'a'; c <= 'e'; ++c) put(client(), key(std::string(1, c)), "v");
  RangeRequest request;
  request.key = prefix();
  request.range_end = prefix_range_end(prefix());
  request.limit = 2;
  RangeResponse cut = client().range(request).value();
  ASSERT_EQ(cut.kvs.size(), 2u) << "limit 2 returns 2 keys";
  EXPECT_EQ(cut.kvs[0].key, key("a")) << "the first keys in key order";
  EXPECT_EQ(cut.kvs[1].key, key("b"));
  EXPECT_TRUE(cut.more) << "more: the limit cut the answer short";
  EXPECT_EQ(cut.count, 5) << "count is every key in the range, whatever the limit";

  request.limit = 5;
  RangeResponse whole = client().range(request).value();
  EXPECT_EQ(whole.kvs.size(), 5u);
  EXPECT_FALSE(whole.more) << "nothing was left out";
  EXPECT_EQ(whole.count, 5);
}

TEST_P(KvContract, CountOnlyReturnsTheCountAndNoKeys) {
  for (char c = 'a'; c <= 'c'; ++c) put(client(), key(std::string(1, c)), "v");
  RangeRequest request;
  request.key = prefix();
  request.range_end = prefix_range_end(prefix());
  request.count_only = true;
  RangeResponse response = client().range(request).value();
  EXPECT_TRUE(response.kvs.empty()) << "count_only: no kvs";
  EXPECT_EQ(response.count, 3);
}

TEST_P(KvContract, KeysOnlyLeavesValuesOutButKeepsRevisions) {
  Revision revision = put(client(), key("a"), "a value");
  RangeRequest request;
  request.key = key("a");
  request.keys_only = true;
  RangeResponse response = client().range(request).value();
  ASSERT_EQ(response.kvs.size(), 1u);
  EXPECT_EQ(response.kvs[0].key, key("a"));
  EXPECT_EQ(response.kvs[0].value, "") << "keys_only: the value is left out";
  EXPECT_EQ(response.kvs[0].mod_revision, revision);
  EXPECT_EQ(response.kvs[0].version, 1);
}

TEST_P(KvContract, RangeAtAPastRevisionSeesTheStoreAsItWas) {
  Revision r1 = put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  DeleteRangeRequest remove;
  remove.key = key("k");
  Revision r3 = client().delete_range(remove).value().revision;
  ASSERT_EQ(r2, r1 + 1);
  ASSERT_EQ(r3, r2 + 1);

  auto at_r1 = get(client(), key("k"), r1);
  ASSERT_TRUE(at_r1.has_value()) << "at r1 the key existed";
  EXPECT_EQ(at_r1->value, "v1");
  EXPECT_EQ(at_r1->mod_revision, r1);
  auto at_r2 = get(client(), key("k"), r2);
  ASSERT_TRUE(at_r2.has_value());
  EXPECT_EQ(at_r2->value, "v2");
  EXPECT_EQ(at_r2->version, 2);
  EXPECT_EQ(at_r2->create_revision, r1);
  EXPECT_FALSE(get(client(), key("k"), r3).has_value()) << "at r3 it was deleted";
  EXPECT_FALSE(get(client(), key("k")).has_value());

  RangeRequest request;
  request.key = key("k");
  request.revision = r1;
  EXPECT_EQ(client().range(request).value().revision, current_revision(client()))
      << "the header of a past read carries the current revision (etcd)";
}

TEST_P(KvContract, RangeAboveTheCurrentRevisionIsAFutureRevisionError) {
  RangeRequest request;
  request.key = key("k");
  request.revision = current_revision(client()) + 1000;
  auto response = client().range(request);
  ASSERT_FALSE(response.ok()) << "reading at a revision that does not exist yet must fail";
  EXPECT_EQ(response.error().code, StoreErrc::future_revision) << response.error().message;
  EXPECT_EQ(response.error().message, "etcdserver: mvcc: required revision is a future revision");
}

TEST_P(KvContract, PutMovesTheRevisionByOneAndCountsVersions) {
  Revision r1 = put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  EXPECT_EQ(r2, r1 + 1) << "every put is exactly one new revision";
  auto kv = get(client(), key("k"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->create_revision, r1);
  EXPECT_EQ(kv->mod_revision, r2);
  EXPECT_EQ(kv->version, 2);
}

TEST_P(KvContract, PutReturnsThePreviousVersionWhenAsked) {
  PutRequest request;
  request.key = key("k");
  request.value = "v1";
  request.prev_kv = true;
  PutResponse first = client().put(request).value();
  EXPECT_FALSE(first.prev_kv.has_value()) << "no previous version of a new key";
  request.value = "v2";
  PutResponse second = client().put(request).value();
  ASSERT_TRUE(second.prev_kv.has_value()) << "prev_kv: the version the put replaced";
  EXPECT_EQ(second.prev_kv->value, "v1");
  EXPECT_EQ(second.prev_kv->mod_revision, first.revision);
  EXPECT_EQ(second.prev_kv->version, 1);
  request.prev_kv = false;
  EXPECT_FALSE(client().put(request).value().prev_kv.has_value()) << "not asked, not sent";
}

TEST_P(KvContract, PutOnALeaseAttachesTheKey) {
  LeaseGrantRequest grant;
  grant.ttl = 60;
  LeaseId lease = client().lease_grant(grant).value().id;
  put(client(), key("k"), "v", lease);
  auto kv = get(client(), key("k"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->lease, lease) << "the key remembers its lease";
  LeaseRevokeRequest revoke;
  revoke.id = lease;
  client().lease_revoke(revoke).value();
  EXPECT_FALSE(get(client(), key("k")).has_value()) << "revoking the lease deletes its keys";
}

TEST_P(KvContract, IgnoreValueKeepsTheValueAndIgnoreLeaseKeepsTheLease) {
  LeaseGrantRequest grant;
  grant.ttl = 60;
  LeaseId lease = client().lease_grant(grant).value().id;
  put(client(), key("k"), "kept");

  PutRequest new_lease;
  new_lease.key = key("k");
  new_lease.lease = lease;
  new_lease.ignore_value = true;
  client().put(new_lease).value();
  auto kv = get(client(), key("k"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->value, "kept") << "ignore_value: the value stays";
  EXPECT_EQ(kv->lease, lease) << "the new lease is taken";
  EXPECT_EQ(kv->version, 2) << "it is still a put: the version moves";

  PutRequest new_value;
  new_value.key = key("k");
  new_value.value = "new";
  new_value.ignore_lease = true;
  client().put(new_value).value();
  kv = get(client(), key("k"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->value, "new");
  EXPECT_EQ(kv->lease, lease) << "ignore_lease: the lease stays although the request has lease 0";

  LeaseRevokeRequest revoke;
  revoke.id = lease;
  client().lease_revoke(revoke).value();
}

TEST_P(KvContract, IgnoreValueOrLeaseOnAMissingKeyIsKeyNotFound) {
  Revision before = current_revision(client());
  for (bool ignore_value : {true, false}) {
    PutRequest request;
    request.key = key("missing");
    request.ignore_value = ignore_value;
    request.ignore_lease = !ignore_value;
    if (!ignore_value) request.value = "v";
    auto response = client().put(request);
    ASSERT_FALSE(response.ok()) << "ignore_" << (ignore_value ? "value" : "lease") << " needs an existing key";
    EXPECT_EQ(response.error().code, StoreErrc::key_not_found) << response.error().message;
    EXPECT_EQ(response.error().message, "etcdserver: key not found");
  }
  EXPECT_EQ(current_revision(client()), before) << "a refused put writes nothing";
}

TEST_P(KvContract, IgnoreValueWithAValueOrIgnoreLeaseWithALeaseIsInvalid) {
  put(client(), key("k"), "v");
  PutRequest with_value;
  with_value.key = key("k");
  with_value.value = "given";
  with_value.ignore_value = true;
  auto response = client().put(with_value);
  ASSERT_FALSE(response.ok()) << "etcd refuses ignore_value with a value";
  EXPECT_EQ(response.error().grpc_code(), 3) << "InvalidArgument, as etcd's \"value is provided\": "
                                             << response.error().message;
  PutRequest with_lease;
  with_lease.key = key("k");
  with_lease.lease = 12345;
  with_lease.ignore_lease = true;
  response = client().put(with_lease);
  ASSERT_FALSE(response.ok()) << "etcd refuses ignore_lease with a lease";
  EXPECT_EQ(response.error().grpc_code(), 3) << "InvalidArgument, as etcd's \"lease is provided\": "
                                             << response.error().message;
  EXPECT_EQ(get(client(), key("k"))->value, "v");
}

TEST_P(KvContract, EmptyKeyIsRefused) {
  PutRequest request;
  request.value = "v";
  auto response = client().put(request);
  ASSERT_FALSE(response.ok()) << "a put needs a key";
  EXPECT_EQ(response.error().code, StoreErrc::empty_key) << response.error().message;
  RangeRequest range;
  auto read = client().range(range);
  ASSERT_FALSE(read.ok()) << "a range needs a key";
  EXPECT_EQ(read.error().code, StoreErrc::empty_key) << read.error().message;
}

TEST_P(KvContract, DeleteRangeOfAPrefixDeletesItAllInOneRevision) {
  for (char c = 'a'; c <= 'c'; ++c) put(client(), key("p/" + std::string(1, c)), "v");
  put(client(), key("q"), "outside");
  Revision before = current_revision(client());
  DeleteRangeRequest request;
  request.key = key("p/");
  request.range_end = prefix_range_end(key("p/"));
  DeleteRangeResponse response = client().delete_range(request).value();
  EXPECT_EQ(response.deleted, 3);
  EXPECT_EQ(response.revision, before + 1) << "one delete of 3 keys is one revision";
  EXPECT_TRUE(response.prev_kvs.empty()) << "prev_kv not asked";
  EXPECT_TRUE(list(client(), key("p/")).empty());
  EXPECT_TRUE(get(client(), key("q")).has_value()) << "keys outside the range stay";
}

TEST_P(KvContract, DeleteRangeReturnsWhatItDeletedWhenAsked) {
  Revision ra = put(client(), key("b"), "2");
  put(client(), key("a"), "1");
  DeleteRangeRequest request;
  request.key = prefix();
  request.range_end = prefix_range_end(prefix());
  request.prev_kv = true;
  DeleteRangeResponse response = client().delete_range(request).value();
  ASSERT_EQ(response.prev_kvs.size(), 2u);
  EXPECT_EQ(response.prev_kvs[0].key, key("a")) << "in key order";
  EXPECT_EQ(response.prev_kvs[0].value, "1");
  EXPECT_EQ(response.prev_kvs[1].value, "2");
  EXPECT_EQ(response.prev_kvs[1].mod_revision, ra);
}

TEST_P(KvContract, DeletingNothingDoesNotMoveTheRevision) {
  put(client(), key("exists"), "v");
  Revision before = current_revision(client());
  DeleteRangeRequest request;
  request.key = key("missing");
  DeleteRangeResponse one = client().delete_range(request).value();
  EXPECT_EQ(one.deleted, 0);
  EXPECT_EQ(one.revision, before) << "deleting a missing key changes nothing, so no new revision";
  request.key = key("nothing/");
  request.range_end = prefix_range_end(key("nothing/"));
  EXPECT_EQ(client().delete_range(request).value().revision, before);
  EXPECT_EQ(current_revision(client()), before);
}

TEST_P(KvContract, AKeyCreatedAgainAfterADeleteStartsItsVersionsAnew) {
  Revision first = put(client(), key("k"), "v1");
  put(client(), key("k"), "v2");
  DeleteRangeRequest request;
  request.key = key("k");
  client().delete_range(request).value();
  Revision again = put(client(), key("k"), "v3");
  auto kv = get(client(), key("k"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->version, 1) << "the version restarts at 1 after a delete";
  EXPECT_EQ(kv->create_revision, again) << "and create_revision is the new creation, not " << first;
}

INSTANTIATE_TEST_SUITE_P(Stores, KvContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore), kind_name);

}  // namespace
}  // namespace deploylab::store::contract
