// containers/rootfs/rootfs_test_support.h: helpers for rootfs_integration_tests (root only).
//
// The whole test binary runs in a mount namespace of its own (set up before the first test), so
// even a test that crashes half-way leaves no mount on the host. Tests that pivot_root go one
// step further: they fork a child that unshares yet another mount namespace, builds the
// container's rootfs there and checks it from inside; the child reports through a pipe, and all
// its mounts vanish when it exits. Every directory and mount is named deploylab-test-*, and each
// test ends by checking that no deploylab-test mount is left in our namespace.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>

#include "common/result.h"
#include "common/temp_dir.h"

namespace deploylab::ctr::rootfs_test {

// Base fixture: skips unless root, and fails a test that leaves a deploylab-test mount behind.
class RootTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // A fresh TempDir named deploylab-test-<what>-XXXXXX.
  TempDir temp_dir(const std::string& what);
};

// Mount points in our mount table whose path contains "deploylab-test".
std::vector<std::string> test_mounts();

// What a forked check reported: its error message, or empty when it passed.
struct ChildReport {
  bool passed = false;
  std::string message;
};

// Forks; the child unshares a new mount namespace, runs `body` and reports its Result.
ChildReport run_in_new_mount_namespace(const std::function<Result<void>()>& body);

// The busybox rootfs of `make deps` (build/assets/rootfs), or empty when it is not there.
std::filesystem::path asset_rootfs();
// `cp -a` of the asset rootfs into `parent`/rootfs; returns that path. Never touches the original.
std::filesystem::path copy_asset_rootfs(const std::filesystem::path& parent);

// Small checks for code running inside the container; each error says what was expected and seen.
Result<void> check(bool condition, const std::string& expectation);
Result<void> check_char_device(const std::filesystem::path& path, unsigned major, unsigned minor);
Result<void> check_write_fails(const std::filesystem::path& path, int expected_errno);
Result<std::string> read_text(const std::filesystem::path& path);
Result<void> check_fs_magic(const std::filesystem::path& path, long magic, const std::string& fs_name);

// Runs a shell command line with `tar` etc. on the host; throws (fails the test) on error.
std::string shell(const std::string& command_line);

}  // namespace deploylab::ctr::rootfs_test
