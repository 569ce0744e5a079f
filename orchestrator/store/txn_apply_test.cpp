// orchestrator/store/txn_apply_test.cpp: the MVCC rules of puts, deletes, lease revokes and
// transactions (txn_apply.h). The expectations are the answers of a real etcd 3.4.23 to the
// same requests, except in the two places where this store differs on purpose, which say so
// (a range at an older revision inside a transaction; a put under a delete to range_end "\0").
//
// The tests drive a writer in miniature (TestWriter): the state plus the store's revision,
// moved forward the way store.cpp does, by one for each request that changed something.
#include "orchestrator/store/txn_apply.h"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>

namespace deploylab::store {

// How gtest prints a KeyValue in failure messages (found by ADL; internal to this test file).
[[maybe_unused]] static void PrintTo(const KeyValue& kv, std::ostream* out) {
  *out << "{key \"" << kv.key << "\", value \"" << kv.value << "\", create " << kv.create_revision << ", mod "
       << kv.mod_revision << ", version " << kv.version << ", lease " << kv.lease << "}";
}

namespace {

const std::string kZero(1, '\0');

// ---- Requests, briefly.

PutRequest put_of(std::string key, std::string value, LeaseId lease = 0) {
  PutRequest request;
  request.key = std::move(key);
  request.value = std::move(value);
  request.lease = lease;
  return request;
}

DeleteRangeRequest delete_of(std::string key, std::string range_end = "") {
  DeleteRangeRequest request;
  request.key = std::move(key);
  request.range_end = std::move(range_end);
  return request;
}

RangeRequest range_of(std::string key, std::string range_end = "") {
  RangeRequest request;
  request.key = std::move(key);
  request.range_end = std::move(range_end);
  return request;
}

Compare version_is(std::string key, std::int64_t version) {
  return Compare{.target = Compare::Target::version, .result = Compare::Result::equal, .key = std::move(key),
                 .range_end = "", .number = version, .value = ""};
}

Compare mod_revision_is(std::string key, Revision mod) {
  Compare compare = version_is(std::move(key), mod);
  compare.target = Compare::Target::mod;
  return compare;
}

// ---- Reading the outcome.

// "ok", or the error's message: failures then show the message etcd would send.
template <class T>
std::string outcome(const StoreResult<T>& result) {
  return result.ok() ? "ok" : result.error().message;
}

std::string etcd_says(StoreErrc code, std::string detail = {}) {
  return StoreError::make(code, std::move(detail)).message;
}

// The whole state in one line, so "nothing changed" compares two strings and a failure shows
// what did change: "a=1@2/2v1 b=2@3/3v1L5 | lease 5: b".
std::string describe(const WriterState& state) {
  std::vector<std::string> parts;
  state.kv.for_each(KeyRange{kZero, kZero}, [&](const KeyValue& kv) {
    std::ostringstream part;
    part << kv.key << "=" << kv.value << "@" << kv.create_revision << "/" << kv.mod_revision << "v" << kv.version;
    if (kv.lease != 0) part << "L" << kv.lease;
    parts.push_back(part.str());
    return true;
  });
  for (LeaseId id : state.leases.ids()) {
    std::string part = "| lease " + std::to_string(id) + ":";
    for (const std::string& key : state.leases.find(id)->keys) part += " " + key;
    parts.push_back(part);
  }
  std::string line;
  for (const std::string& part : parts) line += (line.empty() ? "" : " ") + part;
  return line;
}

std::vector<std::string> keys_of(const std::vector<Event>& events) {
  std::vector<std::string> keys;
  for (const Event& event : events) keys.push_back(event.kv.key);
  return keys;
}

using Keys = std::vector<std::string>;

// ---- A writer in miniature.

struct TestWriter {
  WriterState state;
  Revision revision = 1;  // an empty store is at revision 1

  Revision next() const { return revision + 1; }

  template <class Response>
  StoreResult<Applied<Response>> advance(StoreResult<Applied<Response>> result) {
    if (result.ok() && !result.value().events.empty()) revision = next();
    return result;
  }
  StoreResult<Applied<PutResponse>> put(const PutRequest& request) {
    return advance(apply_put(state, request, next()));
  }
  StoreResult<Applied<DeleteRangeResponse>> remove(const DeleteRangeRequest& request) {
    return advance(apply_delete_range(state, request, next()));
  }
  StoreResult<Applied<TxnResponse>> txn(const TxnRequest& request) {
    return advance(apply_txn(state, request, next()));
  }
  StoreResult<Applied<LeaseRevokeResponse>> revoke(LeaseId id) {
    return advance(apply_lease_revoke(state, id, next()));
  }

