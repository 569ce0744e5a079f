// labs/10-store/worked_example_test.cpp: the handout's worked example (README.md, "A worked
// example"), step by step, on a real store in a temporary directory: revisions, versions, a
// delete and a new life, reads of the past, a compaction, and what a watch from revision 4 and
// from revision 3 sees afterwards.
#include <gtest/gtest.h>

#include "common/temp_dir.h"
#include "orchestrator/store/key_range.h"
#include "orchestrator/store/store.h"

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;

class WorkedExample : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir::create("deploylab-test-lab10-").value();
    StoreOptions options;
    options.data_dir = dir_.path();
    store_ = Store::open(options).value();
  }

  Revision put(const std::string& key, const std::string& value) {
    PutRequest request;
    request.key = key;
    request.value = value;
    return store_->put(request).value().revision;
  }
  Revision remove(const std::string& key) {
    DeleteRangeRequest request;
    request.key = key;
    return store_->delete_range(request).value().revision;
  }
  // "key=value@mod_revision" for every key of /pods/ at `revision` (0: now).
  std::string pods_at(Revision revision) {
    RangeRequest request;
    request.key = "/pods/";
    request.range_end = prefix_end("/pods/");
    request.revision = revision;
    RangeResponse response = store_->range(request).value();
    std::string out;
    for (const KeyValue& kv : response.kvs) {
      out += (out.empty() ? "" : " ") + kv.key + "=" + kv.value + "@" + std::to_string(kv.mod_revision);
    }
    return out;
  }
  // The steps of the table: revisions 2 to 6.
  void run_the_table() {
    ASSERT_EQ(put("/pods/web", "v1"), 2);
    ASSERT_EQ(put("/pods/db", "a"), 3);
    ASSERT_EQ(put("/pods/web", "v2"), 4);
    ASSERT_EQ(remove("/pods/db"), 5);
    ASSERT_EQ(remove("/pods/db"), 5) << "deleting nothing changes nothing: the revision stays";
    ASSERT_EQ(put("/pods/db", "b"), 6);
  }
  std::vector<std::string> watch_from(Revision start, Revision* compact_revision) {
    WatchRequest request;
    request.key = "/pods/";
    request.range_end = prefix_end("/pods/");
    request.start_revision = start;
    auto watcher = store_->watch(request);
    std::vector<std::string> seen;
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (seen.size() < 3 && std::chrono::steady_clock::now() < deadline) {
      auto message = watcher->next(100ms);
      if (!message || message->created) continue;
      if (message->canceled) {
        *compact_revision = message->compact_revision;
        break;
      }
      for (const Event& e : message->events) {
        seen.push_back((e.type == EventType::put ? "PUT " : "DELETE ") + e.kv.key + "@" +
                       std::to_string(e.kv.mod_revision));
      }
    }
    return seen;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(WorkedExample, TheTableGivesTheseRevisionsAndVersions) {
  run_the_table();
  RangeRequest web{"/pods/web", ""};
  KeyValue w = store_->range(web).value().kvs.at(0);
  EXPECT_EQ(w.create_revision, 2) << "/pods/web was created at 2 and only changed since";
  EXPECT_EQ(w.version, 2);
  RangeRequest db{"/pods/db", ""};
  KeyValue d = store_->range(db).value().kvs.at(0);
  EXPECT_EQ(d.create_revision, 6) << "the put after the delete starts a new life";
  EXPECT_EQ(d.version, 1);
}

TEST_F(WorkedExample, ReadsOfThePastSeeTheStoreAsItWas) {
  run_the_table();
  EXPECT_EQ(pods_at(3), "/pods/db=a@3 /pods/web=v1@2");
  EXPECT_EQ(pods_at(5), "/pods/web=v2@4") << "db was deleted at 5";
  EXPECT_EQ(pods_at(0), "/pods/db=b@6 /pods/web=v2@4");
  RangeRequest old{"/pods/", prefix_end("/pods/"), 0, 3};
  EXPECT_EQ(store_->range(old).value().revision, 6) << "the header says the current revision";
}

TEST_F(WorkedExample, CompactionForgetsWhatNobodyNeedsAtFourOrLater) {
  run_the_table();
  store_->compact(CompactionRequest{4, false}).value();
  for (Revision gone : {2, 3}) {
    RangeRequest request{"/pods/", prefix_end("/pods/"), 0, gone};
    auto answer = store_->range(request);
    ASSERT_FALSE(answer.ok()) << "revision " << gone << " is below the compaction";
    EXPECT_EQ(answer.error().message, "etcdserver: mvcc: required revision has been compacted");
  }
  EXPECT_EQ(pods_at(4), "/pods/db=a@3 /pods/web=v2@4") << "revision 4 itself is still there";
}

TEST_F(WorkedExample, AWatchFromFourReplaysThenAWatchFromThreeIsCanceled) {
  run_the_table();
  store_->compact(CompactionRequest{4, false}).value();
  Revision compact_revision = 0;
  EXPECT_EQ(watch_from(4, &compact_revision),
            (std::vector<std::string>{"PUT /pods/web@4", "DELETE /pods/db@5", "PUT /pods/db@6"}));
  EXPECT_EQ(compact_revision, 0);
  EXPECT_TRUE(watch_from(3, &compact_revision).empty());
  EXPECT_EQ(compact_revision, 4) << "the watch from 3 must be canceled, naming the compacted revision";
}

}  // namespace
}  // namespace deploylab::store
