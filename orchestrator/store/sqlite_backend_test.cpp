// orchestrator/store/sqlite_backend_test.cpp: tests of the SQLite history (sqlite_backend.h).
//
// A small in-memory model replays the MVCC rules (txn_apply.h's, for puts and deletes) and says
// what the backend must give back; every test writes through the backend into a real SQLite
// file in a temporary directory, often reopens it, and compares with the model.
#include "orchestrator/store/sqlite_backend.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "common/unique_fd.h"
#include "orchestrator/store/sqlite_handle.h"

namespace deploylab::store {

// Readable failure messages: "a"=1 @5 (create 3, version 2, lease 0). Static: other test files
// of this binary may print KeyValues their own way.
static void PrintTo(const KeyValue& kv, std::ostream* out) {
  *out << testing::PrintToString(kv.key) << "=" << testing::PrintToString(kv.value) << " @" << kv.mod_revision
       << " (create " << kv.create_revision << ", version " << kv.version << ", lease " << kv.lease << ")";
}
static void PrintTo(const Event& event, std::ostream* out) {
  *out << (event.type == EventType::put ? "PUT " : "DELETE ");
  PrintTo(event.kv, out);
  if (!event.prev_kv) return;
  *out << " prev ";
  PrintTo(*event.prev_kv, out);
}

namespace {

namespace fs = std::filesystem;

const std::string kZero(1, '\0');

bool in_range(const KeyRange& range, const std::string& key) {
  if (range.is_single_key()) return key == range.key;
  if (range.is_unbounded()) return key >= range.key;
  return key >= range.key && key < range.range_end;
}

Event make_event(EventType type, KeyValue kv, std::optional<KeyValue> prev = std::nullopt) {
  Event event;
  event.type = type;
  event.kv = std::move(kv);
  event.prev_kv = std::move(prev);
  return event;
}

// A put of a key's first version at `revision`.
Event first_put(const std::string& key, const std::string& value, Revision revision) {
  return make_event(EventType::put, KeyValue{key, value, revision, revision, 1, 0});
}

WriteBatch make_batch(std::vector<Event> events, Revision revision) {
  WriteBatch batch;
  batch.events = std::move(events);
  batch.revision = revision;
  return batch;
}

// The store's MVCC rules for puts and deletes, in memory.
class Model {
 public:
  using Change = std::pair<std::string, std::optional<std::string>>;  // a value to put; nullopt: delete

  // One revision (a transaction) making `changes`: the events the writer would commit.
  std::vector<Event> revision(const std::vector<Change>& changes) {
    const Revision rev = ++revision_;
    std::vector<Event> events;
    for (const auto& [key, value] : changes) {
      std::optional<KeyValue> prev;
      if (auto found = live_.find(key); found != live_.end()) prev = found->second;
      if (!value) {
        KeyValue tombstone;
        tombstone.key = key;
        tombstone.mod_revision = rev;
        events.push_back(make_event(EventType::remove, tombstone, prev));
        live_.erase(key);
        continue;
      }
      const KeyValue kv{key, *value, prev ? prev->create_revision : rev, rev, prev ? prev->version + 1 : 1, 0};
      events.push_back(make_event(EventType::put, kv, prev));
      live_[key] = kv;
    }
    states_[rev] = live_;
    events_.insert(events_.end(), events.begin(), events.end());
    return events;
  }

  // Several revisions in one batch (a group commit).
  WriteBatch batch(const std::vector<std::vector<Change>>& revisions) {
    WriteBatch batch;
    for (const auto& changes : revisions) {
      for (Event& event : revision(changes)) batch.events.push_back(std::move(event));
    }
    batch.revision = revision_;
    return batch;
  }

  std::vector<KeyValue> range_at(const KeyRange& range, Revision at) const {
    std::vector<KeyValue> kvs;
    for (const auto& [key, kv] : states_.at(at)) {
      if (in_range(range, key)) kvs.push_back(kv);
    }
    return kvs;
  }

  std::vector<Event> events(const KeyRange& range, Revision from) const {
    std::vector<Event> out;
    for (const Event& event : events_) {
      if (event.kv.mod_revision >= from && in_range(range, event.kv.key)) out.push_back(event);
    }
    return out;
  }

  Revision current() const { return revision_; }

