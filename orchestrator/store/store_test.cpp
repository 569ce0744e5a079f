// orchestrator/store/store_test.cpp: the Store as a whole (store.h) on a real SQLite file:
// revisions, history, group commit, restarts, watches from history and live, compaction, and
// leases that expire (also after a restart). The same behaviour over HTTP, against ministore
// and a real etcd, is in tests/store/.
#include "orchestrator/store/store.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "orchestrator/store/key_range.h"
#include "orchestrator/store/test_threads.h"

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TempDir::create("deploylab-test-store-").value(); }

  std::unique_ptr<Store> open(std::size_t watch_log_revisions = 10000) {
    StoreOptions options;
    options.data_dir = dir_.path() / "data";
    options.watch_log_revisions = watch_log_revisions;
    options.min_lease_ttl = 1;
    options.lease_check = 20ms;
    return Store::open(options).value();
  }

  static Revision put(Store& store, const std::string& key, const std::string& value, LeaseId lease = 0) {
    PutRequest request;
    request.key = key;
    request.value = value;
    request.lease = lease;
    return store.put(request).value().revision;
  }

  static std::optional<KeyValue> get(Store& store, const std::string& key, Revision revision = 0) {
    RangeRequest request;
    request.key = key;
    request.revision = revision;
    RangeResponse response = store.range(request).value();
    if (response.kvs.empty()) return std::nullopt;
    return response.kvs.front();
  }

  // Reads watch messages until `count` events arrived (or 5 s passed).
  static std::vector<Event> collect(Watcher& watcher, std::size_t count) {
    std::vector<Event> events;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (events.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto message = watcher.next(100ms);
      if (!message) continue;
      if (message->canceled) break;
      events.insert(events.end(), message->events.begin(), message->events.end());
    }
    return events;
  }

  TempDir dir_;
};

TEST_F(StoreTest, ANewStoreIsAtRevisionOneAndEachWriteAddsOne) {
  auto store = open();
  EXPECT_EQ(store->revision(), 1);
  EXPECT_EQ(put(*store, "a", "1"), 2);
  EXPECT_EQ(put(*store, "a", "2"), 3);
  KeyValue a = get(*store, "a").value();
  EXPECT_EQ(a.value, "2");
  EXPECT_EQ(a.create_revision, 2);
  EXPECT_EQ(a.mod_revision, 3);
  EXPECT_EQ(a.version, 2);
}

TEST_F(StoreTest, OlderRevisionsAreReadFromHistoryUntilCompacted) {
  auto store = open();
  put(*store, "k", "v1");  // 2
  put(*store, "k", "v2");  // 3
  DeleteRangeRequest del;
  del.key = "k";
  store->delete_range(del).value();  // 4
  EXPECT_EQ(get(*store, "k", 2)->value, "v1");
  EXPECT_EQ(get(*store, "k", 3)->value, "v2");
  EXPECT_FALSE(get(*store, "k", 4).has_value()) << "deleted at 4";

  RangeRequest future;
  future.key = "k";
  future.revision = 99;
  EXPECT_EQ(store->range(future).error().code, StoreErrc::future_revision);

  store->compact(CompactionRequest{3, false}).value();
  RangeRequest old;
  old.key = "k";
  old.revision = 2;
  auto compacted = store->range(old);
  ASSERT_FALSE(compacted.ok()) << "revision 2 is below the compaction at 3";
  EXPECT_EQ(compacted.error().code, StoreErrc::compacted);
  EXPECT_EQ(get(*store, "k", 3)->value, "v2") << "the compacted revision itself is still readable";
}

