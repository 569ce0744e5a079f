// containers/rootfs/secure_join_test.cpp: symlinks in a rootfs resolve inside it, never out of
// it (secure_join.h). Plain files in a TempDir: no root needed.
#include "containers/rootfs/secure_join.h"

#include <gtest/gtest.h>

#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

class SecureJoin : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir::create("deploylab-test-join-").value();
    root_ = dir_.path() / "rootfs";
    fs::create_directories(root_ / "usr/lib");
    fs::create_directories(root_ / "real/dir");
  }
  fs::path resolve(const std::string& path) {
    auto resolved = resolve_in_root(root_, path);
    if (!resolved.ok()) ADD_FAILURE() << resolved.error().message();
    return resolved.ok() ? resolved.value() : fs::path();
  }
  TempDir dir_;
  fs::path root_;
};

TEST_F(SecureJoin, PlainPathsAreJoined) {
  EXPECT_EQ(resolve("/usr/lib"), root_ / "usr/lib");
  EXPECT_EQ(resolve("/not/yet/there"), root_ / "not/yet/there") << "missing parts are kept as written";
  EXPECT_EQ(resolve("/"), root_);
}

TEST_F(SecureJoin, AbsoluteSymlinkToSlashStaysInTheRootfs) {
  fs::create_directory_symlink("/", root_ / "etc");  // the malicious image: etc -> /
  EXPECT_EQ(resolve("/etc/passwd"), root_ / "passwd")
      << "etc -> / must mean the rootfs's /, not the host's (the host's /etc/passwd is not ours)";
}

TEST_F(SecureJoin, DotDotStopsAtTheRoot) {
  fs::create_directory_symlink("../../../../../..", root_ / "up");
  EXPECT_EQ(resolve("/up/etc"), root_ / "etc");
  EXPECT_EQ(resolve("/../../etc"), root_ / "etc");
}

TEST_F(SecureJoin, RelativeAndAbsoluteLinksInside) {
  fs::create_directory_symlink("real/dir", root_ / "rel");
  fs::create_directory_symlink("/usr/lib", root_ / "abs");
  fs::create_directory_symlink("../usr", root_ / "real/up");
  EXPECT_EQ(resolve("/rel/x"), root_ / "real/dir/x");
  EXPECT_EQ(resolve("/abs/x"), root_ / "usr/lib/x");
  EXPECT_EQ(resolve("/real/up/lib"), root_ / "usr/lib");
}

TEST_F(SecureJoin, ChainsOfLinksAreFollowed) {
  fs::create_directory_symlink("/b", root_ / "a");
  fs::create_directory_symlink("/usr", root_ / "b");
  EXPECT_EQ(resolve("/a/lib"), root_ / "usr/lib");
}

TEST_F(SecureJoin, SymlinkLoopIsAnError) {
  fs::create_symlink("loop2", root_ / "loop1");
  fs::create_symlink("loop1", root_ / "loop2");
  auto resolved = resolve_in_root(root_, "/loop1/x");
  ASSERT_FALSE(resolved.ok()) << "a loop must not spin forever; got " << resolved.value();
  EXPECT_EQ(resolved.error().code, ELOOP);
}

TEST_F(SecureJoin, RelativeRootIsRefused) {
  EXPECT_FALSE(resolve_in_root("rootfs", "/etc").ok());
}

}  // namespace
}  // namespace deploylab::ctr
