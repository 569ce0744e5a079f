// tests/store/txn_contract_test.cpp: transactions (every compare target and result, both
// branches, atomicity) and the two one-round-trip helpers under races, against etcd and
// ministore alike (store_contract.h).
#include <gtest/gtest.h>

#include <thread>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

class TxnContract : public StoreContract {
 protected:
  // Whether the one-compare transaction "key <target> <result> number/value" succeeds.
  bool holds(Compare::Target target, Compare::Result result, const std::string& name, std::int64_t number,
             const std::string& value = {}) {
    TxnRequest request;
    Compare compare;
    compare.target = target;
    compare.result = result;
    compare.key = key(name);
    compare.number = number;
    compare.value = value;
    request.compare.push_back(compare);
    return client().txn(request).value().succeeded;
  }
};

using Target = Compare::Target;
using Cmp = Compare::Result;

TEST_P(TxnContract, CompareVersion) {
  put(client(), key("k"), "v");
  put(client(), key("k"), "v");  // version 2
  EXPECT_TRUE(holds(Target::version, Cmp::equal, "k", 2));
  EXPECT_FALSE(holds(Target::version, Cmp::equal, "k", 1));
  EXPECT_TRUE(holds(Target::version, Cmp::greater, "k", 1));
  EXPECT_FALSE(holds(Target::version, Cmp::greater, "k", 2));
  EXPECT_TRUE(holds(Target::version, Cmp::less, "k", 3));
  EXPECT_FALSE(holds(Target::version, Cmp::less, "k", 2));
  EXPECT_TRUE(holds(Target::version, Cmp::not_equal, "k", 1));
  EXPECT_FALSE(holds(Target::version, Cmp::not_equal, "k", 2));
  EXPECT_TRUE(holds(Target::version, Cmp::equal, "missing", 0)) << "a missing key has version 0";
}

TEST_P(TxnContract, CompareCreateAndModRevision) {
  Revision created = put(client(), key("k"), "v1");
  Revision modified = put(client(), key("k"), "v2");
  EXPECT_TRUE(holds(Target::create, Cmp::equal, "k", created));
  EXPECT_FALSE(holds(Target::create, Cmp::equal, "k", modified));
  EXPECT_TRUE(holds(Target::create, Cmp::less, "k", modified));
  EXPECT_TRUE(holds(Target::create, Cmp::greater, "k", created - 1));
  EXPECT_TRUE(holds(Target::create, Cmp::not_equal, "k", modified));
  EXPECT_TRUE(holds(Target::mod, Cmp::equal, "k", modified));
  EXPECT_FALSE(holds(Target::mod, Cmp::equal, "k", created));
  EXPECT_TRUE(holds(Target::mod, Cmp::greater, "k", created));
  EXPECT_FALSE(holds(Target::mod, Cmp::less, "k", modified));
  EXPECT_TRUE(holds(Target::mod, Cmp::not_equal, "k", created));
  EXPECT_TRUE(holds(Target::mod, Cmp::equal, "missing", 0)) << "a missing key has mod_revision 0";
  EXPECT_TRUE(holds(Target::create, Cmp::equal, "missing", 0)) << "a missing key has create_revision 0";
}

TEST_P(TxnContract, CompareValueIsByteOrder) {
  put(client(), key("k"), "mango");
  EXPECT_TRUE(holds(Target::value, Cmp::equal, "k", 0, "mango"));
  EXPECT_FALSE(holds(Target::value, Cmp::equal, "k", 0, "mang"));
  EXPECT_TRUE(holds(Target::value, Cmp::greater, "k", 0, "apple"));
  EXPECT_TRUE(holds(Target::value, Cmp::greater, "k", 0, "mang")) << "a longer string with the same start is greater";
  EXPECT_TRUE(holds(Target::value, Cmp::less, "k", 0, "zebra"));
  EXPECT_TRUE(holds(Target::value, Cmp::not_equal, "k", 0, "kiwi"));
  EXPECT_FALSE(holds(Target::value, Cmp::not_equal, "k", 0, "mango"));
}

