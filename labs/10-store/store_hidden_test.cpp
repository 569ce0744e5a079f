// labs/10-store/store_hidden_test.cpp: lab 10's hidden tests. The same rules as the visible
// tests, under pressure: many writers racing on one key through the two transactions an API
// server uses, a prefix that ends in 0xff, and a watch that starts exactly at the compacted
// revision.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "common/temp_dir.h"
#include "orchestrator/store/key_range.h"
#include "orchestrator/store/store.h"
#include "orchestrator/store/test_threads.h"

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;

class StoreHidden : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir::create("deploylab-test-lab10-hidden-").value();
    StoreOptions options;
    options.data_dir = dir_.path();
    store_ = Store::open(options).value();
  }
  TxnRequest create_if_absent(const std::string& key, const std::string& value) {
    TxnRequest txn;
    Compare absent;
    absent.key = key;
    absent.target = Compare::Target::version;
    txn.compare.push_back(absent);
    txn.success.push_back(PutRequest{key, value});
    return txn;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreHidden, OfEightRacingCreatesExactlyOneWins) {
  std::atomic<int> winners{0};
  TestThreads threads;
  for (int t = 0; t < 8; ++t) {
    threads.start([&, t] {
      if (store_->txn(create_if_absent("/leader", std::to_string(t))).value().succeeded) ++winners;
    });
  }
  ASSERT_EQ(threads.join(), "") << "a transaction failed";
  EXPECT_EQ(winners.load(), 1);
  RangeRequest read{"/leader", ""};
  EXPECT_EQ(store_->range(read).value().kvs.at(0).version, 1);
}

TEST_F(StoreHidden, CompareAndSwapCountersLoseNoIncrement) {
  ASSERT_TRUE(store_->txn(create_if_absent("/counter", "0")).value().succeeded);
  constexpr int kThreads = 6;
  constexpr int kIncrements = 25;
  TestThreads threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.start([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Each attempt loses only to another thread's success, so 1000 tries are plenty; a
        // compare that never holds fails the test instead of spinning until the timeout.
        for (int attempt = 0;; ++attempt) {
          if (attempt == 1000) throw std::runtime_error("1000 compare-and-swap attempts failed in a row");
          KeyValue seen = store_->range(RangeRequest{"/counter", ""}).value().kvs.at(0);
          TxnRequest txn;
          Compare unchanged;
          unchanged.key = "/counter";
          unchanged.target = Compare::Target::mod;
          unchanged.number = seen.mod_revision;
          txn.compare.push_back(unchanged);
          txn.success.push_back(PutRequest{"/counter", std::to_string(std::stoi(seen.value) + 1)});
          if (store_->txn(txn).value().succeeded) break;
        }
      }
    });
  }
  ASSERT_EQ(threads.join(), "") << "an increment failed";
  KeyValue counter = store_->range(RangeRequest{"/counter", ""}).value().kvs.at(0);
  EXPECT_EQ(counter.value, std::to_string(kThreads * kIncrements)) << "an update that lost a race was applied";
  EXPECT_EQ(counter.version, 1 + kThreads * kIncrements);
}

TEST_F(StoreHidden, APrefixEndingIn0xffHoldsExactlyItsKeys) {
  const std::string prefix = "a\xff";
  for (const std::string& key : {std::string("a"), std::string("a\xff"), std::string("a\xff\x01"),
                                std::string("a\xff\xff"), std::string("b"), std::string("b\x01")}) {
    store_->put(PutRequest{key, "x"}).value();
  }
  RangeRequest request{prefix, prefix_end(prefix)};
  EXPECT_EQ(store_->range(request).value().count, 3) << "a\\xff, a\\xff\\x01 and a\\xff\\xff; not b";
}

TEST_F(StoreHidden, AWatchFromExactlyTheCompactedRevisionIsServed) {
  for (int i = 0; i < 4; ++i) store_->put(PutRequest{"k", std::to_string(i)}).value();  // 2..5
  store_->compact(CompactionRequest{4, false}).value();
  WatchRequest request;
  request.key = "k";
  request.start_revision = 4;
  auto watcher = store_->watch(request);
  std::vector<Revision> seen;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (seen.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    auto message = watcher->next(100ms);
    if (!message || message->created) continue;
    ASSERT_FALSE(message->canceled) << "revision 4 is the compacted revision itself: still there";
    for (const Event& e : message->events) seen.push_back(e.kv.mod_revision);
  }
  EXPECT_EQ(seen, (std::vector<Revision>{4, 5}));
}

}  // namespace
}  // namespace deploylab::store
