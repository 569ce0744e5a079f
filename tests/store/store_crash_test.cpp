// tests/store/store_crash_test.cpp: acknowledged writes survive SIGKILL (lab 10).
//
// Six writers write as fast as they can while the server is killed with SIGKILL at random
// moments and restarted on the same port and data directory; a watcher follows all their keys
// through every crash. Then: every acknowledged write is in the history at its revision, each
// writer's revisions increase, no two writes share a revision, every key holds its last
// acknowledged value or a later one, and the resumed watch saw exactly the store's history.
// The moments are random: the seed is printed, and DEPLOYLAB_CRASH_SEED=N replays a run.
// Two smaller tests: a watch reports the dead server (so the watcher knows to resume), and a
// lease granted before a crash still expires after the restart.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <limits>
#include <random>
#include <thread>

#include "orchestrator/store/key_range.h"
#include "tests/store/crash_workload.h"
#include "tests/store/store_contract.h"

namespace deploylab::store::crash {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kWriters = 6;
const std::string kPrefix = "/crash/";

std::uint64_t choose_seed() {
  if (const char* fixed = std::getenv("DEPLOYLAB_CRASH_SEED")) return std::strtoull(fixed, nullptr, 10);
  return std::random_device{}();
}

// Every event under kPrefix from `start` through `end`, read with one fresh watch.
std::vector<Event> read_history(StoreClient& client, Revision start, Revision end) {
  WatchRequest request;
  request.key = kPrefix;
  request.range_end = prefix_end(kPrefix);
  request.start_revision = start;
  auto stream = client.watch(request).value();
  std::vector<Event> events;
  auto deadline = Clock::now() + 15s;
  while ((events.empty() || events.back().kv.mod_revision < end) && Clock::now() < deadline) {
    auto message = stream->next(200ms).value();
    if (!message) continue;
    for (const Event& event : message->events) events.push_back(event);
  }
  return events;
}

void expect_none(const std::vector<std::string>& problems, const std::string& check) {
  std::string text;
  for (std::size_t i = 0; i < problems.size() && i < 20; ++i) text += "\n  " + problems[i];
  EXPECT_TRUE(problems.empty()) << check << ": " << problems.size() << " problem(s):" << text;
}

// One run of the crash test: the server, the writers and the watcher, phase by phase.
class CrashRun {
 public:
  CrashRun(ServerKind kind, std::uint64_t seed)
      : running_(contract::start_server(kind)), server_(running_->server), seed_(seed) {}
  ~CrashRun() {
    give_up_ = true;
    stop_load();  // no thread outlives a failed test
  }

  // Starts the watcher and the writers.
  void start_load() {
    StoreClient admin = contract::connect_to(server_.endpoint());
    start_ = contract::current_revision(admin) + 1;
    watcher_ = std::make_unique<Watcher>(server_.endpoint(), kPrefix, start_);
    watching_ = std::thread([this] {
      watcher_->run(until_, give_up_);
      watcher_done_ = true;
    });
    for (int i = 0; i < kWriters; ++i) {
      writers_.push_back(std::make_unique<Writer>(i, server_.endpoint(), kPrefix, seed_));
    }
    for (auto& writer : writers_) writing_.emplace_back([this, w = writer.get()] { w->run(stop_); });
  }

  // Kills the server `kills` times at random moments and restarts it; an error if a restart
  // failed (the load is stopped then).
  std::optional<std::string> crash(int kills) {
    std::mt19937_64 random(seed_);
    for (int i = 0; i < kills; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 400));
      server_.kill_now();
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 100));
      auto restarted = server_.restart();
      if (!restarted.ok()) {
        stop_load();
        return restarted.error().message();
      }
    }
    std::this_thread::sleep_for(300ms);  // some writes after the last restart too
    return std::nullopt;
  }

  // Stops the writers, then lets the watcher catch up with the final revision (15 s at most).
  void stop_load() {
    stop_ = true;
    for (auto& thread : writing_) thread.join();
    writing_.clear();
    if (!watching_.joinable()) return;
    StoreClient admin = contract::connect_to(server_.endpoint());
    RangeRequest everything;
    everything.key = std::string(1, '\0');
    everything.count_only = true;
    auto now = admin.range(everything);
    end_ = now.ok() ? now.value().revision : 0;  // 0: the server is down, the watcher stops
    until_ = end_;
    for (auto deadline = Clock::now() + 15s; !watcher_done_ && Clock::now() < deadline;) {
      std::this_thread::sleep_for(10ms);
    }
    give_up_ = true;
    watching_.join();
  }

  StoreServer& server() { return server_; }
  const Watcher& watcher() const { return *watcher_; }
  const std::vector<std::unique_ptr<Writer>>& writers() const { return writers_; }
  Revision start() const { return start_; }
  Revision end() const { return end_; }

 private:
  std::unique_ptr<contract::RunningServer> running_;
  StoreServer& server_;
  std::uint64_t seed_;
  Revision start_ = 0;
  Revision end_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<Revision> until_{std::numeric_limits<Revision>::max()};
  std::atomic<bool> give_up_{false};
  std::atomic<bool> watcher_done_{false};
  std::unique_ptr<Watcher> watcher_;
  std::thread watching_;
  std::vector<std::unique_ptr<Writer>> writers_;
  std::vector<std::thread> writing_;
};

