// containers/rootfs/mounts_integration_test.cpp: prepare_rootfs for real (root): a child process
// builds a container rootfs from a copy of the busybox rootfs, pivots into it, and checks what a
// container would see: its own files only, /proc, the default devices, a read-only root, masked
// and readonly paths, and no way out through a symlink in the image.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/stat.h>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "containers/rootfs/mounts.h"
#include "containers/rootfs/rootfs_test_support.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;
using rootfs_test::check;
using rootfs_test::check_char_device;
using rootfs_test::check_fs_magic;
using rootfs_test::check_write_fails;
using rootfs_test::read_text;
using ::testing::HasSubstr;

// The mounts `runc spec` writes.
std::vector<MountEntry> runc_spec_mounts() {
  return {
      {"/proc", "proc", "proc", {}},
      {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      {"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
}

class PrepareRootfs : public rootfs_test::RootTest {
 protected:
  void SetUp() override {
    RootTest::SetUp();
    if (IsSkipped()) return;
    if (rootfs_test::asset_rootfs().empty()) GTEST_SKIP() << "no busybox rootfs in build/assets: run `make deps`";
    dir_ = temp_dir("rootfs");
    config_.rootfs = rootfs_test::copy_asset_rootfs(dir_.path());
    config_.mounts = runc_spec_mounts();
  }
  // Runs prepare_rootfs and then `inside` in a child; fails the test with the child's report.
  void expect_inside(const std::function<Result<void>()>& inside) {
    rootfs_test::ChildReport report = rootfs_test::run_in_new_mount_namespace([&]() -> Result<void> {
      DL_TRY(prepare_rootfs(config_));
      return inside();
    });
    EXPECT_TRUE(report.passed) << report.message;
  }
  TempDir dir_;
  RootfsConfig config_;
};

Result<void> check_devices() {
  DL_TRY(check_char_device("/dev/null", 1, 3));
  DL_TRY(check_char_device("/dev/zero", 1, 5));
  DL_TRY(check_char_device("/dev/urandom", 1, 9));
  DL_TRY(check_char_device("/dev/tty", 5, 0));
  DL_TRY(write_file_atomic("/dev/shm/deploylab-test", "shm is writable"));
  DL_TRY(check(fs::read_symlink("/dev/fd") == "/proc/self/fd", "/dev/fd -> /proc/self/fd"));
  DL_TRY(check(fs::read_symlink("/dev/ptmx") == "pts/ptmx", "/dev/ptmx -> pts/ptmx"));
  return check_fs_magic("/dev/pts", DEVPTS_SUPER_MAGIC, "devpts");
}

TEST_F(PrepareRootfs, RuncSpecBundleSeenFromInside) {
  config_.root_access = RootAccess::read_only;
  write_file_atomic(config_.rootfs / "etc/deploylab-test-secret", "secret").value();
  config_.masked_paths = {"/proc/kcore", "/etc/deploylab-test-secret", "/sys/firmware", "/proc/deploylab-none"};
  config_.readonly_paths = {"/proc/sys", "/proc/sysrq-trigger"};
  expect_inside([]() -> Result<void> {
    DL_TRY(check(fs::is_regular_file("/bin/busybox"), "/bin/busybox in the container's root"));
    DL_TRY(check(!fs::exists("/work") && !fs::exists("/usr/lib/x86_64-linux-gnu"), "no host directories"));
    DL_TRY(check(fs::current_path() == "/", "the working directory to be /"));
    std::string stat = DL_TRY(read_text("/proc/self/stat"));
    DL_TRY(check(!stat.empty(), "/proc/self/stat to be readable (proc mounted)"));
    DL_TRY(check_devices());
    DL_TRY(check_write_fails("/deploylab-test-file", EROFS));
    DL_TRY(check(DL_TRY(read_text("/etc/deploylab-test-secret")).empty(), "the masked file to read empty"));
    DL_TRY(check(fs::is_empty("/sys/firmware"), "the masked directory /sys/firmware to be empty"));
    DL_TRY(check_write_fails("/proc/sys/kernel/hostname", EROFS));
    DL_TRY(check(fs::exists("/sys/fs/cgroup/memory/cgroup.procs"), "the memory cgroup under /sys/fs/cgroup"));
    DL_TRY(check_write_fails("/sys/fs/cgroup/memory/cgroup.procs", EROFS));
    // The container's own userland runs: busybox from the image, not a host binary.
    std::string passwd = DL_TRY(run_checked({"/bin/busybox", "cat", "/etc/passwd"}));
    return check(passwd.find("root:") != std::string::npos, "busybox cat /etc/passwd to print root's line");
  });
}

TEST_F(PrepareRootfs, WritableRootWithAReadonlyPath) {
  fs::create_directory(config_.rootfs / "deploylab-test-ro");
  config_.readonly_paths = {"/deploylab-test-ro", "/deploylab-test-missing"};
  expect_inside([]() -> Result<void> {
    DL_TRY(write_file_atomic("/tmp/deploylab-test-file", "the root is writable"));
    return check_write_fails("/deploylab-test-ro/file", EROFS);
  });
  EXPECT_TRUE(fs::exists(config_.rootfs / "tmp/deploylab-test-file")) << "a write to / lands in the rootfs";
}

TEST_F(PrepareRootfs, BindMountsOfAFileAndADirectory) {
  write_file_atomic(dir_ / "host-file", "from the host").value();
  fs::create_directory(dir_ / "host-dir");
  config_.mounts.push_back({"/etc/deploylab-test-file", "bind", (dir_ / "host-file").string(), {"rbind", "ro"}});
  config_.mounts.push_back({"/deploylab-test-dir", "none", (dir_ / "host-dir").string(), {"rbind"}});
  expect_inside([]() -> Result<void> {
    std::string text = DL_TRY(read_text("/etc/deploylab-test-file"));
    DL_TRY(check(text == "from the host", "the bound file to read `from the host`, saw `" + text + "`"));
    DL_TRY(check_write_fails("/etc/deploylab-test-file", EROFS));
    return write_file_atomic("/deploylab-test-dir/written", "inside");
  });
  EXPECT_EQ(read_file(dir_ / "host-dir/written").value_or(""), "inside") << "a write in a rw bind reaches the host dir";
}

// The image replaces /etc by `etc -> /`. A runtime that joins paths naively (ROOTFS + "/etc/x")
// lets the kernel follow that link to the HOST's "/", creating and mounting on /x of the host;
// ours resolves the link inside the rootfs, to ROOTFS/x.
TEST_F(PrepareRootfs, SymlinkInTheImageCannotEscape) {
  fs::remove_all(config_.rootfs / "etc");
  fs::create_directory_symlink("/", config_.rootfs / "etc");
  config_.mounts = {{"/etc/deploylab-test-mnt", "tmpfs", "tmpfs", {"size=1m"}}};
  expect_inside([]() -> Result<void> {
    return check_fs_magic("/etc/deploylab-test-mnt", TMPFS_MAGIC, "the tmpfs mounted through etc -> /");
  });
  const bool escaped = fs::exists("/deploylab-test-mnt");
  if (escaped) fs::remove("/deploylab-test-mnt");  // do not leave the evidence on the host
  EXPECT_FALSE(escaped) << "the runtime followed etc -> / out of the rootfs and made /deploylab-test-mnt on the host";
  EXPECT_TRUE(fs::is_directory(config_.rootfs / "deploylab-test-mnt")) << "the mount point belongs in the rootfs";
}

TEST_F(PrepareRootfs, FailingMountNamesTheSyscallAndTheStep) {
  config_.mounts = {{"/deploylab-test-x", "deploylab-nofs", "none", {}}};
  rootfs_test::ChildReport report = rootfs_test::run_in_new_mount_namespace([&] { return prepare_rootfs(config_); });
  EXPECT_FALSE(report.passed);
  EXPECT_THAT(report.message, HasSubstr("mount deploylab-nofs none -> /deploylab-test-x: mount `deploylab-nofs on"));
  EXPECT_THAT(report.message, HasSubstr("[ENODEV]"));
  EXPECT_THAT(report.message, HasSubstr("see /proc/filesystems"));
}

TEST_F(PrepareRootfs, UserNamespaceModeBindsTheHostsDevices) {
  config_.user_namespace = UserNamespace::used;  // the binds work for root outside one too
  expect_inside([]() -> Result<void> {
    DL_TRY(check_char_device("/dev/null", 1, 3));
    return check_char_device("/dev/zero", 1, 5);
  });
}

}  // namespace
}  // namespace deploylab::ctr