 private:
  Revision revision_ = 1;
  std::map<std::string, KeyValue> live_;
  std::map<Revision, std::map<std::string, KeyValue>> states_{{1, {}}};
  std::vector<Event> events_;
};

class SqliteBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteBackend> open_store(Durability durability = Durability::full) {
    auto opened = SqliteBackend::open({.path = path_, .durability = durability});
    if (!opened.ok()) ADD_FAILURE() << "opening " << path_ << ": " << opened.error().message();
    return std::move(opened).value();
  }

  TempDir dir_ = TempDir::create("deploylab-test-sqlite-").value();
  fs::path path_ = dir_ / "store.db";
};

const KeyRange kAll{kZero, kZero};

TEST_F(SqliteBackendTest, CreatesTheSchemaAndReopensIt) {
  {
    auto store = open_store();
    const Snapshot snapshot = store->load().value();
    EXPECT_EQ(snapshot.revision, 1) << "a new store starts at revision 1";
    EXPECT_EQ(snapshot.compact_revision, 0);
    EXPECT_TRUE(snapshot.live.empty());
  }
  auto inspect = sqlite::Database::open(path_, sqlite::OpenMode::read_only).value();
  EXPECT_EQ(inspect.query_text("PRAGMA journal_mode").value(), "wal");
  EXPECT_EQ(inspect.query_int("PRAGMA auto_vacuum").value(), 2) << "2 is INCREMENTAL, set before the tables";
  EXPECT_EQ(inspect.query_int("SELECT value FROM meta WHERE name = 'schema_version'").value(), 1);
  EXPECT_EQ(open_store()->load().value().revision, 1) << "reopening an empty store";
}

TEST_F(SqliteBackendTest, CommitThenReopenLoadsEveryKeyAndLease) {
  const std::string zeros("a\0b\0", 4);
  const std::string high("\xff\xfe\x80", 3);
  Model model;
  {
    auto store = open_store();
    WriteBatch batch = model.batch({{{zeros, std::string("v\0al", 4)}, {high, ""}}, {{"plain", "x"}}});
    batch.leases_granted = {{7, 60}, {8, 10}};
    store->commit(batch).value();
    WriteBatch more =
        model.batch({{{"plain", std::nullopt}}, {{zeros, "second"}}, {{"gone", "1"}}, {{"gone", std::nullopt}}});
    more.leases_revoked = {8};
    store->commit(more).value();
  }
  const Snapshot snapshot = open_store()->load().value();
  EXPECT_EQ(snapshot.revision, model.current());
  EXPECT_EQ(snapshot.live, model.range_at(kAll, model.current())) << "keys with \\0 and 0xff bytes, in byte order";
  ASSERT_EQ(snapshot.live.size(), 2u);
  EXPECT_EQ(snapshot.live[1].key, high) << "0xff sorts after every ASCII key (bytes are unsigned)";
  EXPECT_EQ(snapshot.live[0].version, 2);
  using Leases = std::vector<std::pair<LeaseId, std::int64_t>>;
  EXPECT_EQ(snapshot.leases, (Leases{{7, 60}})) << "lease 8 was revoked";
}

TEST_F(SqliteBackendTest, RejectsOutOfOrderBatchesAndKeepsNothingOfAFailedOne) {
  auto store = open_store();
  Model model;
  store->commit(model.batch({{{"a", "1"}}})).value();
  WriteBatch stale = model.batch({{{"b", "1"}}});
  stale.events[0].kv.mod_revision = 2;  // already used
  EXPECT_FALSE(store->commit(stale).ok()) << "a revision at or below the current one must be refused";

  // The same key twice at one revision breaks UNIQUE(key, revision) half-way through.
  auto failed = store->commit(make_batch({first_put("c", "1", 3), first_put("c", "2", 3)}, 3));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message().find("UNIQUE"), std::string::npos) << failed.error().message();
  EXPECT_EQ(store->load().value().live.size(), 1u) << "the failed batch must leave no row behind";
  store->commit(make_batch({first_put("c", "1", 3)}, 3)).value();
}

