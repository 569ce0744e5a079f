// orchestrator/store/key_range_test.cpp: etcd's key-range conventions (key_range.h): prefix
// ends, membership and overlap, including the zero-byte and 0xff corner cases.
#include "orchestrator/store/key_range.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

const std::string kZero(1, '\0');  // range_end "\0": no upper bound

KeyRange single(std::string key) { return KeyRange{std::move(key), ""}; }
KeyRange between(std::string key, std::string range_end) { return KeyRange{std::move(key), std::move(range_end)}; }
KeyRange from(std::string key) { return KeyRange{std::move(key), kZero}; }

TEST(KeyRangePrefixEnd, IncrementsTheLastByte) {
  EXPECT_EQ(prefix_end("/pods/"), "/pods0") << "'/' + 1 is '0': [\"/pods/\", \"/pods0\") is the prefix";
  EXPECT_EQ(prefix_end("a"), "b");
  EXPECT_EQ(prefix_end(std::string("a\0", 2)), std::string("a\x01", 2)) << "a zero byte is a byte like any other";
}

TEST(KeyRangePrefixEnd, DropsTrailing0xffBytesBeforeIncrementing) {
  EXPECT_EQ(prefix_end("a\xff"), "b") << "every key starting with \"a\\xff\" is below \"b\"";
  EXPECT_EQ(prefix_end("ab\xff\xff"), "ac");
  EXPECT_EQ(prefix_end("\xfe\xff"), "\xff");
}

TEST(KeyRangePrefixEnd, EmptyOrAll0xffPrefixHasNoUpperBound) {
  EXPECT_EQ(prefix_end(""), kZero) << "the empty prefix is every key: range_end \"\\0\"";
  EXPECT_EQ(prefix_end("\xff"), kZero) << "nothing is above \"\\xff...\": range_end \"\\0\"";
  EXPECT_EQ(prefix_end("\xff\xff\xff"), kZero);
}

TEST(KeyRangeShape, SingleKeyAndUnboundedAreRecognised) {
  EXPECT_TRUE(single("a").is_single_key());
  EXPECT_FALSE(single("a").is_unbounded());
  EXPECT_TRUE(from("a").is_unbounded());
  EXPECT_FALSE(between("a", "b").is_unbounded());
  EXPECT_FALSE(between("a", std::string("\0\0", 2)).is_unbounded()) << "only the one-byte \"\\0\" is unbounded";
}

TEST(KeyRangeContains, AnEmptyRangeEndIsExactlyOneKey) {
  EXPECT_TRUE(contains(single("a"), "a"));
  EXPECT_FALSE(contains(single("a"), "ab")) << "a single key is not a prefix";
  EXPECT_FALSE(contains(single("ab"), "a"));
}

TEST(KeyRangeContains, RangeIsHalfOpen) {
  const KeyRange range = between("b", "d");
  EXPECT_TRUE(contains(range, "b")) << "the start key is in the range";
  EXPECT_TRUE(contains(range, "c"));
  EXPECT_TRUE(contains(range, "czzz"));
  EXPECT_FALSE(contains(range, "d")) << "range_end itself is not in the range";
  EXPECT_FALSE(contains(range, "a"));
  EXPECT_FALSE(contains(range, "dz"));
}

TEST(KeyRangeContains, ZeroRangeEndMeansEveryKeyFromKeyOn) {
  EXPECT_TRUE(contains(from("m"), "m"));
  EXPECT_TRUE(contains(from("m"), "\xff\xff"));
  EXPECT_FALSE(contains(from("m"), "l")) << "range_end \"\\0\" is unbounded above, not below";
  EXPECT_TRUE(contains(from(kZero), "a")) << "key \"\\0\" with range_end \"\\0\" is all keys";
  EXPECT_TRUE(contains(from(kZero), kZero));
}

TEST(KeyRangeContains, PrefixRangeHoldsExactlyThePrefixedKeys) {
  const KeyRange pods = between("/pods/", prefix_end("/pods/"));
  EXPECT_TRUE(contains(pods, "/pods/"));
  EXPECT_TRUE(contains(pods, "/pods/default/web"));
  EXPECT_FALSE(contains(pods, "/pods")) << "the prefix without its slash is outside";
  EXPECT_FALSE(contains(pods, "/pods0"));
  EXPECT_FALSE(contains(pods, "/podsx"));
}

TEST(KeyRangeContains, BytesCompareAsUnsigned) {
  EXPECT_TRUE(contains(between("a", "\x80"), "z")) << "0x80 sorts after 'z' (unsigned bytes, like etcd)";
  EXPECT_TRUE(contains(between("\x80", "\xff"), "\xfe"));
}

TEST(KeyRangeContains, RangeEndBelowKeyIsEmpty) {
  EXPECT_FALSE(contains(between("d", "b"), "c"));
  EXPECT_FALSE(contains(between("d", "b"), "d"));
  EXPECT_FALSE(contains(between("b", "b"), "b")) << "[b, b) is empty";
}

}  // namespace
}  // namespace deploylab::store
