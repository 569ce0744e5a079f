// orchestrator/store/protocol/base64_test.cpp: base64 as etcd's gateway (Go's StdEncoding)
// writes and accepts it (base64.cpp).
#include <gtest/gtest.h>

#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::json {
namespace {

TEST(Base64, EncodesWithPaddingLikeEtcd) {
  // Values etcd itself wrote in our probe (protocol/README.md).
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foo2"), "Zm9vMg==");
  EXPECT_EQ(base64_encode("d1"), "ZDE=");
  EXPECT_EQ(base64_encode(""), "");
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    std::string bytes = all.substr(0, length);
    auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << "length " << length << ": our own encoding did not decode";
    EXPECT_EQ(*decoded, bytes) << "length " << length;
  }
}

TEST(Base64, DecodesTheStandardAlphabetAndSkipsLineBreaks) {
  EXPECT_EQ(base64_decode("Zm8=").value_or("?"), "fo");
  EXPECT_EQ(base64_decode("/+8=").value_or("?"), "\xff\xef");
  EXPECT_EQ(base64_decode("Zm9v\n").value_or("?"), "foo") << "Go skips \\n and \\r; etcd accepted \"Zm9v\\n\"";
  EXPECT_EQ(base64_decode("Zm\r\n9v").value_or("?"), "foo");
  EXPECT_EQ(base64_decode("").value_or("?"), "");
}

TEST(Base64, RefusesWhatEtcdRefused) {
  // Each of these got 400 "illegal base64 data at input byte N" from etcd 3.4.
  for (const char* bad : {"!!!", "Zm9", "Zm8", "_-8=", "Zm 9v", "@@", "Z===", "Zm=v", "Zm8=Zm8="}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << "\"" << bad << "\" should not decode";
  }
}

}  // namespace
}  // namespace deploylab::store::json
