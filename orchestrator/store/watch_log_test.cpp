// orchestrator/store/watch_log_test.cpp: unit tests of the watch log (watch_log.h): readers
// follow the writer's batches, wait for new ones, and are told when they fell behind.
#include "orchestrator/store/watch_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "orchestrator/store/key_range.h"

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;

Event put_at(const std::string& key, Revision revision) {
  Event event;
  event.kv.key = key;
  event.kv.mod_revision = revision;
  return event;
}

std::vector<Revision> revisions(const WatchLog::Read& read, Revision after) {
  std::vector<Revision> seen;
  for (const auto& batch : read.batches) {
    for (const Event& event : *batch) {
      if (event.kv.mod_revision > after) seen.push_back(event.kv.mod_revision);
    }
  }
  return seen;
}

TEST(WatchLog, AReaderGetsEverythingAfterItsPosition) {
  WatchLog log(100, 1);
  log.publish({put_at("a", 2), put_at("b", 3)}, 3);
  log.publish({put_at("c", 4)}, 4);
  WatchLog::Read read = log.read_after(2, 0ms);
  ASSERT_EQ(read.status, WatchLog::Read::Status::events);
  EXPECT_EQ(read.revision, 4);
  EXPECT_EQ(revisions(read, 2), (std::vector<Revision>{3, 4}));
}

TEST(WatchLog, AReaderThatIsUpToDateWaitsUntilTheTimeout) {
  WatchLog log(100, 5);
  const auto start = std::chrono::steady_clock::now();
  WatchLog::Read read = log.read_after(5, 50ms);
  EXPECT_EQ(read.status, WatchLog::Read::Status::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
}

TEST(WatchLog, AWaitingReaderWakesUpOnPublish) {
  WatchLog log(100, 1);
  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    log.publish({put_at("a", 2)}, 2);
  });
  WatchLog::Read read = log.read_after(1, 5000ms);
  writer.join();
  ASSERT_EQ(read.status, WatchLog::Read::Status::events) << "the publish should have woken the reader";
  EXPECT_EQ(revisions(read, 1), (std::vector<Revision>{2}));
}

TEST(WatchLog, AReaderSleepsThroughOtherKeysAndMovesPastThemAtItsTimeout) {
  WatchLog log(100, 1);
  const KeyRange nodes{"/nodes/", prefix_end("/nodes/")};
  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    log.publish({put_at("/pods/a", 2)}, 2);
  });
  const auto start = std::chrono::steady_clock::now();
  WatchLog::Read read = log.read_after(1, 300ms, nullptr, &nodes);
  writer.join();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 280ms) << "a /pods/ write must not wake a /nodes/ watcher";
  ASSERT_EQ(read.status, WatchLog::Read::Status::events) << "at its timeout it gets what is newer, to move past it";
  EXPECT_EQ(read.revision, 2);
}

TEST(WatchLog, AReaderWakesForItsOwnKeys) {
  WatchLog log(100, 1);
  const KeyRange pods{"/pods/", prefix_end("/pods/")};
  std::thread writer([&] {
    std::this_thread::sleep_for(20ms);
    log.publish({put_at("/nodes/x", 2)}, 2);
    std::this_thread::sleep_for(20ms);
    log.publish({put_at("/pods/a", 3)}, 3);
  });
  const auto start = std::chrono::steady_clock::now();
  WatchLog::Read read = log.read_after(1, 5000ms, nullptr, &pods);
  writer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms) << "the /pods/ write should have woken it";
  ASSERT_EQ(read.status, WatchLog::Read::Status::events);
  EXPECT_EQ(revisions(read, 1), (std::vector<Revision>{2, 3})) << "both batches: the reader filters";
}

TEST(WatchLog, OnlyTheLastRevisionsStayAndOlderReadersAreSentToDisk) {
  WatchLog log(3, 1);
  for (Revision r = 2; r <= 10; ++r) log.publish({put_at("k", r)}, r);
  EXPECT_EQ(log.floor(), 7) << "with room for 3 revisions, 8..10 stay in memory";
  EXPECT_EQ(log.read_after(5, 0ms).status, WatchLog::Read::Status::too_old);
  WatchLog::Read read = log.read_after(7, 0ms);
  ASSERT_EQ(read.status, WatchLog::Read::Status::events);
  EXPECT_EQ(revisions(read, 7), (std::vector<Revision>{8, 9, 10}));
}

TEST(WatchLog, ABatchWithoutEventsStillMovesTheRevision) {
  WatchLog log(10, 1);
  log.publish({}, 4);  // e.g. a lease grant: durable, but no key changed
  EXPECT_EQ(log.revision(), 4);
  EXPECT_EQ(log.floor(), 4) << "nothing is missing between 1 and 4: no event happened";
  EXPECT_EQ(log.read_after(3, 0ms).status, WatchLog::Read::Status::too_old);
}

TEST(WatchLog, CloseAndStopEndTheWait) {
  WatchLog log(10, 1);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop = true;
    log.wake_all();
  });
  EXPECT_EQ(log.read_after(1, 5000ms, &stop).status, WatchLog::Read::Status::timeout);
  stopper.join();
  log.close();
  EXPECT_EQ(log.read_after(1, 5000ms).status, WatchLog::Read::Status::closed);
}

}  // namespace
}  // namespace deploylab::store
