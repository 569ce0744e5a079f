// orchestrator/store/gateway/watch_lines_test.cpp: a watch stream's lines are etcd's: created
// first, then the events, one JSON object per line; a cancellation ends it (watch_lines.h).
#include "orchestrator/store/gateway/watch_lines.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "orchestrator/store/gateway/fake_store.h"

namespace deploylab::store::gateway {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

WatchResponse message(Revision revision, bool created, bool canceled, Revision compact_revision = 0) {
  WatchResponse response;
  response.revision = revision;
  response.created = created;
  response.canceled = canceled;
  response.compact_revision = compact_revision;
  return response;
}

// The JSON objects of `text`, one per line; fails if a line is not JSON or the text does not
// end with a newline.
std::vector<json> parse_lines(const std::string& text) {
  std::vector<json> out;
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "every message ends with a newline: " << text;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    out.push_back(json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

TEST(WatchLines, PassesCreatedAndEventsThrough) {
  testing::WatchScript script;
  WatchLines lines(std::make_unique<testing::FakeWatcher>(script), 5);
  script.push(message(5, true, false));
  WatchResponse events = message(6, false, false);
  events.events.push_back(Event{.type = EventType::put, .kv = KeyValue{}, .prev_kv = std::nullopt});
  events.events[0].kv.key = "k";
  script.push(events);

  auto first = parse_lines(lines.next(milliseconds(100)));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["result"]["created"], true);
  auto second = parse_lines(lines.next(milliseconds(100)));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["result"]["events"][0]["kv"]["key"], "aw==");
  EXPECT_EQ(lines.next(milliseconds(10)), "") << "nothing more within the timeout";
  EXPECT_FALSE(lines.finished());
}

// A watcher that fails as an unfinished lab task does.
class ThrowingWatcher : public Watcher {
 public:
  std::optional<WatchResponse> next(std::chrono::milliseconds) override {
    throw std::logic_error("not implemented: lab 10: whether a key is in a range");
  }
  void cancel() override {}
};

TEST(WatchLines, AWatcherThatThrowsEndsTheStreamWithTheReason) {
  WatchLines lines(std::make_unique<ThrowingWatcher>(), 7);
  auto sent = parse_lines(lines.next(milliseconds(10)));
  ASSERT_EQ(sent.size(), 2u) << "created, then the cancellation";
  EXPECT_EQ(sent[1]["result"]["canceled"], true);
  EXPECT_EQ(sent[1]["result"]["cancel_reason"], "not implemented: lab 10: whether a key is in a range");
  EXPECT_TRUE(lines.finished()) << "the server goes on; only this stream ends";
}

TEST(WatchLines, AddsCreatedBeforeACompactedCancellationAsEtcdDoes) {
  testing::WatchScript script;
  WatchLines lines(std::make_unique<testing::FakeWatcher>(script), 13);
  script.push(message(0, false, true, 3));
  auto sent = parse_lines(lines.next(milliseconds(100)));
  ASSERT_EQ(sent.size(), 2u) << "etcd sends created, then the cancellation";
  EXPECT_EQ(sent[0]["result"]["created"], true);
  EXPECT_EQ(sent[0]["result"]["header"]["revision"], "13");
  EXPECT_EQ(sent[1]["result"]["canceled"], true);
  EXPECT_EQ(sent[1]["result"]["compact_revision"], "3");
  EXPECT_TRUE(lines.finished()) << "one watch per stream: a cancellation ends it";
  EXPECT_EQ(lines.next(milliseconds(10)), "");
}

TEST(WatchLines, DestroyingCancelsAndFreesTheWatcher) {
  testing::WatchScript script;
  {
    WatchLines lines(std::make_unique<testing::FakeWatcher>(script), 1);
    EXPECT_EQ(script.alive, 1);
  }
  EXPECT_EQ(script.canceled, 1);
  EXPECT_EQ(script.alive, 0);
}

}  // namespace
}  // namespace deploylab::store::gateway