  const KeyValue& live(const std::string& key) const {
    const KeyValue* kv = state.kv.find(key);
    if (kv == nullptr) throw std::runtime_error("test: key \"" + key + "\" should be live");
    return *kv;
  }
};

// ===== Put

TEST(ApplyPut, ANewKeyStartsAtVersionOneCreatedAndModifiedAtTheRevision) {
  TestWriter writer;
  auto applied = writer.put(put_of("a", "1"));
  ASSERT_EQ(outcome(applied), "ok");
  EXPECT_EQ(applied.value().response.revision, 2) << "the first write of an empty store (revision 1) is revision 2";
  EXPECT_EQ(writer.live("a"), (KeyValue{.key = "a", .value = "1", .create_revision = 2, .mod_revision = 2,
                                        .version = 1, .lease = 0}));
}

TEST(ApplyPut, APutOfAnExistingKeyKeepsCreateRevisionAndCountsTheVersion) {
  TestWriter writer;
  writer.put(put_of("a", "1")).value();
  writer.put(put_of("a", "2")).value();
  writer.put(put_of("a", "3")).value();
  const KeyValue& a = writer.live("a");
  EXPECT_EQ(a.create_revision, 2) << "a put of an existing key keeps create_revision";
  EXPECT_EQ(a.mod_revision, 4) << "mod_revision is the revision of the latest put";
  EXPECT_EQ(a.version, 3) << "version counts the puts since the key was created";
  EXPECT_EQ(a.value, "3");
}

TEST(ApplyPut, APutAfterADeleteStartsANewLifeOfTheKey) {
  TestWriter writer;
  writer.put(put_of("a", "1")).value();
  writer.put(put_of("a", "2")).value();
  writer.remove(delete_of("a")).value();
  writer.put(put_of("a", "3")).value();
  EXPECT_EQ(writer.live("a").version, 1) << "the delete reset the version";
  EXPECT_EQ(writer.live("a").create_revision, 5) << "the key was created again at revision 5";
}

TEST(ApplyPut, TheEventCarriesTheNewVersionAndThePreviousOne) {
  TestWriter writer;
  auto first = writer.put(put_of("a", "1")).value();
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].type, EventType::put);
  EXPECT_EQ(first.events[0].kv, writer.live("a"));
  EXPECT_EQ(first.events[0].prev_kv, std::nullopt) << "a new key has no previous version";

  const KeyValue before = writer.live("a");
  auto second = writer.put(put_of("a", "2")).value();
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].kv, writer.live("a"));
  EXPECT_EQ(second.events[0].prev_kv, before) << "every event carries the version it replaced";
}

TEST(ApplyPut, PrevKvIsInTheResponseOnlyWhenAsked) {
  TestWriter writer;
  writer.put(put_of("a", "1")).value();
  EXPECT_EQ(writer.put(put_of("a", "2")).value().response.prev_kv, std::nullopt) << "prev_kv was not asked for";
  PutRequest asking = put_of("a", "3");
  asking.prev_kv = true;
  EXPECT_EQ(writer.put(asking).value().response.prev_kv->value, "2");
  asking.key = "new";
  EXPECT_EQ(writer.put(asking).value().response.prev_kv, std::nullopt) << "a new key has no prev_kv to return";
}

TEST(ApplyPut, AnEmptyKeyIsRefused) {
  TestWriter writer;
  EXPECT_EQ(outcome(writer.put(put_of("", "x"))), etcd_says(StoreErrc::empty_key));
  EXPECT_EQ(writer.revision, 1) << "a refused put must not use a revision";
}

TEST(ApplyPut, AnUnknownLeaseIsRefusedAndNothingChanges) {
  TestWriter writer;
  writer.put(put_of("a", "1")).value();
  const std::string before = describe(writer.state);
  EXPECT_EQ(outcome(writer.put(put_of("a", "2", 12345))), etcd_says(StoreErrc::lease_not_found));
  EXPECT_EQ(describe(writer.state), before);
  EXPECT_EQ(writer.revision, 2);
}

