// orchestrator/store/kv_index_test.cpp: the in-memory index of live keys (kv_index.h): lookups,
// ranges in key order with limits, and replacing and erasing keys.
#include "orchestrator/store/kv_index.h"

#include <gtest/gtest.h>

#include <ostream>

namespace deploylab::store {

// How gtest prints a KeyValue in failure messages (found by ADL; internal to this test file).
[[maybe_unused]] static void PrintTo(const KeyValue& kv, std::ostream* out) {
  *out << "{key \"" << kv.key << "\", value \"" << kv.value << "\", create " << kv.create_revision << ", mod "
       << kv.mod_revision << ", version " << kv.version << ", lease " << kv.lease << "}";
}

namespace {

const std::string kZero(1, '\0');

KeyValue version_of(std::string key, std::string value, Revision rev = 2) {
  return KeyValue{.key = std::move(key), .value = std::move(value), .create_revision = rev, .mod_revision = rev,
                  .version = 1, .lease = 0};
}

// The keys of `kvs`, in their order, for readable failure messages.
std::vector<std::string> keys_of(const std::vector<KeyValue>& kvs) {
  std::vector<std::string> keys;
  for (const KeyValue& kv : kvs) keys.push_back(kv.key);
  return keys;
}

using Keys = std::vector<std::string>;

// An index holding "a", "b", "ba", "c", "d" (inserted out of order).
KvIndex sample_index() {
  KvIndex index;
  for (const char* key : {"c", "a", "ba", "d", "b"}) index.put(version_of(key, std::string("value of ") + key));
  return index;
}

TEST(KvIndexLookup, FindsTheLiveVersionOfAKey) {
  KvIndex index = sample_index();
  ASSERT_NE(index.find("ba"), nullptr);
  EXPECT_EQ(index.find("ba")->value, "value of ba");
  EXPECT_EQ(index.get("ba"), version_of("ba", "value of ba"));
  EXPECT_EQ(index.find("bb"), nullptr) << "a key that was never put is not found";
  EXPECT_EQ(index.get("bb"), std::nullopt);
  EXPECT_EQ(index.size(), 5u);
}

TEST(KvIndexPut, ReplacesTheVersionOfAnExistingKey) {
  KvIndex index = sample_index();
  KeyValue newer = version_of("b", "new", 7);
  newer.version = 2;
  index.put(newer);
  EXPECT_EQ(index.get("b"), newer) << "put of an existing key replaces its version";
  EXPECT_EQ(index.size(), 5u) << "replacing a key does not add one";
}

TEST(KvIndexErase, RemovesTheKeyAndToleratesAMissingOne) {
  KvIndex index = sample_index();
  index.erase("b");
  EXPECT_EQ(index.find("b"), nullptr);
  EXPECT_NE(index.find("ba"), nullptr) << "erasing \"b\" must not touch \"ba\"";
  index.erase("nothing");
  EXPECT_EQ(index.size(), 4u);
}

TEST(KvIndexRange, SingleKeyIsThatKeyOnly) {
  KvIndex index = sample_index();
  EXPECT_EQ(keys_of(index.range(KeyRange{"b", ""})), Keys{"b"}) << "range_end \"\" is one key, not a prefix";
  EXPECT_TRUE(index.range(KeyRange{"bb", ""}).empty());
  EXPECT_EQ(index.count(KeyRange{"b", ""}), 1);
}

TEST(KvIndexRange, HalfOpenRangeInKeyOrder) {
  KvIndex index = sample_index();
  EXPECT_EQ(keys_of(index.range(KeyRange{"b", "d"})), (Keys{"b", "ba", "c"})) << "[b, d): d is excluded";
  EXPECT_EQ(keys_of(index.range(KeyRange{"aa", "bb"})), (Keys{"b", "ba"})) << "the range need not start at a key";
  EXPECT_EQ(index.count(KeyRange{"b", "d"}), 3);
}

TEST(KvIndexRange, PrefixAndUnboundedRanges) {
  KvIndex index = sample_index();
  EXPECT_EQ(keys_of(index.range(KeyRange{"b", prefix_end("b")})), (Keys{"b", "ba"}));
  EXPECT_EQ(keys_of(index.range(KeyRange{"c", kZero})), (Keys{"c", "d"})) << "range_end \"\\0\": every key >= \"c\"";
  EXPECT_EQ(index.count(KeyRange{kZero, kZero}), 5) << "key \"\\0\" with range_end \"\\0\" is all keys";
}

TEST(KvIndexRange, EmptyRangesFindNothing) {
  KvIndex index = sample_index();
  EXPECT_TRUE(index.range(KeyRange{"d", "b"}).empty()) << "range_end below key is empty";
  EXPECT_TRUE(index.range(KeyRange{"e", kZero}).empty());
  EXPECT_EQ(KvIndex().count(KeyRange{kZero, kZero}), 0);
}

TEST(KvIndexRange, LimitKeepsTheFirstKeys) {
  KvIndex index = sample_index();
  EXPECT_EQ(keys_of(index.range(KeyRange{kZero, kZero}, 2)), (Keys{"a", "b"}));
  EXPECT_EQ(index.range(KeyRange{kZero, kZero}, 0).size(), 5u) << "limit 0 means no limit";
  EXPECT_EQ(index.range(KeyRange{kZero, kZero}, -1).size(), 5u) << "a negative limit means no limit (as etcd)";
  EXPECT_EQ(index.range(KeyRange{kZero, kZero}, 9).size(), 5u);
}

TEST(KvIndexForEach, StopsWhenTheVisitorSaysSo) {
  KvIndex index = sample_index();
  Keys seen;
  index.for_each(KeyRange{kZero, kZero}, [&](const KeyValue& kv) {
    seen.push_back(kv.key);
    return kv.key != "ba";
  });
  EXPECT_EQ(seen, (Keys{"a", "b", "ba"})) << "for_each must stop right after the visitor returned false";
}

}  // namespace
}  // namespace deploylab::store
