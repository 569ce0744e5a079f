// orchestrator/store/kv_read_test.cpp: a transaction's compares (compare_holds) and range
// reads (read_range), checked against the answers of a real etcd 3.4.
#include "orchestrator/store/txn_apply.h"

#include <gtest/gtest.h>

#include <ostream>

namespace deploylab::store {

// How gtest prints a KeyValue in failure messages (found by ADL; internal to this test file).
[[maybe_unused]] static void PrintTo(const KeyValue& kv, std::ostream* out) {
  *out << "{key \"" << kv.key << "\", value \"" << kv.value << "\", create " << kv.create_revision << ", mod "
       << kv.mod_revision << ", version " << kv.version << ", lease " << kv.lease << "}";
}

namespace {

using Target = Compare::Target;
using Result = Compare::Result;

const std::string kZero(1, '\0');

KeyValue live(std::string key, std::string value, Revision create, Revision mod, std::int64_t version,
              LeaseId lease = 0) {
  return KeyValue{.key = std::move(key), .value = std::move(value), .create_revision = create, .mod_revision = mod,
                  .version = version, .lease = lease};
}

// c1 = "bbb" (created and last changed at 30), c2 = "ccc" (created 30, changed 31, version 2),
// the same keys the etcd session behind these tests used; "e" is on lease 7.
KvIndex sample_index() {
  KvIndex index;
  index.put(live("c1", "bbb", 30, 30, 1));
  index.put(live("c2", "ccc", 30, 31, 2));
  index.put(live("e", "x", 32, 32, 1, 7));
  return index;
}

Compare number_compare(std::string key, Target target, Result result, std::int64_t number,
                       std::string range_end = "") {
  return Compare{.target = target, .result = result, .key = std::move(key), .range_end = std::move(range_end),
                 .number = number, .value = ""};
}

Compare value_compare(std::string key, Result result, std::string value, std::string range_end = "") {
  return Compare{.target = Target::value, .result = result, .key = std::move(key),
                 .range_end = std::move(range_end), .number = 0, .value = std::move(value)};
}

TEST(CompareHolds, VersionZeroMeansTheKeyIsAbsent) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, number_compare("missing", Target::version, Result::equal, 0)))
      << "create-if-absent is `version == 0`: a missing key has version 0";
  EXPECT_FALSE(compare_holds(index, number_compare("c1", Target::version, Result::equal, 0)))
      << "a live key has version >= 1";
}

TEST(CompareHolds, ModRevisionEqualIsUpdateIfUnchanged) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, number_compare("c2", Target::mod, Result::equal, 31)));
  EXPECT_FALSE(compare_holds(index, number_compare("c2", Target::mod, Result::equal, 30)))
      << "c2 changed at 31: a writer that read it at 30 must lose";
}

TEST(CompareHolds, GreaterAndLessSayHowTheKeysFieldStandsToTheOperand) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, number_compare("c2", Target::version, Result::greater, 1)))
      << "c2 is at version 2, and 2 > 1";
  EXPECT_FALSE(compare_holds(index, number_compare("c2", Target::version, Result::greater, 2)));
  EXPECT_TRUE(compare_holds(index, number_compare("c2", Target::mod, Result::less, 32)));
  EXPECT_FALSE(compare_holds(index, number_compare("c2", Target::mod, Result::less, 31)));
  EXPECT_TRUE(compare_holds(index, number_compare("c1", Target::create, Result::not_equal, 29)));
}

TEST(CompareHolds, LeaseTargetComparesTheAttachedLease) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, number_compare("e", Target::lease, Result::equal, 7)));
  EXPECT_TRUE(compare_holds(index, number_compare("c1", Target::lease, Result::equal, 0))) << "no lease is lease 0";
}

TEST(CompareHolds, ValuesCompareByteByByte) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::equal, "bbb")));
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::greater, "bb")))
      << "a longer value with the same start is greater";
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::greater, "ba")));
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::less, "c")));
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::less, "bbbb")));
  EXPECT_TRUE(compare_holds(index, value_compare("c1", Result::less, "\x80"))) << "bytes are unsigned: 0x80 > 'b'";
}

TEST(CompareHolds, ARangeMustHoldForEveryKeyInIt) {
  KvIndex index = sample_index();
  EXPECT_FALSE(compare_holds(index, value_compare("c", Result::equal, "bbb", "d")))
      << "c2 is \"ccc\": one key that fails makes the compare fail";
  EXPECT_TRUE(compare_holds(index, value_compare("c", Result::greater, "bba", "d")));
  EXPECT_FALSE(compare_holds(index, value_compare("c", Result::not_equal, "bbb", "d")));
  EXPECT_TRUE(compare_holds(index, number_compare("c", Target::create, Result::equal, 30, "d")));
  EXPECT_FALSE(compare_holds(index, number_compare("c", Target::mod, Result::greater, 30, "d")));
  EXPECT_FALSE(compare_holds(index, number_compare("c", Target::version, Result::equal, 1, kZero)))
      << "range_end \"\\0\": c1, c2 and e, and c2 is at version 2";
  EXPECT_TRUE(compare_holds(index, number_compare(kZero, Target::version, Result::greater, 0, kZero)));
}

