// containers/rootfs/rootfs_test_support.cpp: the private mount namespace of the test binary,
// the fork-and-check helper, the asset rootfs copy and small in-container checks (see the .h).
#include "containers/rootfs/rootfs_test_support.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/build_tree.h"
#include "common/child_process.h"
#include "common/unique_fd.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "containers/rootfs/mountinfo.h"

namespace deploylab::ctr::rootfs_test {
namespace {

namespace fs = std::filesystem;

// Before any test: our own mount namespace, slave to the host's, so nothing we mount (or fail to
// unmount) is ever seen by the host.
class PrivateMountNamespace : public ::testing::Environment {
 public:
  void SetUp() override {
    if (::geteuid() != 0) return;
    if (::unshare(CLONE_NEWNS) != 0) FAIL() << "unshare(CLONE_NEWNS): " << std::strerror(errno);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) FAIL() << "rslave /: " << std::strerror(errno);
  }
};

[[maybe_unused]] ::testing::Environment* const kNamespace =
    ::testing::AddGlobalTestEnvironment(new PrivateMountNamespace);

// The child's side of run_in_new_mount_namespace: never returns.
[[noreturn]] void child_main(int report_fd, const std::function<Result<void>()>& body) {
  ::alarm(120);  // a hung check must not hang the test run
  std::string message;
  try {
    Result<void> result = ::unshare(CLONE_NEWNS) == 0 ? body() : Result<void>(Error::os("unshare", "CLONE_NEWNS", errno));
    if (!result.ok()) message = result.error().message();
  } catch (const std::exception& e) {
    message = std::string("exception: ") + e.what();
  }
  (void)write_all(report_fd, message, "report pipe");
  ::_exit(message.empty() ? 0 : 1);
}

}  // namespace

void RootTest::SetUp() {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (mounts, mknod, pivot_root)";
}

void RootTest::TearDown() {
  if (::geteuid() != 0) return;
  for (const std::string& mount : test_mounts()) ADD_FAILURE() << "mount left behind: " << mount;
}

TempDir RootTest::temp_dir(const std::string& what) { return TempDir::create("deploylab-test-" + what + "-").value(); }

std::vector<std::string> test_mounts() {
  std::vector<std::string> left;
  for (const MountInfo& m : read_mountinfo().value()) {
    // Named network namespaces (nsfs, from `ip netns add`) belong to lab 5's tests, which CTest
    // may be running beside us; no rootfs test makes one.
    if (m.fstype == "nsfs") continue;
    if (m.mount_point.find("deploylab-test") != std::string::npos) left.push_back(m.mount_point);
  }
  return left;
}

ChildReport run_in_new_mount_namespace(const std::function<Result<void>()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {false, "pipe2 failed"};
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  pid_t pid = ::fork();
  if (pid < 0) return {false, "fork failed"};
  if (pid == 0) child_main(write_end.get(), body);
  write_end.reset();
  std::string message = read_all(read_end.get(), "report pipe").value_or("(no report)");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (!WIFEXITED(status)) return {false, "check process died: " + ExitStatus::from_wait_status(status).describe()};
  return {WEXITSTATUS(status) == 0, message};
}

fs::path asset_rootfs() {
  for (const fs::path& assets : {default_assets_dir(), default_source_root() / "build/assets"}) {
    if (fs::exists(assets / "rootfs/bin/busybox")) return assets / "rootfs";
  }
  return {};
}

fs::path copy_asset_rootfs(const fs::path& parent) {
  run_checked({"cp", "-a", asset_rootfs().string(), (parent / "rootfs").string()}).value();
  return parent / "rootfs";
}

Result<void> check(bool condition, const std::string& expectation) {
  if (condition) return {};
  return Error::invalid("expected " + expectation);
}

Result<void> check_char_device(const fs::path& path, unsigned major_number, unsigned minor_number) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::os("stat", path.string(), errno);
  return check(S_ISCHR(st.st_mode) && major(st.st_rdev) == major_number && minor(st.st_rdev) == minor_number,
               path.string() + " to be char device " + std::to_string(major_number) + ":" +
                   std::to_string(minor_number) + ", saw mode " + std::to_string(st.st_mode) + " rdev " +
                   std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)));
}

Result<void> check_write_fails(const fs::path& path, int expected_errno) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  int error = errno;
  if (fd >= 0) {
    ::close(fd);
    return Error::invalid("expected creating/writing " + path.string() + " to fail with " +
                          errno_name(expected_errno) + ", but it succeeded");
  }
  return check(error == expected_errno, "writing " + path.string() + " to fail with " + errno_name(expected_errno) +
                                            ", saw " + errno_name(error));
}

Result<std::string> read_text(const fs::path& path) { return read_file(path); }

Result<void> check_fs_magic(const fs::path& path, long magic, const std::string& fs_name) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0) return Error::os("statfs", path.string(), errno);
  return check(static_cast<long>(st.f_type) == magic, path.string() + " to be on " + fs_name);
}

std::string shell(const std::string& command_line) { return run_checked({"sh", "-ec", command_line}).value(); }

}  // namespace deploylab::ctr::rootfs_test