TEST_F(StoreTest, EverythingAcknowledgedIsThereAfterReopening) {
  LeaseId lease = 0;
  {
    auto store = open();
    put(*store, "a", "1");
    put(*store, "b", std::string("bytes\0\xff", 7));
    lease = store->lease_grant(LeaseGrantRequest{60, 0}).value().id;
    put(*store, "c", "leased", lease);
    store->compact(CompactionRequest{3, false}).value();
  }
  auto store = open();
  EXPECT_EQ(store->revision(), 4);
  EXPECT_EQ(get(*store, "b")->value, std::string("bytes\0\xff", 7));
  EXPECT_EQ(get(*store, "c")->lease, lease);
  EXPECT_EQ(store->stats().compact_revision, 3);
  LeaseTimeToLiveResponse ttl = store->lease_time_to_live(LeaseTimeToLiveRequest{lease, true}).value();
  EXPECT_EQ(ttl.granted_ttl, 60);
  EXPECT_EQ(ttl.keys, (std::vector<std::string>{"c"}));
  EXPECT_EQ(put(*store, "d", "after"), 5) << "revisions go on from where they were";
}

TEST_F(StoreTest, ConcurrentWritersShareCommits) {
  auto store = open();
  constexpr int kThreads = 16;
  constexpr int kPuts = 40;
  TestThreads threads;
  std::vector<std::vector<Revision>> seen(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.start([&, t] {
      for (int i = 0; i < kPuts; ++i) seen[t].push_back(put(*store, "t" + std::to_string(t), std::to_string(i)));
    });
  }
  ASSERT_EQ(threads.join(), "") << "a writer failed";
  StoreStats stats = store->stats();
  EXPECT_EQ(stats.revision, 1 + kThreads * kPuts);
  EXPECT_LT(stats.commits, stats.writes) << "16 writers at once should share fsyncs (group commit)";
  for (const auto& revisions : seen) {
    EXPECT_TRUE(std::is_sorted(revisions.begin(), revisions.end())) << "one writer's revisions only go up";
  }
}

TEST_F(StoreTest, CreateIfAbsentAndUpdateIfUnchanged) {
  auto store = open();
  auto create = [&](const std::string& value) {
    TxnRequest txn;
    Compare absent;
    absent.key = "obj";
    absent.target = Compare::Target::version;
    absent.number = 0;
    txn.compare.push_back(absent);
    PutRequest put;
    put.key = "obj";
    put.value = value;
    txn.success.push_back(put);
    return store->txn(txn).value().succeeded;
  };
  EXPECT_TRUE(create("first"));
  EXPECT_FALSE(create("second")) << "the key exists now";
  const Revision seen = get(*store, "obj")->mod_revision;
  auto update = [&](Revision expected, const std::string& value) {
    TxnRequest txn;
    Compare unchanged;
    unchanged.key = "obj";
    unchanged.target = Compare::Target::mod;
    unchanged.number = expected;
    txn.compare.push_back(unchanged);
    PutRequest put;
    put.key = "obj";
    put.value = value;
    txn.success.push_back(put);
    return store->txn(txn).value().succeeded;
  };
  EXPECT_TRUE(update(seen, "v2"));
  EXPECT_FALSE(update(seen, "v3")) << "a stale mod_revision must lose";
  EXPECT_EQ(get(*store, "obj")->value, "v2");
}

TEST_F(StoreTest, AWatchSeesHistoryThenLiveChangesInOrder) {
  auto store = open();
  put(*store, "/pods/a", "1");    // 2
  put(*store, "/nodes/x", "1");   // 3
  put(*store, "/pods/b", "1");    // 4
  WatchRequest request;
  request.key = "/pods/";
  request.range_end = prefix_end("/pods/");
  request.start_revision = 2;
  request.prev_kv = true;
  auto watcher = store->watch(request);
  auto created = watcher->next(1s);
  ASSERT_TRUE(created && created->created);
  put(*store, "/pods/a", "2");  // 5
  DeleteRangeRequest del;
  del.key = "/pods/b";
  store->delete_range(del).value();  // 6
  std::vector<Event> events = collect(*watcher, 4);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kv.mod_revision, 2);
  EXPECT_EQ(events[1].kv.mod_revision, 4);
  EXPECT_EQ(events[2].kv.mod_revision, 5);
  ASSERT_TRUE(events[2].prev_kv.has_value());
  EXPECT_EQ(events[2].prev_kv->value, "1");
  EXPECT_EQ(events[3].type, EventType::remove);
  EXPECT_EQ(events[3].kv.key, "/pods/b");
}