TEST_F(SqliteBackendTest, RangeAtPastRevisionsSeesDeletesAndRecreates) {
  Model model;
  {
    auto store = open_store();
    store->commit(model.batch({{{"a", "1"}}, {{"b", "1"}, {"c/1", "1"}}, {{"a", "2"}}, {{"a", std::nullopt}}})).value();
    store->commit(model.batch({{{"c/2", "2"}, {"b", std::nullopt}}, {{"a", "3"}}, {{"c/1", "again"}}})).value();
  }
  auto store = open_store();
  const std::vector<KeyRange> ranges = {kAll, {"a", ""}, {"b", "c/2"}, {"c/", "c0"}, {"b", kZero}, {"zz", ""}};
  for (Revision at = 1; at <= model.current(); ++at) {
    for (const KeyRange& range : ranges) {
      EXPECT_EQ(store->range_at(range, at).value(), model.range_at(range, at))
          << "range [" << range.key << ", " << testing::PrintToString(range.range_end) << ") at revision " << at;
    }
  }
  const auto recreated = store->range_at({"a", ""}, model.current()).value();
  ASSERT_EQ(recreated.size(), 1u);
  EXPECT_EQ(recreated[0].version, 1) << "a put after a delete starts again at version 1";
  EXPECT_FALSE(store->range_at(kAll, model.current() + 1).ok()) << "a future revision must be refused";
}

TEST_F(SqliteBackendTest, EventsCarryPrevKvAndStopAtRevisionBoundaries) {
  Model model;
  auto store = open_store();
  // Revisions 2..6 change 1, 3, 2, 1 and 5 keys.
  store->commit(model.batch({{{"k1", "a"}},
                             {{"k1", "b"}, {"k2", "a"}, {"k3", "a"}},
                             {{"k1", std::nullopt}, {"k2", "b"}},
                             {{"k1", "c"}},
                             {{"k1", "d"}, {"k2", "c"}, {"k3", "b"}, {"k4", "a"}, {"k5", "a"}}}))
      .value();
  EXPECT_EQ(store->events(kAll, 2, 6, 0).value(), model.events(kAll, 2)) << "every event, with its prev_kv";
  const KeyRange k2{"k2", ""};
  EXPECT_EQ(store->events(k2, 1, 6, 0).value(), model.events(k2, 1)) << "one key's events";

  auto revisions_of = [](const std::vector<Event>& events) {
    std::vector<Revision> revisions;
    for (const Event& event : events) revisions.push_back(event.kv.mod_revision);
    return revisions;
  };
  using Revs = std::vector<Revision>;
  EXPECT_EQ(revisions_of(store->events(kAll, 2, 6, 3).value()), (Revs{2})) << "2 and 3 are 4 events: stop after 2";
  EXPECT_EQ(revisions_of(store->events(kAll, 3, 6, 3).value()), (Revs{3, 3, 3})) << "revision 3 fits exactly";
  EXPECT_EQ(revisions_of(store->events(kAll, 4, 6, 3).value()), (Revs{4, 4, 5})) << "4 and 5 are 3 events";
  EXPECT_EQ(store->events(kAll, 6, 6, 2).value().size(), 5u) << "a single revision bigger than max comes whole";
  EXPECT_EQ(store->events(kAll, 4, 3, 0).value().size(), 0u) << "from > to is empty";
}