TEST(ApplyPut, IgnoreValueKeepsTheCurrentValue) {
  TestWriter writer;
  writer.state.leases.grant(5, 60);
  writer.put(put_of("a", "kept")).value();
  PutRequest request = put_of("a", "", 5);
  request.ignore_value = true;
  writer.put(request).value();
  EXPECT_EQ(writer.live("a").value, "kept");
  EXPECT_EQ(writer.live("a").lease, 5) << "ignore_value keeps the value, not the lease";
  EXPECT_EQ(writer.live("a").version, 2) << "it is still a put: a new version";
}

TEST(ApplyPut, IgnoreLeaseKeepsTheCurrentLease) {
  TestWriter writer;
  writer.state.leases.grant(5, 60);
  writer.put(put_of("a", "1", 5)).value();
  PutRequest request = put_of("a", "2");
  request.ignore_lease = true;
  writer.put(request).value();
  EXPECT_EQ(writer.live("a").lease, 5) << "ignore_lease keeps the key on its lease";
  EXPECT_EQ(writer.live("a").value, "2");
  EXPECT_EQ(writer.state.leases.find(5)->keys, std::set<std::string>{"a"});
}

TEST(ApplyPut, IgnoreValueOrLeaseOnAMissingKeyIsKeyNotFound) {
  TestWriter writer;
  PutRequest request = put_of("missing", "");
  request.ignore_value = true;
  EXPECT_EQ(outcome(writer.put(request)), etcd_says(StoreErrc::key_not_found))
      << "ignore_value keeps the current value: there must be one";
  request = put_of("missing", "v");
  request.ignore_lease = true;
  EXPECT_EQ(outcome(writer.put(request)), etcd_says(StoreErrc::key_not_found));
  EXPECT_EQ(writer.state.kv.size(), 0u);
}

TEST(ApplyPut, IgnoreValueWithAValueOrIgnoreLeaseWithALeaseIsInvalid) {
  TestWriter writer;
  writer.state.leases.grant(5, 60);
  writer.put(put_of("a", "1")).value();
  PutRequest request = put_of("a", "x");
  request.ignore_value = true;
  EXPECT_EQ(outcome(writer.put(request)), etcd_says(StoreErrc::invalid_argument, "etcdserver: value is provided"));
  request = put_of("a", "x", 5);
  request.ignore_lease = true;
  EXPECT_EQ(outcome(writer.put(request)), etcd_says(StoreErrc::invalid_argument, "etcdserver: lease is provided"));
}

TEST(ApplyPut, OutsideATransactionTheLeaseIsCheckedBeforeTheKey) {
  TestWriter writer;
  PutRequest request = put_of("missing", "", 777);
  request.ignore_value = true;
  EXPECT_EQ(outcome(writer.put(request)), etcd_says(StoreErrc::lease_not_found))
      << "etcd's Put looks up the lease first (a txn does it the other way round)";
}

TEST(ApplyPut, ChangingTheLeaseMovesTheKeyBetweenLeases) {
  TestWriter writer;
  writer.state.leases.grant(100, 60);
  writer.state.leases.grant(200, 60);
  writer.put(put_of("k", "1", 100)).value();
  writer.put(put_of("k", "2", 200)).value();
  EXPECT_EQ(describe(writer.state), "k=2@2/3v2L200 | lease 100: | lease 200: k")
      << "the key must leave lease 100 when it is put with lease 200";
  writer.put(put_of("k", "3")).value();
  EXPECT_EQ(describe(writer.state), "k=3@2/4v3 | lease 100: | lease 200:") << "a put without a lease detaches";
}

// ===== DeleteRange

// A state with a=1, b=2, ba=3, c=4 at revisions 2..5.
TestWriter writer_with_abc() {
  TestWriter writer;
  for (auto [key, value] : {std::pair{"a", "1"}, {"b", "2"}, {"ba", "3"}, {"c", "4"}}) {
    writer.put(put_of(key, value)).value();
  }
  return writer;
}