TEST_P(TxnContract, CompareLease) {
  LeaseGrantRequest grant;
  grant.ttl = 60;
  LeaseId lease = client().lease_grant(grant).value().id;
  put(client(), key("leased"), "v", lease);
  put(client(), key("plain"), "v");
  EXPECT_TRUE(holds(Target::lease, Cmp::equal, "leased", lease));
  EXPECT_TRUE(holds(Target::lease, Cmp::not_equal, "leased", 0));
  EXPECT_TRUE(holds(Target::lease, Cmp::greater, "leased", lease - 1));
  EXPECT_TRUE(holds(Target::lease, Cmp::equal, "plain", 0)) << "a key without a lease has lease 0";
  EXPECT_FALSE(holds(Target::lease, Cmp::less, "plain", 0));
  LeaseRevokeRequest revoke;
  revoke.id = lease;
  client().lease_revoke(revoke).value();
}

TEST_P(TxnContract, CompareOverARangeMustHoldForEveryKey) {
  put(client(), key("r/a"), "x");
  put(client(), key("r/b"), "x");
  TxnRequest request;
  Compare all_x;
  all_x.target = Target::value;
  all_x.result = Cmp::equal;
  all_x.key = key("r/");
  all_x.range_end = prefix_range_end(key("r/"));
  all_x.value = "x";
  request.compare.push_back(all_x);
  EXPECT_TRUE(client().txn(request).value().succeeded) << "both keys hold x";
  put(client(), key("r/b"), "y");
  EXPECT_FALSE(client().txn(request).value().succeeded) << "one key does not hold x any more";
}

TEST_P(TxnContract, ThenRunsWhenEveryCompareHoldsElseOtherwise) {
  put(client(), key("flag"), "on");
  TxnRequest request;
  Compare on;
  on.target = Target::value;
  on.key = key("flag");
  on.value = "on";
  request.compare.push_back(on);
  request.success.push_back(put_op(key("then"), "ran"));
  request.success.push_back(range_op(key("flag")));
  request.failure.push_back(delete_op(key("flag")));

  TxnResponse then = client().txn(request).value();
  EXPECT_TRUE(then.succeeded);
  ASSERT_EQ(then.responses.size(), 2u) << "one response per op of the branch that ran";
  ASSERT_TRUE(std::holds_alternative<PutResponse>(then.responses[0]));
  ASSERT_TRUE(std::holds_alternative<RangeResponse>(then.responses[1]));
  const auto& read = std::get<RangeResponse>(then.responses[1]);
  ASSERT_EQ(read.kvs.size(), 1u);
  EXPECT_EQ(read.kvs[0].value, "on");
  EXPECT_EQ(get(client(), key("then"))->value, "ran");

  put(client(), key("flag"), "off");
  TxnResponse otherwise = client().txn(request).value();
  EXPECT_FALSE(otherwise.succeeded);
  ASSERT_EQ(otherwise.responses.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<DeleteRangeResponse>(otherwise.responses[0]));
  EXPECT_EQ(std::get<DeleteRangeResponse>(otherwise.responses[0]).deleted, 1);
  EXPECT_FALSE(get(client(), key("flag")).has_value()) << "the else branch deleted the flag";
}

TEST_P(TxnContract, AllWritesOfATransactionShareOneRevision) {
  put(client(), key("gone"), "v");
  Revision before = current_revision(client());
  TxnRequest request;
  request.success.push_back(put_op(key("a"), "1"));
  request.success.push_back(put_op(key("b"), "2"));
  request.success.push_back(delete_op(key("gone")));
  TxnResponse response = client().txn(request).value();
  EXPECT_TRUE(response.succeeded) << "no compare: the success branch runs";
  EXPECT_EQ(response.revision, before + 1) << "a transaction is one revision, whatever it writes";
  EXPECT_EQ(get(client(), key("a"))->mod_revision, before + 1);
  EXPECT_EQ(get(client(), key("b"))->mod_revision, before + 1);
  EXPECT_FALSE(get(client(), key("gone")).has_value());
}