TEST_F(StoreTest, AWatcherThatFallsBehindTheLogCatchesUpFromDisk) {
  auto store = open(/*watch_log_revisions=*/4);
  WatchRequest request;
  request.key = "k";
  auto watcher = store->watch(request);
  ASSERT_TRUE(watcher->next(1s)->created);
  for (int i = 0; i < 50; ++i) put(*store, "k", std::to_string(i));
  std::vector<Event> events = collect(*watcher, 50);
  ASSERT_EQ(events.size(), 50u) << "the log keeps 4 revisions; the rest must come from SQLite";
  for (int i = 0; i < 50; ++i) EXPECT_EQ(events[i].kv.value, std::to_string(i));
}

TEST_F(StoreTest, AWatchFromACompactedRevisionIsCanceledWithTheCompactRevision) {
  auto store = open();
  for (int i = 0; i < 5; ++i) put(*store, "k", std::to_string(i));  // 2..6
  store->compact(CompactionRequest{5, false}).value();
  WatchRequest request;
  request.key = "k";
  request.start_revision = 3;
  auto watcher = store->watch(request);
  ASSERT_TRUE(watcher->next(1s)->created);
  auto canceled = watcher->next(1s);
  ASSERT_TRUE(canceled.has_value());
  EXPECT_TRUE(canceled->canceled);
  EXPECT_EQ(canceled->compact_revision, 5);
}

TEST_F(StoreTest, KeysOfAnExpiredLeaseAreDeletedAndWatchersSeeIt) {
  auto store = open();
  const LeaseId lease = store->lease_grant(LeaseGrantRequest{1, 0}).value().id;
  put(*store, "/nodes/n1", "alive", lease);
  WatchRequest request;
  request.key = "/nodes/n1";
  auto watcher = store->watch(request);
  ASSERT_TRUE(watcher->next(1s)->created);
  std::vector<Event> events = collect(*watcher, 1);
  ASSERT_EQ(events.size(), 1u) << "the lease (TTL 1 s) should have expired within 5 s";
  EXPECT_EQ(events[0].type, EventType::remove);
  EXPECT_FALSE(get(*store, "/nodes/n1").has_value());
  EXPECT_EQ(store->lease_time_to_live(LeaseTimeToLiveRequest{lease, false}).value().ttl, -1);
}

TEST_F(StoreTest, KeepalivesKeepALeaseAliveAndRevokeEndsIt) {
  auto store = open();
  const LeaseId lease = store->lease_grant(LeaseGrantRequest{2, 0}).value().id;
  put(*store, "hb", "1", lease);
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(store->lease_keepalive(LeaseKeepAliveRequest{lease}).value().ttl, 2);
  }
  EXPECT_TRUE(get(*store, "hb").has_value()) << "3 s later (TTL 2 s), kept alive every 0.3 s";
  store->lease_revoke(LeaseRevokeRequest{lease}).value();
  EXPECT_FALSE(get(*store, "hb").has_value());
  EXPECT_EQ(store->lease_keepalive(LeaseKeepAliveRequest{lease}).error().code, StoreErrc::lease_not_found);
}

TEST_F(StoreTest, ALeaseGrantedBeforeARestartStillExpires) {
  {
    auto store = open();
    const LeaseId lease = store->lease_grant(LeaseGrantRequest{1, 0}).value().id;
    put(*store, "hb", "1", lease);
  }
  auto store = open();
  EXPECT_TRUE(get(*store, "hb").has_value()) << "a restart gives the lease its full TTL again";
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (get(*store, "hb") && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(get(*store, "hb").has_value()) << "the lease should expire within its TTL after the restart";
}

TEST_F(StoreTest, ADataDirThatIsAFileIsAClearError) {
  const auto file = dir_.path() / "file";
  write_file_atomic(file, "x").value();
  StoreOptions options;
  options.data_dir = file;
  auto store = Store::open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find(file.string()), std::string::npos) << store.error().message();
}

}  // namespace
}  // namespace deploylab::store