TEST(ApplyDeleteRange, DeletesEveryLiveKeyInTheRangeAtOneRevisionInKeyOrder) {
  TestWriter writer = writer_with_abc();
  auto applied = writer.remove(delete_of("b", "c")).value();
  EXPECT_EQ(applied.response.deleted, 2);
  EXPECT_EQ(applied.response.revision, 6);
  EXPECT_EQ(keys_of(applied.events), (Keys{"b", "ba"}));
  for (const Event& event : applied.events) {
    EXPECT_EQ(event.type, EventType::remove);
    EXPECT_EQ(event.kv.mod_revision, 6) << "both deletes happen at the one revision of the request";
  }
  EXPECT_EQ(describe(writer.state), "a=1@2/2v1 c=4@5/5v1");
}

TEST(ApplyDeleteRange, ADeleteEventHasOnlyTheKeyAndItsRevisionAndThePreviousVersion) {
  TestWriter writer = writer_with_abc();
  const KeyValue before = writer.live("a");
  auto applied = writer.remove(delete_of("a")).value();
  ASSERT_EQ(applied.events.size(), 1u);
  KeyValue tombstone;
  tombstone.key = "a";
  tombstone.mod_revision = 6;
  EXPECT_EQ(applied.events[0].kv, tombstone) << "etcd's delete event: the key and the delete's revision, nothing else";
  EXPECT_EQ(applied.events[0].prev_kv, before) << "the deleted version travels as prev_kv";
}

TEST(ApplyDeleteRange, DeletingNothingUsesNoRevision) {
  TestWriter writer = writer_with_abc();
  auto applied = writer.remove(delete_of("nothing")).value();
  EXPECT_EQ(applied.response.deleted, 0);
  EXPECT_TRUE(applied.events.empty());
  EXPECT_EQ(applied.response.revision, 5) << "a delete of nothing answers with the unchanged revision (rev - 1)";
  EXPECT_EQ(writer.revision, 5);
}

TEST(ApplyDeleteRange, PrevKvsOnlyWhenAsked) {
  TestWriter writer = writer_with_abc();
  EXPECT_TRUE(writer.remove(delete_of("a")).value().response.prev_kvs.empty());
  DeleteRangeRequest request = delete_of("b", prefix_end("b"));
  request.prev_kv = true;
  const KeyValue b = writer.live("b");
  const KeyValue ba = writer.live("ba");
  EXPECT_EQ(writer.remove(request).value().response.prev_kvs, (std::vector<KeyValue>{b, ba}));
}

TEST(ApplyDeleteRange, AnUnboundedRangeDeletesEverythingFromTheKeyOn) {
  TestWriter writer = writer_with_abc();
  EXPECT_EQ(writer.remove(delete_of("b", kZero)).value().response.deleted, 3);
  EXPECT_EQ(writer.remove(delete_of(kZero, kZero)).value().response.deleted, 1) << "\"\\0\"..\"\\0\" is all keys";
  EXPECT_EQ(writer.state.kv.size(), 0u);
}

TEST(ApplyDeleteRange, ADeleteDetachesTheKeyFromItsLease) {
  TestWriter writer;
  writer.state.leases.grant(5, 60);
  writer.put(put_of("k", "1", 5)).value();
  writer.remove(delete_of("k")).value();
  EXPECT_EQ(describe(writer.state), "| lease 5:") << "a deleted key must not stay attached to its lease";
}

TEST(ApplyDeleteRange, AnEmptyKeyIsRefused) {
  TestWriter writer = writer_with_abc();
  EXPECT_EQ(outcome(writer.remove(delete_of("", "z"))), etcd_says(StoreErrc::empty_key));
}

// ===== LeaseRevoke

TEST(ApplyLeaseRevoke, AnUnknownLeaseIsLeaseNotFound) {
  TestWriter writer;
  EXPECT_EQ(outcome(writer.revoke(100)), etcd_says(StoreErrc::lease_not_found));
}

