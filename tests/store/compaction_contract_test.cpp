// tests/store/compaction_contract_test.cpp: compaction forgets history below a revision; reads
// and watches below it fail with `compacted`, against etcd and ministore alike
// (store_contract.h). Compaction is store-wide, so these tests have a suite (a server) of their
// own.
#include <gtest/gtest.h>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

class CompactionContract : public StoreContract {
 protected:
  StoreResult<CompactionResponse> compact(Revision revision) {
    CompactionRequest request;
    request.revision = revision;
    request.physical = true;
    return client().compact(request);
  }
};

TEST_P(CompactionContract, ReadsBelowTheCompactedRevisionFailAndAboveStillWork) {
  Revision r1 = put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  Revision r3 = put(client(), key("k"), "v3");
  ASSERT_TRUE(compact(r2).ok());

  RangeRequest below;
  below.key = key("k");
  below.revision = r1;
  auto read = client().range(below);
  ASSERT_FALSE(read.ok()) << "r1 is below the compacted revision r2: its history is gone";
  EXPECT_EQ(read.error().code, StoreErrc::compacted) << read.error().message;
  EXPECT_EQ(read.error().message, "etcdserver: mvcc: required revision has been compacted");

  auto at_r2 = get(client(), key("k"), r2);
  ASSERT_TRUE(at_r2.has_value()) << "the compacted revision itself is still readable";
  EXPECT_EQ(at_r2->value, "v2");
  EXPECT_EQ(get(client(), key("k"), r3)->value, "v3");
  EXPECT_EQ(get(client(), key("k"))->value, "v3");
}

TEST_P(CompactionContract, CompactingAgainAtOrBelowIsCompactedAndAboveNowIsFuture) {
  put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  ASSERT_TRUE(compact(r2).ok());
  auto again = compact(r2);
  ASSERT_FALSE(again.ok()) << "r2 is already compacted";
  EXPECT_EQ(again.error().code, StoreErrc::compacted) << again.error().message;
  auto below = compact(r2 - 1);
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.error().code, StoreErrc::compacted) << below.error().message;
  auto future = compact(current_revision(client()) + 100);
  ASSERT_FALSE(future.ok()) << "the future cannot be compacted";
  EXPECT_EQ(future.error().code, StoreErrc::future_revision) << future.error().message;
}

TEST_P(CompactionContract, CompactionKeepsTheLatestVersionOfEveryKey) {
  put(client(), key("old"), "written long ago");
  put(client(), key("deleted"), "v");
  DeleteRangeRequest remove;
  remove.key = key("deleted");
  client().delete_range(remove).value();
  Revision now = put(client(), key("new"), "v");
  ASSERT_TRUE(compact(now).ok());
  EXPECT_EQ(get(client(), key("old"))->value, "written long ago") << "compaction drops history, not live keys";
  EXPECT_FALSE(get(client(), key("deleted")).has_value());
  EXPECT_EQ(list(client(), prefix()).size(), 2u);
}

TEST_P(CompactionContract, AWatchFromACompactedRevisionIsCanceledWithTheCompactRevision) {
  Revision r1 = put(client(), key("k"), "v1");
  Revision r2 = put(client(), key("k"), "v2");
  ASSERT_TRUE(compact(r2).ok());
  WatchRequest request;
  request.key = key("k");
  request.start_revision = r1;
  auto stream = client().watch(request).value();
  // etcd first confirms the watch (`created`), then cancels it; a store may also cancel at once.
  WatchResponse message = next_message(*stream);
  if (message.created && !message.canceled) message = next_message(*stream);
  EXPECT_TRUE(message.canceled) << "a watch from r1 < compacted r2 cannot be served";
  EXPECT_EQ(message.compact_revision, r2) << "compact_revision tells the watcher where history starts";
  EXPECT_TRUE(message.events.empty());

  request.start_revision = r2;
  auto resumed = open_watch(client(), request);
  auto events = collect_events(*resumed, 1);
  ASSERT_EQ(events.size(), 1u) << "from the compacted revision itself the watch works: " << describe(events);
  EXPECT_EQ(events[0].kv.value, "v2");
}

INSTANTIATE_TEST_SUITE_P(Stores, CompactionContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         kind_name);

}  // namespace
}  // namespace deploylab::store::contract