TEST_F(SqliteBackendTest, CompactionKeepsEverythingAtAndAboveTheCompactedRevision) {
  Model model;
  std::mt19937 random(10);  // fixed seed: the same history every run
  Revision delete_revision = 0;
  {
    auto store = open_store();
    for (int i = 0; i < 80; ++i) {
      std::vector<Model::Change> changes;
      for (int k = 0; k < 1 + static_cast<int>(random() % 3); ++k) {
        const std::string key = "key" + std::to_string((i + k * 3) % 7);
        const bool exists = !model.range_at({key, ""}, model.current()).empty();
        changes.emplace_back(key, exists && random() % 3 == 0 ? std::nullopt : std::optional(std::to_string(i)));
      }
      const std::vector<Event> events = model.revision(changes);
      if (i >= 40 && delete_revision == 0 && events[0].type == EventType::remove) delete_revision = model.current();
      store->commit(make_batch(events, model.current())).value();
    }
    ASSERT_NE(delete_revision, 0) << "the history should have a delete after revision 40";
    store->compact(delete_revision).value();
    store->compact(delete_revision - 5).value();  // below the compacted revision: nothing to do
  }
  // Kept: every row from the compacted revision on, and each key's version at it (if a put).
  std::size_t kept = model.events(kAll, delete_revision).size();
  for (const KeyValue& kv : model.range_at(kAll, delete_revision)) kept += kv.mod_revision < delete_revision ? 1 : 0;
  auto inspect = sqlite::Database::open(path_, sqlite::OpenMode::read_only).value();
  EXPECT_EQ(inspect.query_int("SELECT count(*) FROM history").value(), static_cast<std::int64_t>(kept))
      << "rows left after compacting at " << delete_revision << " of " << model.events(kAll, 0).size();
  auto store = open_store();
  EXPECT_EQ(store->load().value().compact_revision, delete_revision) << "meta records the compacted revision";
  for (Revision at = delete_revision; at <= model.current(); ++at) {
    ASSERT_EQ(store->range_at(kAll, at).value(), model.range_at(kAll, at)) << "at revision " << at;
  }
  std::vector<Event> expected = model.events(kAll, delete_revision);
  for (Event& event : expected) {
    if (event.kv.mod_revision == delete_revision) event.prev_kv.reset();  // compacted away, as in etcd
  }
  EXPECT_EQ(store->events(kAll, delete_revision, model.current(), 0).value(), expected)
      << "events from the compacted revision on, including the delete at " << delete_revision;
  auto below = store->range_at(kAll, delete_revision - 1);
  ASSERT_FALSE(below.ok()) << "a read below the compacted revision must fail";
  EXPECT_NE(below.error().message().find("compacted"), std::string::npos) << below.error().message();
  EXPECT_FALSE(store->events(kAll, delete_revision - 1, model.current(), 0).ok());
}

TEST_F(SqliteBackendTest, CompactionAndCheckpointsKeepTheFilesBounded) {
  auto store = open_store(Durability::normal);  // the sizes do not depend on fsync; the test runs faster
  Model model;
  const std::string value(200, 'v');
  std::uintmax_t peak = 0;
  for (int cycle = 0; cycle < 4; ++cycle) {
    for (int batch = 0; batch < 50; ++batch) {  // 50 commits of 100 revisions on 10 keys
      std::vector<std::vector<Model::Change>> revisions;
      for (int i = 0; i < 100; ++i) revisions.push_back({{"key" + std::to_string(i % 10), value}});
      store->commit(model.batch(revisions)).value();
    }
    const FileSizes before = store->file_sizes();
    peak = std::max(peak, before.database + before.wal);
    store->compact(model.current()).value();
    store->checkpoint().value();
    const FileSizes after = store->file_sizes();
    EXPECT_EQ(after.wal, 0u) << "a checkpoint with no reader truncates the WAL";
    EXPECT_LT(after.database, 128u * 1024) << "cycle " << cycle << ": 10 live keys need a few pages, not "
                                           << after.database << " bytes";
  }
  EXPECT_GT(peak, 1024u * 1024) << "5,000 revisions of 200 bytes take over 1 MiB before compaction";
  const FileSizes last = store->file_sizes();
  std::printf("files: %ju KiB (database + WAL) before compaction, %ju KiB + %ju KiB after it and a checkpoint\n",
              peak / 1024, last.database / 1024, last.wal / 1024);
  EXPECT_EQ(store->load().value().live.size(), 10u);
}

TEST_F(SqliteBackendTest, ACheckpointUnderAnOldSnapshotIsNotAnErrorAndFinishesLater) {
  auto store = open_store();
  Model model;
  store->commit(model.batch({{{"a", "1"}}})).value();
  {
    auto reader = sqlite::Database::open(path_, sqlite::OpenMode::read_only).value();
    auto snapshot = sqlite::Transaction::begin(reader, sqlite::Begin::deferred).value();
    ASSERT_EQ(reader.query_int("SELECT count(*) FROM history").value(), 1);  // the snapshot is taken here
    store->commit(model.batch({{{"b", "1"}}})).value();
    auto checkpoint = store->checkpoint();
    EXPECT_TRUE(checkpoint.ok()) << "a reader on an old snapshot only delays the checkpoint: "
                                 << checkpoint.error().message();
    EXPECT_GT(store->file_sizes().wal, 0u) << "the WAL cannot be truncated while the old snapshot needs it";
  }
  store->checkpoint().value();
  EXPECT_EQ(store->file_sizes().wal, 0u) << "with the reader gone, the checkpoint truncates the WAL";
}