TEST(CompareHolds, ARangeWithNoLiveKeyIsComparedAsOneMissingKey) {
  KvIndex index = sample_index();
  EXPECT_TRUE(compare_holds(index, number_compare("x", Target::version, Result::equal, 0, "y")));
  EXPECT_TRUE(compare_holds(index, number_compare("missing", Target::version, Result::less, 1)));
  EXPECT_TRUE(compare_holds(index, number_compare("missing", Target::create, Result::equal, 0)));
  EXPECT_TRUE(compare_holds(index, number_compare("missing", Target::mod, Result::equal, 0)));
  EXPECT_TRUE(compare_holds(index, number_compare("missing", Target::lease, Result::equal, 0)));
  EXPECT_FALSE(compare_holds(index, number_compare("missing", Target::mod, Result::not_equal, 0)))
      << "a missing key's mod_revision is 0";
}

TEST(CompareHolds, AValueCompareOnAMissingKeyAlwaysFails) {
  KvIndex index = sample_index();
  for (Result result : {Result::equal, Result::not_equal, Result::greater, Result::less}) {
    EXPECT_FALSE(compare_holds(index, value_compare("missing", result, "x")))
        << "etcd fails every value compare on a missing key, even \"not equal\" (result "
        << static_cast<int>(result) << ")";
  }
  EXPECT_FALSE(compare_holds(index, value_compare("missing", Result::equal, "")))
      << "a missing value is not the empty value";
  EXPECT_FALSE(compare_holds(index, value_compare("x", Result::equal, "", "y")));
}

RangeRequest range_of(std::string key, std::string range_end = "") {
  RangeRequest request;
  request.key = std::move(key);
  request.range_end = std::move(range_end);
  return request;
}

std::vector<std::string> keys_of(const RangeResponse& response) {
  std::vector<std::string> keys;
  for (const KeyValue& kv : response.kvs) keys.push_back(kv.key);
  return keys;
}

using Keys = std::vector<std::string>;

TEST(ReadRange, ReturnsTheLiveVersionsInKeyOrderAtTheGivenRevision) {
  KvIndex index = sample_index();
  RangeResponse response = read_range(index, range_of(kZero, kZero), 40);
  EXPECT_EQ(keys_of(response), (Keys{"c1", "c2", "e"}));
  EXPECT_EQ(response.kvs[1], live("c2", "ccc", 30, 31, 2)) << "every field of the version comes back";
  EXPECT_EQ(response.count, 3);
  EXPECT_FALSE(response.more);
  EXPECT_EQ(response.revision, 40) << "the response carries the revision the caller passed";
}

TEST(ReadRange, AMissingKeyGivesNothing) {
  RangeResponse response = read_range(sample_index(), range_of("c"), 40);
  EXPECT_TRUE(response.kvs.empty()) << "range_end \"\" is the one key \"c\", not a prefix";
  EXPECT_EQ(response.count, 0);
}

TEST(ReadRange, LimitCutsTheAnswerAndSetsMoreButCountsEveryKey) {
  RangeRequest request = range_of("c", "d");
  request.limit = 1;
  RangeResponse response = read_range(sample_index(), request, 40);
  EXPECT_EQ(keys_of(response), Keys{"c1"});
  EXPECT_TRUE(response.more) << "limit left c2 out: more must say so";
  EXPECT_EQ(response.count, 2) << "count is every key in the range, whatever the limit (as etcd)";
}

TEST(ReadRange, LimitThatFitsIsNotMore) {
  RangeRequest request = range_of("c", "d");
  request.limit = 2;
  RangeResponse response = read_range(sample_index(), request, 40);
  EXPECT_EQ(keys_of(response), (Keys{"c1", "c2"}));
  EXPECT_FALSE(response.more) << "limit 2 with 2 keys left nothing out";
  request.limit = -1;
  EXPECT_EQ(read_range(sample_index(), request, 40).kvs.size(), 2u) << "a negative limit is no limit (as etcd)";
}

TEST(ReadRange, CountOnlyReturnsTheCountAndNoKeys) {
  RangeRequest request = range_of("c", "d");
  request.count_only = true;
  request.limit = 1;
  RangeResponse response = read_range(sample_index(), request, 40);
  EXPECT_TRUE(response.kvs.empty());
  EXPECT_EQ(response.count, 2);
  EXPECT_FALSE(response.more) << "etcd never sets more on a count_only answer";
}

TEST(ReadRange, KeysOnlyLeavesTheValuesOut) {
  RangeRequest request = range_of("c", "d");
  request.keys_only = true;
  RangeResponse response = read_range(sample_index(), request, 40);
  ASSERT_EQ(keys_of(response), (Keys{"c1", "c2"}));
  EXPECT_EQ(response.kvs[1], live("c2", "", 30, 31, 2)) << "keys_only empties the value and keeps the rest";
}

}  // namespace
}  // namespace deploylab::store
