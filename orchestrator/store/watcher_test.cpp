// orchestrator/store/watcher_test.cpp: unit tests of the watcher's pure part, select_events
// (watcher.h): which events a watch wants and in what form. The whole watcher (history, then
// live, then compaction) is tested through the store in store_test.cpp.
#include "orchestrator/store/watcher.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

Event event(EventType type, const std::string& key, Revision revision) {
  Event e;
  e.type = type;
  e.kv.key = key;
  e.kv.mod_revision = revision;
  e.prev_kv = KeyValue{key, "old", 1, 1, 1, 0};
  return e;
}

std::vector<std::string> keys(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(e.kv.key);
  return out;
}

const std::vector<Event> kEvents = {event(EventType::put, "/pods/a", 5), event(EventType::put, "/nodes/x", 6),
                                    event(EventType::remove, "/pods/b", 7), event(EventType::put, "/pods/c", 8)};

TEST(SelectEvents, APrefixWatchSeesOnlyItsKeysFromItsStartRevision) {
  WatchRequest request{"/pods/", "/pods0"};
  EXPECT_EQ(keys(select_events(request, kEvents, 0)), (std::vector<std::string>{"/pods/a", "/pods/b", "/pods/c"}));
  EXPECT_EQ(keys(select_events(request, kEvents, 7)), (std::vector<std::string>{"/pods/b", "/pods/c"}));
}

TEST(SelectEvents, FiltersDropPutsOrDeletes) {
  WatchRequest request{"/pods/", "/pods0"};
  request.no_put = true;
  EXPECT_EQ(keys(select_events(request, kEvents, 0)), (std::vector<std::string>{"/pods/b"}));
  request.no_put = false;
  request.no_delete = true;
  EXPECT_EQ(keys(select_events(request, kEvents, 0)), (std::vector<std::string>{"/pods/a", "/pods/c"}));
}

TEST(SelectEvents, PrevKvOnlyWhenAskedFor) {
  WatchRequest request{"/pods/a", ""};
  EXPECT_FALSE(select_events(request, kEvents, 0).at(0).prev_kv.has_value());
  request.prev_kv = true;
  EXPECT_TRUE(select_events(request, kEvents, 0).at(0).prev_kv.has_value());
}

}  // namespace
}  // namespace deploylab::store
