// tests/store/lease_contract_test.cpp: leases (grant, keepalive, time-to-live, revoke, expiry),
// against etcd and ministore alike (store_contract.h).
//
// etcd never grants less than its minimum TTL, which is 1.5 election timeouts rounded up: 2 s
// with the default 1 s election timeout. A grant of 1 s answers TTL 2 there; the tests accept
// any TTL >= the one asked and time expiry against the TTL actually granted.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

using namespace std::chrono_literals;

class LeaseContract : public StoreContract {
 protected:
  LeaseGrantResponse grant(std::int64_t ttl, LeaseId id = 0) {
    LeaseGrantRequest request;
    request.ttl = ttl;
    request.id = id;
    return client().lease_grant(request).value();
  }
  LeaseTimeToLiveResponse time_to_live(LeaseId id) {
    LeaseTimeToLiveRequest request;
    request.id = id;
    request.keys = true;
    return client().lease_time_to_live(request).value();
  }
  StoreResult<LeaseRevokeResponse> revoke(LeaseId id) {
    LeaseRevokeRequest request;
    request.id = id;
    return client().lease_revoke(request);
  }
  StoreResult<LeaseKeepAliveResponse> keepalive(LeaseId id) {
    LeaseKeepAliveRequest request;
    request.id = id;
    return client().lease_keepalive(request);
  }
};

TEST_P(LeaseContract, GrantGivesAnIdAndAtLeastTheAskedTtl) {
  LeaseGrantResponse granted = grant(30);
  EXPECT_NE(granted.id, 0) << "the store picks a lease id";
  EXPECT_EQ(granted.ttl, 30);
  LeaseGrantResponse chosen = grant(30, 0x4242);
  EXPECT_EQ(chosen.id, 0x4242) << "an id asked for is the id given";
  LeaseGrantResponse short_lease = grant(1);
  EXPECT_GE(short_lease.ttl, 1) << "a 1 s lease (etcd raises it to its 2 s minimum)";
  EXPECT_LE(short_lease.ttl, 2);
  RecordProperty("ttl_granted_for_1s", std::to_string(short_lease.ttl));
  for (LeaseId id : {granted.id, chosen.id, short_lease.id}) ASSERT_TRUE(revoke(id).ok());
}

TEST_P(LeaseContract, GrantWithAnIdInUseIsLeaseExists) {
  LeaseId id = grant(30).id;
  LeaseGrantRequest again;
  again.ttl = 30;
  again.id = id;
  auto response = client().lease_grant(again);
  ASSERT_FALSE(response.ok()) << "two leases cannot share an id";
  EXPECT_EQ(response.error().code, StoreErrc::lease_exists) << response.error().message;
  ASSERT_TRUE(revoke(id).ok());
}

TEST_P(LeaseContract, GrantWithAHugeTtlIsRefused) {
  LeaseGrantRequest request;
  request.ttl = 99999999999;
  auto response = client().lease_grant(request);
  ASSERT_FALSE(response.ok()) << "over etcd's MaxLeaseTTL (9,000,000,000 s)";
  EXPECT_EQ(response.error().code, StoreErrc::lease_ttl_too_large) << response.error().message;
}

TEST_P(LeaseContract, TimeToLiveListsTheAttachedKeys) {
  LeaseId id = grant(60).id;
  put(client(), key("a"), "1", id);
  put(client(), key("b"), "2", id);
  LeaseTimeToLiveResponse ttl = time_to_live(id);
  EXPECT_EQ(ttl.id, id);
  EXPECT_EQ(ttl.granted_ttl, 60);
  EXPECT_GT(ttl.ttl, 50) << "seconds left of a fresh 60 s lease";
  EXPECT_LE(ttl.ttl, 60);
  std::vector<std::string> keys = ttl.keys;
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{key("a"), key("b")}));
  ASSERT_TRUE(revoke(id).ok());
}

TEST_P(LeaseContract, TimeToLiveOfAnUnknownLeaseIsMinusOne) {
  LeaseTimeToLiveResponse ttl = time_to_live(0x7777777);
  EXPECT_EQ(ttl.ttl, -1) << "etcd answers TTL -1 for a lease it does not know, not an error";
}

TEST_P(LeaseContract, PutOnAnUnknownLeaseIsLeaseNotFound) {
  PutRequest request;
  request.key = key("k");
  request.value = "v";
  request.lease = 0x7777778;
  auto response = client().put(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, StoreErrc::lease_not_found) << response.error().message;
  EXPECT_FALSE(get(client(), key("k")).has_value());
}

TEST_P(LeaseContract, RevokeDeletesTheKeysInOneRevision) {
  LeaseId id = grant(60).id;
  put(client(), key("a"), "1", id);
  put(client(), key("b"), "2", id);
  put(client(), key("free"), "3");
  Revision before = current_revision(client());
  ASSERT_TRUE(revoke(id).ok());
  EXPECT_TRUE(list(client(), prefix()).size() == 1u) << "only the key without a lease is left";
  EXPECT_EQ(current_revision(client()), before + 1) << "the lease's keys go in one revision";
  auto again = revoke(id);
  ASSERT_FALSE(again.ok()) << "a revoked lease is gone";
  EXPECT_EQ(again.error().code, StoreErrc::lease_not_found) << again.error().message;
  EXPECT_EQ(time_to_live(id).ttl, -1);
}

TEST_P(LeaseContract, KeepaliveOfAnUnknownLeaseSaysItIsGone) {
  auto response = keepalive(0x7777779);
  if (response.ok()) {
    EXPECT_LE(response.value().ttl, 0) << "etcd answers TTL 0: the lease is gone";
  } else {
    EXPECT_EQ(response.error().code, StoreErrc::lease_not_found) << response.error().message;
  }
}

TEST_P(LeaseContract, ExpiryDeletesTheKeysUnlessKeptAlive) {
  // Two leases of the shortest TTL: one kept alive, one left to expire.
  LeaseGrantResponse kept = grant(1);
  LeaseGrantResponse left = grant(1);
  put(client(), key("kept"), "v", kept.id);
  put(client(), key("left"), "v", left.id);
  auto granted = std::chrono::seconds(left.ttl);
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(granted / 2);
  EXPECT_TRUE(get(client(), key("left")).has_value()) << "gone before half its TTL";
  // Keep `kept` alive every half TTL while `left` expires (TTL plus 1.5 s of slack).
  while (get(client(), key("left")).has_value() && std::chrono::steady_clock::now() - start < granted + 1500ms) {
    auto refreshed = keepalive(kept.id);
    ASSERT_TRUE(refreshed.ok()) << refreshed.error().message;
    EXPECT_EQ(refreshed.value().ttl, kept.ttl) << "keepalive restarts the full TTL";
    std::this_thread::sleep_for(granted / 4);
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(get(client(), key("left")).has_value())
      << "the key of an expired lease must be deleted within TTL + 1.5 s";
  EXPECT_GE(took, granted - 200ms) << "and not long before its TTL";
  EXPECT_TRUE(get(client(), key("kept")).has_value()) << "the kept-alive lease's key stays";
  EXPECT_EQ(time_to_live(left.id).ttl, -1) << "the expired lease is gone";
  LeaseTimeToLiveResponse alive = time_to_live(kept.id);
  EXPECT_GE(alive.ttl, 0);
  ASSERT_TRUE(revoke(kept.id).ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, LeaseContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         kind_name);

}  // namespace
}  // namespace deploylab::store::contract
