// labs/06-rootfs/lab06_support.h: what lab 06's minictr tests share (rootfs_test.cpp and the
// hidden tests): a busybox bundle per test (tests/containers/test_bundle.h), a shell script run
// in it with `minictr run`, an image store of the test's own, and failure messages that show what
// minictr printed and which task of the handout to look at.
//
// Everything a test makes is named deploylab-test-*: the bundle and the image store are temp
// dirs removed by their destructors, the containers are force-deleted by ~TestBundle, and the
// overlay of a `run --image` container is unmounted by minictr itself when the container ends.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::lab06 {

// Where each task of the handout lives, for failure messages ("look at task 3, ...").
inline constexpr const char* kTaskOptions = "task 1, parse_mount_options() in containers/rootfs/mount_options.cpp";
inline constexpr const char* kTaskSecureJoin = "task 2, resolve_in_root() in containers/rootfs/secure_join.cpp";
inline constexpr const char* kTaskPivot = "task 3, pivot_into() in containers/rootfs/mounts.cpp";
inline constexpr const char* kTaskLockDown = "task 4, plan_after_pivot() in containers/rootfs/mount_plan.cpp";
inline constexpr const char* kTaskOverlay = "task 5, overlay_mount_data() in containers/rootfs/overlay.cpp";
inline constexpr const char* kTaskWhiteout = "task 6, apply_whiteout() in containers/rootfs/layer_import.cpp";

// "exit ...\nstdout:\n...\nstderr:\n...": what minictr did, for a failure message.
using deploylab::ctr::testing::transcript;  // tests/containers/test_bundle.h

// "look at task N, ...", to end a failure message.
std::string look_at(const char* task);

// The message for a minictr command that should have exited 0: what it printed, the stub it hit
// if a task is still to do ("not implemented: lab 6: ..."), and the task this test is about.
std::string failed(const std::string& what, const Completed& done, const char* task);

// A host path no other test (or earlier run) uses: /deploylab-test-<what>-<pid>.
std::filesystem::path unique_host_path(const std::string& what);

// Removes `path` if a broken runtime made it on the host; says whether it was there.
bool remove_if_escaped(const std::filesystem::path& path);

// Base fixture: a fresh bundle (busybox rootfs + minictr's default config.json, root writable)
// whose container id is deploylab-test-l6-<test name>, and a private image store.
class ContainerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Force-deletes the image containers the test started and detaches any mount minictr left
  // under the test's files (and says so: `run` must clean up after itself).
  void TearDown() override;

  ctr::testing::TestBundle& bundle() { return *bundle_; }
  nlohmann::json& config() { return bundle_->config(); }
  std::filesystem::path rootfs() const { return bundle_->rootfs(); }
  std::string id(const std::string& suffix = "") const { return bundle_->id() + suffix; }

  // Appends a mount to config.json's "mounts".
  void add_mount(const std::string& destination, const std::string& type, const std::string& source,
                 const std::vector<std::string>& options);
  // Writes config.json with process.args = {sh, -c, script} and runs the container:
  // `minictr run --bundle B ID`.
  Completed run_script(const std::string& script);

  // The image store under a temp dir of this test (minictr image ... --image-root STORE).
  const std::filesystem::path& image_root() const { return image_root_; }
  // `minictr image ARGS... --image-root STORE`.
  Completed image(std::vector<std::string> args);
  // `minictr image build-busybox`, failing the test (fatally) if it does not work.
  void build_busybox_image();
  // Packs `dir` into a gzip'd tar and imports it as image `tag` on top of image `base`.
  Completed import_layer(const std::filesystem::path& dir, const std::string& tag, const std::string& base);
  // Runs `script` in a container of image `image` (run --image), as container `container_id`.
  Completed run_in_image(const std::string& image, const std::string& container_id, const std::string& script);

  TempDir scratch_;  // the test's own files: host directories to bind, layers, the image store
 private:
  std::optional<ctr::testing::TestBundle> bundle_;
  std::filesystem::path image_root_;
  std::vector<std::string> image_containers_;  // ids given to run_in_image()
};

}  // namespace deploylab::ctr::lab06