TEST(ApplyLeaseRevoke, DeletesTheLeasesKeysInKeyOrderAtOneRevision) {
  TestWriter writer;
  writer.state.leases.grant(100, 60);
  writer.state.leases.grant(200, 60);
  for (const char* key : {"l3", "l0", "l2"}) writer.put(put_of(key, "v", 100)).value();
  writer.put(put_of("other", "v", 200)).value();
  auto applied = writer.revoke(100).value();
  EXPECT_EQ(keys_of(applied.events), (Keys{"l0", "l2", "l3"})) << "etcd deletes a lease's keys in key order";
  for (const Event& event : applied.events) {
    EXPECT_EQ(event.type, EventType::remove);
    EXPECT_EQ(event.kv.mod_revision, 6);
    EXPECT_TRUE(event.prev_kv.has_value());
  }
  EXPECT_EQ(applied.response.revision, 6);
  EXPECT_EQ(describe(writer.state), "other=v@5/5v1L200 | lease 200: other");
}

TEST(ApplyLeaseRevoke, ALeaseWithoutKeysGoesWithoutARevision) {
  TestWriter writer = writer_with_abc();
  writer.state.leases.grant(300, 60);
  auto applied = writer.revoke(300).value();
  EXPECT_TRUE(applied.events.empty());
  EXPECT_EQ(applied.response.revision, 5) << "nothing was deleted: the revision stays";
  EXPECT_FALSE(writer.state.leases.contains(300)) << "the lease is gone all the same";
}

TEST(ApplyLeaseRevoke, KeysThatMovedToAnotherLeaseSurvive) {
  TestWriter writer;
  writer.state.leases.grant(100, 60);
  writer.state.leases.grant(200, 60);
  writer.put(put_of("moved", "v", 100)).value();
  writer.put(put_of("stays", "v", 100)).value();
  writer.put(put_of("moved", "v", 200)).value();
  writer.put(put_of("detached", "v", 100)).value();
  writer.put(put_of("detached", "v")).value();
  EXPECT_EQ(keys_of(writer.revoke(100).value().events), Keys{"stays"});
  EXPECT_NE(writer.state.kv.find("moved"), nullptr);
  EXPECT_NE(writer.state.kv.find("detached"), nullptr);
}

// ===== Txn

TxnRequest txn_of(std::vector<Compare> compare, std::vector<RequestOp> success, std::vector<RequestOp> failure = {}) {
  return TxnRequest{.compare = std::move(compare), .success = std::move(success), .failure = std::move(failure)};
}

const RangeResponse& range_response(const TxnResponse& response, std::size_t op) {
  return std::get<RangeResponse>(response.responses.at(op));
}

TEST(ApplyTxn, TheComparesChooseTheBranch) {
  TestWriter writer = writer_with_abc();
  auto missing = writer.txn(txn_of({version_is("new", 0)}, {put_of("new", "1")}, {range_of("new")})).value();
  EXPECT_TRUE(missing.response.succeeded) << "\"new\" was absent (version 0): the success branch runs";
  EXPECT_EQ(writer.live("new").value, "1");
  auto present = writer.txn(txn_of({version_is("new", 0)}, {put_of("new", "2")}, {range_of("new")})).value();
  EXPECT_FALSE(present.response.succeeded) << "\"new\" exists now: the failure branch runs";
  ASSERT_EQ(present.response.responses.size(), 1u);
  EXPECT_EQ(range_response(present.response, 0).kvs.at(0).value, "1") << "the failure branch read the key";
  EXPECT_EQ(writer.live("new").value, "1") << "the success branch's put must not have run";
}

TEST(ApplyTxn, NoComparesMeansSuccess) {
  TestWriter writer;
  EXPECT_TRUE(writer.txn(txn_of({}, {put_of("a", "1")})).value().response.succeeded);
}

TEST(ApplyTxn, UpdateIfModRevisionMatchesLetsOnlyOneOfTwoWritersWin) {
  TestWriter writer = writer_with_abc();
  const Revision seen = writer.live("a").mod_revision;  // both writers read "a" here
  auto first = writer.txn(txn_of({mod_revision_is("a", seen)}, {put_of("a", "first")}, {range_of("a")})).value();
  auto second = writer.txn(txn_of({mod_revision_is("a", seen)}, {put_of("a", "second")}, {range_of("a")})).value();
  EXPECT_TRUE(first.response.succeeded);
  EXPECT_FALSE(second.response.succeeded) << "the second writer's mod_revision is stale: it must lose";
  EXPECT_EQ(range_response(second.response, 0).kvs.at(0).value, "first") << "and it gets the winner's version";
  EXPECT_EQ(writer.live("a").value, "first");
}

