// containers/cgroups/cgroup_integration_support.h: helpers of cgroup_integration_test.cpp only.
//
// ForkedChild: a forked copy of the test that waits until the test has put it into a cgroup,
// then runs a function (a memory hog, a fork bomb, a busy loop); the destructor kills its whole
// process group and reaps it. CgroupTest: the fixture that finds the layout, skips without root
// or cgroups, names cgroups `deploylab-test-<pid>-<name>` and, after each test, fails the test
// and removes the cgroups if any of its cgroups were left behind.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/child_process.h"
#include "common/file_io.h"
#include "containers/cgroups/cgroup_files.h"
#include "containers/cgroups/cgroup_tree.h"
#include "containers/cgroups/layout.h"

namespace deploylab::ctr::testing {

class ForkedChild {
 public:
  // Forks; the child leads its own process group (so the destructor reaches its descendants),
  // waits for start(), runs `body` and exits with its result.
  explicit ForkedChild(std::function<int()> body) {
    int go[2];
    if (::pipe(go) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::close(go[1]);
      char byte;
      if (::read(go[0], &byte, 1) != 1) ::_exit(100);  // the test went away before start()
      ::_exit(body());
    }
    ::setpgid(pid_, pid_);  // both sides set it: whichever runs first wins the race
    ::close(go[0]);
    go_ = go[1];
  }
  ForkedChild(const ForkedChild&) = delete;
  ForkedChild& operator=(const ForkedChild&) = delete;
  ~ForkedChild() {
    if (go_ >= 0) ::close(go_);
    if (status_) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }

  pid_t pid() const { return pid_; }
  // Lets the child run `body` (call it once the child is in its cgroup).
  void start() {
    char byte = 1;
    if (::write(go_, &byte, 1) != 1) ADD_FAILURE() << "could not start child " << pid_;
    ::close(go_);
    go_ = -1;
  }
  // The child's end, or std::nullopt if it still runs after `limit`.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!status_ && std::chrono::steady_clock::now() < deadline) {
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = ExitStatus::from_wait_status(status);
      else std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int go_ = -1;
  std::optional<ExitStatus> status_;
};

class CgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "cgroup integration tests need root";
    auto found = discover_layout();
    if (!found.ok()) GTEST_SKIP() << "no usable cgroups here: " << found.error().message();
    layout_ = found.value();
    std::cout << "[ layout   ] " << to_string(layout_.mode) << " (cgroup " << to_string(layout_.version())
              << ") at " << layout_.root.string() << "\n";
  }

  void TearDown() override {
    if (layout_.root.empty()) return;
    for (const auto& hierarchy : hierarchies()) {
      for (const auto& entry : std::filesystem::directory_iterator(hierarchy)) {
        if (entry.path().filename().string().rfind(prefix(), 0) != 0) continue;
        ADD_FAILURE() << "cgroup left behind: " << entry.path() << " (a Cgroup should have removed it)";
        remove_tree(entry.path());
      }
    }
  }

  // "deploylab-test-<pid>-<what>": unique per run, recognisable by the sweeper above.
  std::string name(const std::string& what) const { return prefix() + what; }

  // The directories in which this test's cgroups may appear.
  std::set<std::filesystem::path> hierarchies() const {
    if (layout_.version() == CgroupVersion::v2) return {layout_.root};
    std::set<std::filesystem::path> mounts;
    for (const auto& [controller, mount] : layout_.v1_mounts) mounts.insert(mount);
    return mounts;
  }

  bool has(const std::string& controller) const {
    if (layout_.version() == CgroupVersion::v1) return layout_.v1_mounts.count(controller) > 0;
    return parse_controller_list(read_file_or_empty(layout_.root / "cgroup.controllers")).count(controller) > 0;
  }

  CgroupLayout layout_;

 private:
  std::string prefix() const { return "deploylab-test-" + std::to_string(::getpid()) + "-"; }

  // Kills what is inside and removes the directory tree bottom-up (rmdir only: the files in a
  // cgroup directory are the kernel's interface, not files to delete).
  static void remove_tree(const std::filesystem::path& dir) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_directory()) remove_tree(entry.path());
    }
    if (auto pids = parse_pid_list(read_file_or_empty(dir / "cgroup.procs")); pids.ok()) {
      for (pid_t pid : pids.value()) ::kill(pid, SIGKILL);
    }
    if (auto removed = remove_cgroup_directory(dir); !removed.ok()) ADD_FAILURE() << removed.error().message();
  }
};

}  // namespace deploylab::ctr::testing