TEST_F(SqliteBackendTest, AFileThatIsNotAStoreIsAClearErrorAndStaysUntouched) {
  std::string garbage;
  for (int i = 0; i < 200; ++i) garbage += "this is not a database\n";
  write_file_atomic(path_, garbage).value();
  auto opened = SqliteBackend::open({.path = path_});
  ASSERT_FALSE(opened.ok());
  const std::string message = opened.error().message();
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;
  EXPECT_NE(message.find(path_.string()), std::string::npos) << "the error must name the file: " << message;
  EXPECT_EQ(read_file(path_).value(), garbage) << "the file must not be changed";
  EXPECT_FALSE(fs::exists(path_.string() + "-wal"));

  const fs::path other = dir_ / "other.db";
  sqlite::Database::open(other, sqlite::OpenMode::read_write).value().exec("CREATE TABLE t(x)").value();
  auto foreign = SqliteBackend::open({.path = other});
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message().find("not the store's"), std::string::npos) << foreign.error().message();
  auto untouched = sqlite::Database::open(other, sqlite::OpenMode::read_only).value();
  EXPECT_EQ(untouched.query_text("PRAGMA journal_mode").value(), "delete") << "not switched to WAL";

  fs::remove(path_);
  open_store().reset();  // a real store, then made newer than this program
  sqlite::Database::open(path_, sqlite::OpenMode::read_write)
      .value()
      .exec("UPDATE meta SET value = 99 WHERE name = 'schema_version'")
      .value();
  auto newer = SqliteBackend::open({.path = path_});
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message().find("schema version 99"), std::string::npos) << newer.error().message();
}

// One reader's pass at revision `at`, where revision v put "k/<v % 10>" = v: each key holds
// one of the last 10 revisions, and there was one event per revision. "" when all is well.
std::string read_and_check(const SqliteBackend& store, Revision at) {
  const KeyRange keys{"k/", "k0"};
  auto kvs = store.range_at(keys, at);
  if (!kvs.ok()) return kvs.error().message();
  if (kvs.value().size() != std::min<std::size_t>(10, at - 1)) return "wrong key count at " + std::to_string(at);
  for (const KeyValue& kv : kvs.value()) {
    const bool recent =
        kv.value == std::to_string(kv.mod_revision) && kv.mod_revision <= at && at - kv.mod_revision < 10;
    if (!recent) return "at revision " + std::to_string(at) + " saw " + testing::PrintToString(kv);
  }
  auto events = store.events(keys, 2, at, 0);
  if (!events.ok()) return events.error().message();
  if (events.value().size() != static_cast<std::size_t>(at - 1)) return "wrong event count at " + std::to_string(at);
  return "";
}

TEST_F(SqliteBackendTest, ReadersRunBesideTheWriterWithoutBusyErrors) {
  auto store = open_store();
  std::atomic<Revision> committed{1};
  std::string failures[2];
  int reads[2] = {0, 0};
  auto reader = [&](std::stop_token stop, int i) {
    for (; !stop.stop_requested() && failures[i].empty(); ++reads[i]) {
      failures[i] = read_and_check(*store, committed.load());
    }
  };
  // jthread: should the writer's loop throw, the readers are still stopped and joined.
  std::jthread readers[2] = {std::jthread(reader, 0), std::jthread(reader, 1)};
  Model model;
  for (int v = 2; v <= 301; ++v) {
    store->commit(model.batch({{{"k/" + std::to_string(v % 10), std::to_string(v)}}})).value();
    committed = v;
    if (v % 50 != 0) continue;
    auto checkpoint = store->checkpoint();
    EXPECT_TRUE(checkpoint.ok()) << "a checkpoint beside readers is not an error: " << checkpoint.error().message();
  }
  for (std::jthread& thread : readers) {
    thread.request_stop();
    thread.join();
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(failures[i], "") << "reader " << i;
    EXPECT_GT(reads[i], 0) << "reader " << i << " never got to read";
  }
}

