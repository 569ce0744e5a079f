// orchestrator/store/lease_table_test.cpp: the lease bookkeeping (lease_table.h): grants,
// keys moving between leases, and revokes that hand back the keys to delete, in key order.
#include "orchestrator/store/lease_table.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

using Keys = std::set<std::string>;

// The keys attached to lease `id` ("no such lease" fails the test).
Keys keys_of(const LeaseTable& table, LeaseId id) {
  const Lease* lease = table.find(id);
  if (lease == nullptr) {
    ADD_FAILURE() << "lease " << id << " should exist";
    return {};
  }
  return lease->keys;
}

TEST(LeaseTableGrant, AddsALeaseWithItsTtlAndNoKeys) {
  LeaseTable table;
  table.grant(7, 30);
  ASSERT_TRUE(table.contains(7));
  EXPECT_EQ(table.find(7)->id, 7);
  EXPECT_EQ(table.find(7)->ttl, 30);
  EXPECT_TRUE(table.find(7)->keys.empty());
  EXPECT_FALSE(table.contains(8));
  EXPECT_EQ(table.find(8), nullptr);
}

TEST(LeaseTableGrant, IdsAreListedInOrder) {
  LeaseTable table;
  table.grant(30, 5);
  table.grant(10, 5);
  table.grant(20, 5);
  EXPECT_EQ(table.ids(), (std::vector<LeaseId>{10, 20, 30}));
  EXPECT_EQ(table.size(), 3u);
}

TEST(LeaseTableAttach, AKeyPutWithALeaseIsAttachedToIt) {
  LeaseTable table;
  table.grant(1, 10);
  table.attach("/nodes/n1", 0, 1);
  EXPECT_EQ(keys_of(table, 1), Keys{"/nodes/n1"});
}

TEST(LeaseTableAttach, ChangingTheLeaseMovesTheKey) {
  LeaseTable table;
  table.grant(1, 10);
  table.grant(2, 10);
  table.attach("k", 0, 1);
  table.attach("k", 1, 2);
  EXPECT_EQ(keys_of(table, 1), Keys{}) << "a key put with another lease must leave its old lease";
  EXPECT_EQ(keys_of(table, 2), Keys{"k"});
}

TEST(LeaseTableAttach, PuttingWithoutALeaseDetaches) {
  LeaseTable table;
  table.grant(1, 10);
  table.attach("k", 0, 1);
  table.attach("k", 1, 0);
  EXPECT_EQ(keys_of(table, 1), Keys{}) << "a put with lease 0 detaches the key";
}

TEST(LeaseTableAttach, KeepingTheSameLeaseKeepsTheKey) {
  LeaseTable table;
  table.grant(1, 10);
  table.attach("k", 0, 1);
  table.attach("k", 1, 1);
  EXPECT_EQ(keys_of(table, 1), Keys{"k"});
}

TEST(LeaseTableDetach, RemovesOnlyThatKey) {
  LeaseTable table;
  table.grant(1, 10);
  table.attach("a", 0, 1);
  table.attach("b", 0, 1);
  table.detach("a", 1);
  EXPECT_EQ(keys_of(table, 1), Keys{"b"});
  table.detach("b", 0);
  table.detach("b", 99);
  EXPECT_EQ(keys_of(table, 1), Keys{"b"}) << "detaching from lease 0 or an unknown lease changes nothing";
}

TEST(LeaseTableRevoke, ReturnsTheAttachedKeysInKeyOrderAndForgetsTheLease) {
  LeaseTable table;
  table.grant(1, 10);
  table.grant(2, 10);
  for (const char* key : {"c", "a", "b"}) table.attach(key, 0, 1);
  table.attach("other", 0, 2);
  EXPECT_EQ(table.revoke(1), (std::vector<std::string>{"a", "b", "c"})) << "etcd deletes a lease's keys in key order";
  EXPECT_FALSE(table.contains(1));
  EXPECT_EQ(keys_of(table, 2), Keys{"other"}) << "revoking one lease leaves the others' keys alone";
}

TEST(LeaseTableRevoke, UnknownLeaseReturnsNothing) {
  LeaseTable table;
  EXPECT_TRUE(table.revoke(5).empty());
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace deploylab::store
