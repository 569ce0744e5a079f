// containers/rootfs/digest_test.cpp: SHA-256 of known inputs (FIPS 180-2's "abc") through
// sha256sum, of a file and of text.
#include "containers/rootfs/digest.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Digest, OfText) {
  auto digest = sha256_of_text("abc");
  ASSERT_TRUE(digest.ok()) << digest.error().message();
  EXPECT_EQ(digest.value(), kAbc);
}

TEST(Digest, OfFile) {
  TempDir dir = TempDir::create("deploylab-test-digest-").value();
  write_file_atomic(dir / "abc", "abc").value();
  EXPECT_EQ(sha256_of_file(dir / "abc").value(), kAbc);
}

TEST(Digest, MissingFileIsAnError) {
  auto digest = sha256_of_file("/nonexistent/deploylab-test-file");
  ASSERT_FALSE(digest.ok());
  EXPECT_NE(digest.error().message().find("hashing /nonexistent/deploylab-test-file"), std::string::npos)
      << digest.error().message();
}

TEST(Digest, RecognisesLayerIds) {
  EXPECT_TRUE(is_sha256_hex(kAbc));
  EXPECT_FALSE(is_sha256_hex("ABC"));
  EXPECT_FALSE(is_sha256_hex(std::string(kAbc).substr(1)));
  EXPECT_FALSE(is_sha256_hex("../../../../etc/passwd0000000000000000000000000000000000000000000"));
}

}  // namespace
}  // namespace deploylab::ctr