TEST_P(TxnContract, ARefusedTransactionWritesNothing) {
  Revision before = current_revision(client());
  TxnRequest duplicate;
  duplicate.success.push_back(put_op(key("a"), "1"));
  duplicate.success.push_back(put_op(key("x"), "1"));
  duplicate.success.push_back(put_op(key("x"), "2"));
  auto refused = client().txn(duplicate);
  ASSERT_FALSE(refused.ok()) << "two puts of one key in one branch are refused";
  EXPECT_EQ(refused.error().code, StoreErrc::duplicate_key) << refused.error().message;

  TxnRequest too_many;
  for (int i = 0; i < 129; ++i) too_many.success.push_back(put_op(key("op" + std::to_string(i)), "v"));
  refused = client().txn(too_many);
  ASSERT_FALSE(refused.ok()) << "129 ops is over etcd's limit of 128";
  EXPECT_EQ(refused.error().code, StoreErrc::too_many_ops) << refused.error().message;

  TxnRequest bad_lease;  // the first op is fine, the second names a lease that does not exist
  bad_lease.success.push_back(put_op(key("fine"), "1"));
  PutRequest leased = put_op(key("leased"), "2");
  leased.lease = 0x7777780;
  bad_lease.success.push_back(leased);
  refused = client().txn(bad_lease);
  ASSERT_FALSE(refused.ok()) << "a put on an unknown lease fails the whole transaction";
  EXPECT_EQ(refused.error().code, StoreErrc::lease_not_found) << refused.error().message;

  EXPECT_EQ(current_revision(client()), before) << "all or nothing: no op of a refused txn ran";
  EXPECT_TRUE(list(client(), prefix()).empty());
}

TEST_P(TxnContract, CreateIfAbsentCreatesOnce) {
  auto first = client().create_if_absent(key("k"), "first").value();
  ASSERT_TRUE(first.has_value()) << "the key was absent: created";
  auto second = client().create_if_absent(key("k"), "second").value();
  EXPECT_FALSE(second.has_value()) << "the key exists: nothing written";
  auto kv = get(client(), key("k"));
  EXPECT_EQ(kv->value, "first");
  EXPECT_EQ(kv->mod_revision, *first) << "the returned revision is the put's";
}

TEST_P(TxnContract, UpdateIfUnchangedRefusesAStaleRevision) {
  Revision r1 = put(client(), key("k"), "v1");
  auto updated = client().update_if_unchanged(key("k"), "v2", r1).value();
  ASSERT_TRUE(updated.has_value()) << "mod_revision was still r1";
  auto stale = client().update_if_unchanged(key("k"), "v3", r1).value();
  EXPECT_FALSE(stale.has_value()) << "someone (we) changed it since r1";
  EXPECT_EQ(get(client(), key("k"))->value, "v2");
  EXPECT_FALSE(client().update_if_unchanged(key("missing"), "v", r1).value().has_value())
      << "a missing key has mod_revision 0, not r1";
}

TEST_P(TxnContract, CreateIfAbsentRaceHasExactlyOneWinnerPerKey) {
  constexpr int kKeys = 40;
  std::vector<std::vector<bool>> won(2, std::vector<bool>(kKeys));
  auto racer = [&](int who) {
    StoreClient mine = connect();
    for (int i = 0; i < kKeys; ++i) {
      won[who][i] = mine.create_if_absent(key(std::to_string(i)), "racer" + std::to_string(who)).value().has_value();
    }
  };
  std::thread a(racer, 0), b(racer, 1);
  a.join();
  b.join();
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_NE(won[0][i], won[1][i]) << "key " << i << ": exactly one of the two racers must create it";
    std::string winner = won[0][i] ? "racer0" : "racer1";
    EXPECT_EQ(get(client(), key(std::to_string(i)))->value, winner) << "the loser must not overwrite";
  }
}

TEST_P(TxnContract, UpdateIfUnchangedLosesNoIncrement) {
  // Two clients increment one counter with read-modify-write; the compare on mod_revision makes
  // each increment apply to the value it read, so none is lost.
  constexpr int kIncrements = 25;
  put(client(), key("counter"), "0");
  auto incrementer = [&] {
    StoreClient mine = connect();
    for (int done = 0; done < kIncrements;) {
      KeyValue kv = *get(mine, key("counter"));
      std::string next = std::to_string(std::stoi(kv.value) + 1);
      if (mine.update_if_unchanged(key("counter"), next, kv.mod_revision).value()) ++done;
    }
  };
  std::thread a(incrementer), b(incrementer);
  a.join();
  b.join();
  EXPECT_EQ(get(client(), key("counter"))->value, std::to_string(2 * kIncrements))
      << "every successful update_if_unchanged is one increment";
}

INSTANTIATE_TEST_SUITE_P(Stores, TxnContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore), kind_name);

}  // namespace
}  // namespace deploylab::store::contract