class StoreCrash : public ::testing::TestWithParam<ServerKind> {
 protected:
  void SetUp() override {
    if (auto why = server_unavailable(GetParam())) GTEST_SKIP() << *why;
  }
};

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST_P(StoreCrash, AcknowledgedWritesSurviveSigkillAndTheWatchMissesNothing) {
  const std::uint64_t seed = choose_seed();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: DEPLOYLAB_CRASH_SEED=" + std::to_string(seed) + ")");
  std::cout << "crash test seed " << seed << "\n";
  RecordProperty("seed", std::to_string(seed));
  // etcd takes about a second to come back (it elects itself); ministore a few milliseconds.
  const int kills = GetParam() == ServerKind::etcd ? 5 : 8;

  auto began = Clock::now();
  CrashRun run(GetParam(), seed);
  run.start_load();
  auto failed_restart = run.crash(kills);
  run.stop_load();
  ASSERT_FALSE(failed_restart) << "restarting the server failed: " << *failed_restart;
  auto loaded = Clock::now();

  std::vector<Ack> acks;
  std::vector<std::vector<Ack>> by_writer;
  std::size_t failed_rounds = 0;
  for (const auto& writer : run.writers()) {
    expect_none(writer->errors(), "writer " + std::to_string(writer->id()) + " errors other than unavailable");
    acks.insert(acks.end(), writer->acks().begin(), writer->acks().end());
    by_writer.push_back(writer->acks());
    failed_rounds += writer->failed_rounds();
  }
  ASSERT_GT(acks.size(), static_cast<std::size_t>(kills * 10)) << "the writers hardly wrote: the test proves nothing";
  EXPECT_GE(run.watcher().resumes(), 1u) << "the watch should have broken at the kills";
  expect_none(run.watcher().errors(), "watcher errors");
  EXPECT_EQ(run.watcher().last_seen(), run.end()) << "the watcher did not catch up with the store";

  StoreClient admin = contract::connect_to(run.server().endpoint());
  expect_none(check_revisions(by_writer), "revisions");
  expect_none(check_acks_in_history(run.server().endpoint(), acks), "acknowledged writes in the history");
  expect_none(check_current_values(admin, kPrefix, acks), "current values");
  std::vector<Event> history = read_history(admin, run.start(), run.end());
  expect_none(check_watch(run.watcher().events(), history, acks, run.start(), run.end()), "the resumed watch");
  std::cout << to_string(GetParam()) << ": " << kills << " kills, " << acks.size() << " acknowledged writes, "
            << failed_rounds << " failed rounds, watch resumed " << run.watcher().resumes() << " times, revisions "
            << run.start() << ".." << run.end() << "; load " << ms_since(began) - ms_since(loaded) << " ms, checks "
            << ms_since(loaded) << " ms\n";
}

TEST_P(StoreCrash, AWatchSaysSoWhenTheServerDiesAndResumesAfterTheRestart) {
  auto running = contract::start_server(GetParam());
  StoreServer& server = running->server;
  StoreClient client = contract::connect_to(server.endpoint());
  WatchRequest request;
  request.key = "/broken/k";
  auto stream = contract::open_watch(client, request);
  Revision seen = contract::put(client, "/broken/k", "before");
  ASSERT_EQ(contract::collect_events(*stream, 1).size(), 1u);

  server.kill_now();
  auto start = Clock::now();
  StoreResult<std::optional<WatchResponse>> next = std::optional<WatchResponse>();
  while (next.ok() && !next.value() && Clock::now() - start < 3s) next = stream->next(100ms);
  ASSERT_FALSE(next.ok()) << "next() must report the broken stream, not wait forever";
  EXPECT_EQ(next.error().code, StoreErrc::unavailable) << next.error().message;
  EXPECT_NE(next.error().message.find("resume"), std::string::npos)
      << "the error should say how to resume: " << next.error().message;

  server.restart().value();
  Revision missed = contract::put(client, "/broken/k", "while nobody watched");
  request.start_revision = seen + 1;
  auto resumed = contract::open_watch(client, request);
  auto events = contract::collect_events(*resumed, 1);
  ASSERT_EQ(events.size(), 1u) << contract::describe(events);
  EXPECT_EQ(events[0].kv.mod_revision, missed);
  EXPECT_EQ(events[0].kv.value, "while nobody watched");
}

TEST_P(StoreCrash, ALeaseGrantedBeforeACrashStillExpiresAfterTheRestart) {
  auto running = contract::start_server(GetParam());
  StoreServer& server = running->server;
  StoreClient client = contract::connect_to(server.endpoint());
  LeaseGrantRequest grant;
  grant.ttl = 2;
  LeaseGrantResponse lease = client.lease_grant(grant).value();
  contract::put(client, "/lease/k", "v", lease.id);

  server.kill_now();
  server.restart().value();
  auto restarted = Clock::now();
  ASSERT_TRUE(contract::get(client, "/lease/k").has_value()) << "the key survives the crash with its lease";
  // After a restart a lease gets its full TTL again (etcd and ministore alike): gone within
  // one TTL of the restart, plus slack.
  auto limit = std::chrono::seconds(lease.ttl) + 1500ms;
  while (contract::get(client, "/lease/k").has_value() && Clock::now() - restarted < limit) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(contract::get(client, "/lease/k").has_value())
      << "a lease granted before the crash must still expire, within its TTL after the restart";
  LeaseTimeToLiveRequest ttl;
  ttl.id = lease.id;
  EXPECT_EQ(client.lease_time_to_live(ttl).value().ttl, -1) << "and the lease itself is gone";
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreCrash, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         contract::kind_name);

}  // namespace
}  // namespace deploylab::store::crash