TEST(ApplyTxn, AllOpsOfATransactionShareOneRevision) {
  TestWriter writer = writer_with_abc();
  auto applied = writer.txn(txn_of({}, {put_of("x", "1"), put_of("y", "1"), delete_of("a")})).value();
  EXPECT_EQ(applied.response.revision, 6);
  ASSERT_EQ(applied.events.size(), 3u);
  for (const Event& event : applied.events) EXPECT_EQ(event.kv.mod_revision, 6) << "event on " << event.kv.key;
  EXPECT_EQ(writer.live("x").create_revision, 6);
  EXPECT_EQ(writer.live("y").create_revision, 6);
  EXPECT_EQ(writer.revision, 6) << "one transaction moves the store by one revision";
}

TEST(ApplyTxn, EventsFollowTheOpOrderAndCarryThePreviousVersions) {
  TestWriter writer = writer_with_abc();
  auto applied = writer.txn(txn_of({}, {put_of("c", "5"), delete_of("a"), put_of("0", "new")})).value();
  EXPECT_EQ(keys_of(applied.events), (Keys{"c", "a", "0"})) << "events come in op order, not key order";
  EXPECT_EQ(applied.events[0].prev_kv->value, "4");
  EXPECT_EQ(applied.events[1].prev_kv->value, "1");
  EXPECT_EQ(applied.events[2].prev_kv, std::nullopt) << "\"0\" is new: no previous version";
}

TEST(ApplyTxn, ALaterOpSeesTheWritesOfEarlierOps) {
  TestWriter writer;
  auto put_then_read = writer.txn(txn_of({}, {put_of("x", "1"), range_of("x")})).value();
  const RangeResponse& read = range_response(put_then_read.response, 1);
  ASSERT_EQ(read.kvs.size(), 1u) << "a range after a put in one transaction sees the put";
  EXPECT_EQ(read.kvs[0].mod_revision, 2);
  EXPECT_EQ(read.revision, 2);

  auto read_then_put = writer.txn(txn_of({}, {range_of("x"), put_of("x", "2")})).value();
  EXPECT_EQ(range_response(read_then_put.response, 0).kvs.at(0).value, "1") << "a range before the put does not";
  EXPECT_EQ(range_response(read_then_put.response, 0).revision, 2)
      << "nothing was written yet when the range ran: it reports the revision before the txn";
}

TEST(ApplyTxn, EachResponseReportsTheRevisionAsItStandsAfterItsOp) {
  TestWriter writer = writer_with_abc();
  auto delete_first = writer.txn(txn_of({}, {delete_of("nothing"), put_of("y", "1")})).value();
  EXPECT_EQ(std::get<DeleteRangeResponse>(delete_first.response.responses[0]).revision, 5)
      << "a delete of nothing before any write: still the old revision, as etcd answers";
  EXPECT_EQ(std::get<PutResponse>(delete_first.response.responses[1]).revision, 6);

  auto put_first = writer.txn(txn_of({}, {put_of("z", "1"), delete_of("nothing"), range_of("z")})).value();
  EXPECT_EQ(std::get<DeleteRangeResponse>(put_first.response.responses[1]).revision, 7)
      << "after the put, even a delete of nothing reports the transaction's revision";
  EXPECT_EQ(range_response(put_first.response, 2).revision, 7);
}

TEST(ApplyTxn, ATransactionThatWritesNothingKeepsTheRevision) {
  TestWriter writer = writer_with_abc();
  for (const TxnRequest& request : {txn_of({}, {}), txn_of({}, {range_of("a")}), txn_of({}, {delete_of("nothing")}),
                                    txn_of({version_is("a", 9)}, {put_of("a", "x")})}) {
    auto applied = writer.txn(request).value();
    EXPECT_TRUE(applied.events.empty());
    EXPECT_EQ(applied.response.revision, 5) << "no write, no revision: the response carries rev - 1";
  }
  EXPECT_EQ(range_response(writer.txn(txn_of({}, {range_of("a")})).value().response, 0).revision, 5);
}