// Kills and reaps the child on every way out of the test, failed assertions included.
struct KillOnExit {
  pid_t pid;
  ~KillOnExit() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

// The child: commits one revision of 10 keys at a time and reports each after commit() returned.
[[noreturn]] void commit_until_killed(const fs::path& path, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
  auto opened = SqliteBackend::open({.path = path});
  if (!opened.ok()) ::_exit(2);
  SqliteBackend& store = *opened.value();
  auto snapshot = store.load();
  if (!snapshot.ok()) ::_exit(3);
  Revision revision = snapshot.value().revision;
  for (;;) {
    WriteBatch batch = make_batch({}, ++revision);
    for (int j = 0; j < 10; ++j) {
      batch.events.push_back(first_put("batch/" + std::to_string(revision) + "/" + std::to_string(j), "v", revision));
    }
    if (!store.commit(batch).ok()) ::_exit(4);
    const std::string line = "committed " + std::to_string(revision) + "\n";
    if (::write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(5);
  }
}

TEST_F(SqliteBackendTest, EveryReportedCommitSurvivesKill9) {
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    UniqueFd read_end(fds[0]);
    UniqueFd write_end(fds[1]);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) commit_until_killed(path_, write_end.get());
    KillOnExit guard{child};
    write_end.reset();
    // The first report says the child is up; the kill comes at a random moment after it.
    pollfd first_report{read_end.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&first_report, 1, 10000), 1) << "round " << round << ": no commit within 10 s";
    std::string reported;
    for (char c = 0; c != '\n' && ::read(read_end.get(), &c, 1) == 1;) reported += c;
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 150));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    guard.pid = 0;
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, exit code " << WEXITSTATUS(status);
    std::istringstream reports(reported + read_all(read_end.get(), "the child's reports").value());
    auto store = open_store();
    const Snapshot snapshot = store->load().value();
    std::map<std::string, KeyValue> live;
    for (const KeyValue& kv : snapshot.live) live[kv.key] = kv;
    int checked = 0;
    for (std::string word; reports >> word;) {
      Revision revision = 0;
      reports >> revision;
      EXPECT_LE(revision, snapshot.revision);
      for (int j = 0; j < 10; ++j) {
        const std::string key = "batch/" + std::to_string(revision) + "/" + std::to_string(j);
        EXPECT_EQ(live.count(key), 1u) << "round " << round << ": " << key << " was reported committed but is gone";
      }
      ++checked;
    }
    EXPECT_GT(checked, 0) << "round " << round << ": the child committed nothing before the kill";
  }
}

// Prints what the backend costs here (the numbers in the lab's handout come from this test).
// The events are built directly: the model copies its whole state at every revision.
TEST_F(SqliteBackendTest, Timings) {
  using Clock = std::chrono::steady_clock;
  auto micros = [](Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); };
  auto store = open_store();
  Revision revision = 1;
  auto timed_commits = [&](int commits, int events_per_commit, const std::string& prefix) {
    const auto start = Clock::now();
    for (int c = 0; c < commits; ++c) {
      WriteBatch batch = make_batch({}, revision + events_per_commit);
      for (int e = 0; e < events_per_commit; ++e) {
        ++revision;
        batch.events.push_back(first_put(prefix + std::to_string(revision), std::string(100, 'v'), revision));
      }
      store->commit(batch).value();
    }
    return micros(Clock::now() - start) / commits;
  };
  const double one = timed_commits(100, 1, "one/");
  const double hundred = timed_commits(20, 100, "hundred/");
  for (int block = 0; block < 10; ++block) timed_commits(1, 1000, "many/" + std::to_string(block) + "/");
  auto start = Clock::now();
  const Snapshot snapshot = store->load().value();
  const double load = micros(Clock::now() - start);
  start = Clock::now();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(store->range_at({"many/3/", "many/30"}, revision - 1).value().size(), 1000u);
  const double prefix = micros(Clock::now() - start) / 20;
  std::printf("commit 1 event %.0f us, 100 events %.0f us; load %zu keys %.0f us; range_at 1000-key prefix %.0f us\n",
              one, hundred, snapshot.live.size(), load, prefix);
  EXPECT_LT(load, 2e6) << "loading 12,100 keys";
  EXPECT_LT(prefix, 100e3) << "a 1,000-key prefix at a past revision";
}

}  // namespace
}  // namespace deploylab::store
