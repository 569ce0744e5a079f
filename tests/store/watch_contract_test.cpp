// tests/store/watch_contract_test.cpp: watches (from a past revision, prefixes, prev_kv,
// deletes, order, resuming, many watchers, filters), against etcd and ministore alike
// (store_contract.h).
#include <gtest/gtest.h>

#include <dirent.h>

#include <thread>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

using namespace std::chrono_literals;

class WatchContract : public StoreContract {
 protected:
  WatchRequest on_prefix(const std::string& name, Revision start = 0) {
    WatchRequest request;
    request.key = key(name);
    request.range_end = prefix_range_end(key(name));
    request.start_revision = start;
    return request;
  }
};

// Threads of this process, to see that a closed watch leaves none behind.
std::size_t thread_count() {
  std::size_t count = 0;
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return 0;
  while (dirent* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
  ::closedir(dir);
  return count;
}

TEST_P(WatchContract, FromAPastRevisionIncludesThatRevision) {
  put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  Revision r3 = put(client(), key("k"), "v3");
  WatchRequest request;
  request.key = key("k");
  request.start_revision = r2;
  auto stream = open_watch(client(), request);
  auto events = collect_events(*stream, 2);
  ASSERT_EQ(events.size(), 2u) << "start_revision is inclusive: r2 and r3; got " << describe(events);
  EXPECT_EQ(events[0].type, EventType::put);
  EXPECT_EQ(events[0].kv.value, "v2");
  EXPECT_EQ(events[0].kv.mod_revision, r2);
  EXPECT_EQ(events[0].kv.version, 2);
  EXPECT_EQ(events[1].kv.value, "v3");
  EXPECT_EQ(events[1].kv.mod_revision, r3);
  EXPECT_FALSE(events[0].prev_kv.has_value()) << "prev_kv was not asked for";
}

TEST_P(WatchContract, FromNowSeesOnlyLaterChanges) {
  put(client(), key("k"), "before");
  WatchRequest request;
  request.key = key("k");
  auto stream = open_watch(client(), request);
  put(client(), key("k"), "after");
  auto events = collect_events(*stream, 1);
  ASSERT_EQ(events.size(), 1u) << describe(events);
  EXPECT_EQ(events[0].kv.value, "after") << "start_revision 0 means from now on";
  EXPECT_TRUE(collect_events(*stream, 1, 300ms).empty()) << "nothing else happened";
}

TEST_P(WatchContract, APrefixWatchSeesOnlyItsKeys) {
  auto stream = open_watch(client(), on_prefix("in/"));
  put(client(), key("in/a"), "1");
  put(client(), key("out"), "x");
  put(client(), key("in0"), "x");  // '0' follows '/': outside the prefix
  put(client(), key("in/b/c"), "2");
  auto events = collect_events(*stream, 2);
  ASSERT_EQ(events.size(), 2u) << describe(events);
  EXPECT_EQ(events[0].kv.key, key("in/a"));
  EXPECT_EQ(events[1].kv.key, key("in/b/c"));
  EXPECT_TRUE(collect_events(*stream, 1, 300ms).empty()) << "keys outside the prefix are not delivered";
}

TEST_P(WatchContract, PrevKvCarriesTheVersionBeforeEachChange) {
  Revision r1 = put(client(), key("k"), "v1");
  WatchRequest request;
  request.key = key("k");
  request.prev_kv = true;
  auto stream = open_watch(client(), request);
  Revision r2 = put(client(), key("k"), "v2");
  DeleteRangeRequest remove;
  remove.key = key("k");
  client().delete_range(remove).value();
  auto events = collect_events(*stream, 2);
  ASSERT_EQ(events.size(), 2u) << describe(events);
  ASSERT_TRUE(events[0].prev_kv.has_value()) << "prev_kv asked: a put carries the version it replaced";
  EXPECT_EQ(events[0].prev_kv->value, "v1");
  EXPECT_EQ(events[0].prev_kv->mod_revision, r1);
  EXPECT_EQ(events[1].type, EventType::remove);
  ASSERT_TRUE(events[1].prev_kv.has_value()) << "and a delete the version it deleted";
  EXPECT_EQ(events[1].prev_kv->value, "v2");
  EXPECT_EQ(events[1].prev_kv->mod_revision, r2);
}

TEST_P(WatchContract, DeletesAreEventsWithTheKeyAndTheDeleteRevision) {
  put(client(), key("d/a"), "1");
  put(client(), key("d/b"), "2");
  auto stream = open_watch(client(), on_prefix("d/"));
  DeleteRangeRequest remove;
  remove.key = key("d/");
  remove.range_end = prefix_range_end(key("d/"));
  Revision deleted = client().delete_range(remove).value().revision;
  auto events = collect_events(*stream, 2);
  ASSERT_EQ(events.size(), 2u) << "one delete event per deleted key: " << describe(events);
  for (const Event& event : events) {
    EXPECT_EQ(event.type, EventType::remove) << describe(event);
    EXPECT_EQ(event.kv.mod_revision, deleted) << "a delete event carries the delete's revision";
    EXPECT_EQ(event.kv.value, "") << "and no value";
  }
  EXPECT_EQ(events[0].kv.key, key("d/a"));
  EXPECT_EQ(events[1].kv.key, key("d/b"));
}

TEST_P(WatchContract, EventsArriveInRevisionOrderWithNoneMissing) {
  auto stream = open_watch(client(), on_prefix("o/"));
  std::vector<Revision> written;
  for (int i = 0; i < 60; ++i) written.push_back(put(client(), key("o/" + std::to_string(i % 7)), std::to_string(i)));
  TxnRequest both;  // two events at one revision
  both.success.push_back(put_op(key("o/x"), "tx"));
  both.success.push_back(put_op(key("o/y"), "tx"));
  Revision txn = client().txn(both).value().revision;
  auto events = collect_events(*stream, written.size() + 2);
  ASSERT_EQ(events.size(), written.size() + 2) << describe(events);
  for (std::size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(events[i].kv.mod_revision, written[i]) << "event " << i;
    EXPECT_EQ(events[i].kv.value, std::to_string(i)) << "event " << i;
  }
  EXPECT_EQ(events[written.size()].kv.mod_revision, txn);
  EXPECT_EQ(events[written.size() + 1].kv.mod_revision, txn) << "a txn's writes share its revision";
}

TEST_P(WatchContract, AResumedWatchStartsRightAfterTheLastRevisionSeen) {
  Revision last_seen = 0;
  {
    auto stream = open_watch(client(), on_prefix("r/"));
    for (int i = 0; i < 3; ++i) put(client(), key("r/k"), "first" + std::to_string(i));
    auto events = collect_events(*stream, 3);
    ASSERT_EQ(events.size(), 3u) << describe(events);
    last_seen = events.back().kv.mod_revision;
  }  // closed: these writes happen while nobody watches
  Revision missed = put(client(), key("r/k"), "missed");
  DeleteRangeRequest remove;
  remove.key = key("r/k");
  client().delete_range(remove).value();
  auto resumed = open_watch(client(), on_prefix("r/", last_seen + 1));
  auto events = collect_events(*resumed, 2);
  ASSERT_EQ(events.size(), 2u) << "exactly the changes after last_seen: " << describe(events);
  EXPECT_EQ(events[0].kv.mod_revision, missed) << "no gap, no repeat";
  EXPECT_EQ(events[0].kv.value, "missed");
  EXPECT_EQ(events[1].type, EventType::remove);
  EXPECT_TRUE(collect_events(*resumed, 1, 300ms).empty());
}

TEST_P(WatchContract, ManyWatchersAllSeeEveryEvent) {
  constexpr int kWatchers = 20;
  constexpr int kPuts = 15;
  std::vector<std::unique_ptr<WatchStream>> streams;
  for (int i = 0; i < kWatchers; ++i) streams.push_back(open_watch(client(), on_prefix("m/")));
  for (int i = 0; i < kPuts; ++i) put(client(), key("m/" + std::to_string(i)), "v");
  for (int i = 0; i < kWatchers; ++i) {
    auto events = collect_events(*streams[i], kPuts);
    EXPECT_EQ(events.size(), static_cast<std::size_t>(kPuts)) << "watcher " << i << ": " << describe(events);
  }
}

TEST_P(WatchContract, NoPutAndNoDeleteFilterEvents) {
  WatchRequest only_deletes = on_prefix("f/");
  only_deletes.no_put = true;
  WatchRequest only_puts = on_prefix("f/");
  only_puts.no_delete = true;
  auto deletes = open_watch(client(), only_deletes);
  auto puts = open_watch(client(), only_puts);
  put(client(), key("f/a"), "1");
  DeleteRangeRequest remove;
  remove.key = key("f/a");
  client().delete_range(remove).value();
  put(client(), key("f/b"), "2");
  auto seen_deletes = collect_events(*deletes, 1);
  ASSERT_EQ(seen_deletes.size(), 1u) << describe(seen_deletes);
  EXPECT_EQ(seen_deletes[0].type, EventType::remove) << "no_put: puts are filtered out";
  auto seen_puts = collect_events(*puts, 2);
  ASSERT_EQ(seen_puts.size(), 2u) << describe(seen_puts);
  EXPECT_EQ(seen_puts[0].type, EventType::put);
  EXPECT_EQ(seen_puts[1].type, EventType::put) << "no_delete: deletes are filtered out";
  EXPECT_TRUE(collect_events(*deletes, 1, 200ms).empty());
}

TEST_P(WatchContract, ClosingAnIdleWatchIsPromptAndLeavesNoThread) {
  std::size_t before = thread_count();
  auto stream = open_watch(client(), on_prefix("idle/"));
  EXPECT_GT(thread_count(), before) << "a watch is read by a thread of its own";
  auto start = std::chrono::steady_clock::now();
  stream.reset();  // the server keeps the stream open: the client must cut it
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 1s) << "closing a watch waited "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  // A joined thread's /proc entry can outlive the join by a moment: the kernel reaps it after
  // waking the joiner.
  for (int i = 0; i < 100 && thread_count() != before; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(thread_count(), before) << "the reader thread must be gone";
}

TEST_P(WatchContract, NextReturnsNothingAfterTheTimeoutWhenNothingHappens) {
  auto stream = open_watch(client(), on_prefix("quiet/"));
  auto start = std::chrono::steady_clock::now();
  auto message = stream->next(200ms);
  ASSERT_TRUE(message.ok()) << message.error().message;
  EXPECT_FALSE(message.value().has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 190ms) << "next() waits for its timeout";
}

INSTANTIATE_TEST_SUITE_P(Stores, WatchContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         kind_name);

}  // namespace
}  // namespace deploylab::store::contract
