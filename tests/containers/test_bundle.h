// tests/containers/test_bundle.h: a throwaway OCI bundle for the container tests: a copy of the
// busybox rootfs that `make deps` prepares (BUILD/assets/rootfs) and a config.json that starts as
// minictr's default (the equivalent of `runc spec`) with the terminal off, for the test to edit.
// Each bundle gets its own state root, so tests never see each other's containers; the
// destructor force-deletes whatever container is left and removes the files.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab::ctr::testing {

class TestBundle {
 public:
  // A bundle in a fresh temp dir; `id` is the container id the test will use.
  static TestBundle make(const std::string& id);
  ~TestBundle();
  TestBundle(TestBundle&& other) noexcept
      : dir_(std::move(other.dir_)), id_(std::exchange(other.id_, {})), config_(std::move(other.config_)) {}
  TestBundle& operator=(TestBundle&&) = delete;

  nlohmann::json& config() { return config_; }
  void set_args(const std::vector<std::string>& args) { config_["process"]["args"] = args; }
  void write_config() const;  // BUNDLE/config.json from config()

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path rootfs() const { return dir_ / "rootfs"; }
  std::filesystem::path state_root() const { return dir_ / "state"; }
  const std::string& id() const { return id_; }

  // `minictr --root STATE ARGS...` with the bundle as working directory.
  Completed minictr(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // The same for a command that leaves a container behind (create): the container's init keeps
  // minictr's stdout and stderr, so they go to files (BUNDLE/create.out, .err) and are read back
  // when minictr itself has exited, not when the container closes them.
  Completed minictr_detached(std::vector<std::string> args) const;
  // Writes config.json, then minictr run --bundle BUNDLE ID.
  Completed run() const {
    write_config();
    return minictr({"run", "--bundle", dir().string(), id_});
  }

 private:
  Completed minictr_shell(const std::string& command) const;
  TestBundle(TempDir dir, std::string id) : dir_(std::move(dir)), id_(std::move(id)) {}
  TempDir dir_;
  std::string id_;
  nlohmann::json config_;
};

// True when the tests themselves run in a chroot (a build root, the kit's fresh-machine check):
// the kernel then refuses to make user namespaces (clone(2): EPERM), and crun cannot pivot_root.
bool running_in_a_chroot();

// What minictr said, for a failure message: its exit, stdout and stderr.
std::string transcript(const Completed& done);

// The minictr binary under test, and whether a cgroup of ours is still there.
std::filesystem::path minictr_binary();
bool cgroup_left_behind(const std::string& id);

}  // namespace deploylab::ctr::testing