TEST(ApplyTxn, AFailingOpLeavesTheStateAsItWas) {
  TestWriter writer = writer_with_abc();
  writer.state.leases.grant(5, 60);
  writer.put(put_of("leased", "v", 5)).value();
  const std::string before = describe(writer.state);

  auto unknown_lease = writer.txn(txn_of({}, {put_of("p1", "1"), delete_of("a"), put_of("p2", "1", 999)}));
  EXPECT_EQ(outcome(unknown_lease), etcd_says(StoreErrc::lease_not_found));
  EXPECT_EQ(describe(writer.state), before) << "the put of p1 and the delete of a ran before the failing op: "
                                               "a transaction is all or nothing";
  PutRequest keep_value = put_of("p2", "");
  keep_value.ignore_value = true;
  auto missing_key = writer.txn(txn_of({}, {put_of("leased", "w"), delete_of("b", "c"), keep_value}));
  EXPECT_EQ(outcome(missing_key), etcd_says(StoreErrc::key_not_found));
  EXPECT_EQ(describe(writer.state), before);
  EXPECT_EQ(writer.revision, 6);
}

TEST(ApplyTxn, InsideATransactionTheKeyIsCheckedBeforeTheLease) {
  TestWriter writer;
  PutRequest request = put_of("missing", "", 777);
  request.ignore_value = true;
  EXPECT_EQ(outcome(writer.txn(txn_of({}, {request}))), etcd_says(StoreErrc::key_not_found))
      << "etcd's txn checks (checkPut) look at the key first; a plain put looks at the lease first";
}

TEST(ApplyTxn, OnlyTheBranchThatRunsIsCheckedAgainstTheState) {
  TestWriter writer;
  auto applied = writer.txn(txn_of({}, {put_of("k", "1")}, {put_of("d", "1", 999)}));
  EXPECT_EQ(outcome(applied), "ok") << "lease 999 is unknown, but the failure branch does not run";
}

TEST(ApplyTxn, OverlappingDeletesAreAllowedAndTheSecondFindsFewerKeys) {
  TestWriter writer;
  writer.txn(txn_of({}, {put_of("o1", "1"), put_of("o2", "1"), put_of("o3", "1")})).value();
  DeleteRangeRequest first = delete_of("o1", "o3");
  DeleteRangeRequest second = delete_of("o2", "o4");
  auto applied = writer.txn(txn_of({}, {first, second})).value();
  EXPECT_EQ(std::get<DeleteRangeResponse>(applied.response.responses[0]).deleted, 2);
  EXPECT_EQ(std::get<DeleteRangeResponse>(applied.response.responses[1]).deleted, 1)
      << "o2 was already deleted by the first op";
  EXPECT_EQ(keys_of(applied.events), (Keys{"o1", "o2", "o3"})) << "one event per deleted key";
}

TEST(ApplyTxn, ARangeCannotReadAFutureRevision) {
  TestWriter writer = writer_with_abc();
  RangeRequest ahead = range_of("a");
  ahead.revision = 6;
  EXPECT_EQ(outcome(writer.txn(txn_of({}, {put_of("x", "1"), ahead}))), etcd_says(StoreErrc::future_revision))
      << "etcd checks the revision against the store before the txn (5), even after a put in the txn";
  EXPECT_EQ(writer.state.kv.find("x"), nullptr);
}

TEST(ApplyTxn, ARangeReadsTheCurrentRevisionOnly) {
  TestWriter writer = writer_with_abc();
  RangeRequest at_current = range_of("a");
  at_current.revision = 5;
  EXPECT_EQ(outcome(writer.txn(txn_of({}, {at_current}))), "ok") << "revision 5 is the current one: nothing to look up";
  RangeRequest older = range_of("a");
  older.revision = 3;
  EXPECT_EQ(writer.txn(txn_of({}, {older})).error().code, StoreErrc::invalid_argument)
      << "the index has no history; etcd would read revision 3 from its history (the store could)";
  EXPECT_EQ(writer.txn(txn_of({}, {put_of("x", "1"), at_current})).error().code, StoreErrc::invalid_argument)
      << "after a write in the txn, revision 5 is history too";
}

// ===== validate_txn

std::vector<RequestOp> many_puts(int n) {
  std::vector<RequestOp> ops;
  for (int i = 0; i < n; ++i) ops.push_back(put_of("k" + std::to_string(i), "v"));
  return ops;
}

TEST(TxnValidate, AValidTransactionPasses) {
  EXPECT_EQ(outcome(validate_txn(txn_of({version_is("a", 0)}, {put_of("a", "1"), range_of("a")}, {range_of("a")}))),
            "ok");
}

TEST(TxnValidate, AtMost128OpsPerBranchAndAtMost128Compares) {
  EXPECT_EQ(outcome(validate_txn(txn_of({}, many_puts(128)))), "ok");
  EXPECT_EQ(outcome(validate_txn(txn_of({}, many_puts(129)))), etcd_says(StoreErrc::too_many_ops));
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {}, many_puts(129)))), etcd_says(StoreErrc::too_many_ops))
      << "the branch that will not run counts too";
  EXPECT_EQ(outcome(validate_txn(txn_of(std::vector<Compare>(129, version_is("a", 0)), {}))),
            etcd_says(StoreErrc::too_many_ops))
      << "etcd counts compares against the same limit";
  const std::vector<Compare> compares(128, version_is("a", 0));
  EXPECT_EQ(outcome(validate_txn(txn_of(compares, many_puts(128), many_puts(128)))), "ok")
      << "the limit is per list, not for the whole transaction";
}

TEST(TxnValidate, EmptyKeysAreRefusedInComparesAndOps) {
  EXPECT_EQ(outcome(validate_txn(txn_of({version_is("", 0)}, {}))), etcd_says(StoreErrc::empty_key));
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {range_of("")}))), etcd_says(StoreErrc::empty_key));
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {}, {put_of("", "v")}))), etcd_says(StoreErrc::empty_key));
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {delete_of("")}))), etcd_says(StoreErrc::empty_key));
}

TEST(TxnValidate, ContradictoryPutsAreRefusedInEitherBranch) {
  PutRequest keep_value = put_of("d", "1");
  keep_value.ignore_value = true;
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {put_of("k", "1")}, {keep_value}))),
            etcd_says(StoreErrc::invalid_argument, "etcdserver: value is provided"));
}

TEST(TxnValidate, TwoPutsOfOneKeyInABranchAreADuplicate) {
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {put_of("d", "1"), put_of("d", "2")}))),
            etcd_says(StoreErrc::duplicate_key));
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {put_of("k", "1")}, {put_of("d", "1"), put_of("d", "2")}))),
            etcd_says(StoreErrc::duplicate_key))
      << "checked in the branch that will not run too";
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {put_of("d", "1")}, {put_of("d", "2")}))), "ok")
      << "one put of a key in each branch is fine: only one branch runs";
}

TEST(TxnValidate, APutInsideADeleteOfTheSameBranchIsADuplicate) {
  const StoreErrc duplicate = StoreErrc::duplicate_key;
  EXPECT_EQ(validate_txn(txn_of({}, {delete_of("c", "e"), put_of("d", "2")})).error().code, duplicate);
  EXPECT_EQ(validate_txn(txn_of({}, {put_of("d", "2"), delete_of("c", "e")})).error().code, duplicate)
      << "in either order";
  EXPECT_EQ(validate_txn(txn_of({}, {put_of("d", "2"), delete_of("d")})).error().code, duplicate);
  EXPECT_EQ(validate_txn(txn_of({}, {put_of("q6", "2"), delete_of("q", prefix_end("q"))})).error().code, duplicate);
  EXPECT_EQ(validate_txn(txn_of({}, {delete_of("q1", kZero), put_of("q1", "2")})).error().code, duplicate)
      << "range_end \"\\0\" reaches every key from q1 on (etcd 3.4 misses this one and lets it through)";
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {delete_of("c", "e"), put_of("e", "2")}))), "ok")
      << "range_end is outside the delete";
}

TEST(TxnValidate, DeletesMayOverlapEachOther) {
  EXPECT_EQ(outcome(validate_txn(txn_of({}, {delete_of("a", "m"), delete_of("b", "z"), delete_of("x")}))), "ok")
      << "etcd lets deletes overlap: the later one finds fewer keys";
}

TEST(ApplyTxn, AnInvalidTransactionIsRefusedBeforeTheComparesRun) {
  TestWriter writer;
  EXPECT_EQ(outcome(writer.txn(txn_of({}, {put_of("d", "1"), put_of("d", "2")}))), etcd_says(StoreErrc::duplicate_key));
  EXPECT_EQ(writer.state.kv.size(), 0u);
}

}  // namespace
}  // namespace deploylab::store
