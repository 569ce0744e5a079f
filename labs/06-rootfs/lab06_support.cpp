// labs/06-rootfs/lab06_support.cpp: lab 06's bundle fixture and messages (see lab06_support.h).
#include "labs/06-rootfs/lab06_support.h"

#include <sys/mount.h>
#include <unistd.h>

#include <system_error>

#include "containers/rootfs/mountinfo.h"

namespace deploylab::ctr::lab06 {

namespace fs = std::filesystem;

std::string look_at(const char* task) { return std::string("look at ") + task; }

std::string failed(const std::string& what, const Completed& done, const char* task) {
  std::string text = "expected " + what + " to exit 0\n" + transcript(done);
  const size_t stub = done.err.find("not implemented: lab 6: ");
  if (stub != std::string::npos) {
    const size_t end = done.err.find('\n', stub);
    text += "=> a task is still a stub: `" + done.err.substr(stub, end == std::string::npos ? end : end - stub) + "`\n";
  }
  return text + "(this test is mostly about " + task + ")";
}

fs::path unique_host_path(const std::string& what) {
  return fs::path("/deploylab-test-" + what + "-" + std::to_string(::getpid()));
}

bool remove_if_escaped(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(path, error))) return false;
  fs::remove_all(path, error);
  return true;
}

void ContainerTest::SetUp() {
  // Mounts, mknod and pivot_root need root; a skipped test would count as passed.
  ASSERT_EQ(::geteuid(), 0u) << "lab 06's tests start containers: run them as root (make test LAB=6 does)";
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  bundle_.emplace(ctr::testing::TestBundle::make("deploylab-test-l6-" + name));
  scratch_ = TempDir::create("deploylab-test-l6-").value();
  image_root_ = scratch_ / "images";
}

namespace {

// Mount points in our mount table under `dir`.
std::vector<std::string> mounts_under(const fs::path& dir) {
  std::vector<std::string> found;
  for (const MountInfo& mount : read_mountinfo().value_or(std::vector<MountInfo>{})) {
    if (mount.mount_point.starts_with(dir.string() + "/")) found.push_back(mount.mount_point);
  }
  return found;
}

}  // namespace

void ContainerTest::TearDown() {
  if (!bundle_) return;
  for (const std::string& id : image_containers_) {
    if (fs::exists(bundle_->state_root() / id)) (void)bundle_->minictr({"delete", "--force", id});
  }
  if (scratch_.path().empty()) return;
  std::vector<std::string> left = mounts_under(scratch_.path());
  for (auto it = left.rbegin(); it != left.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
  if (left.empty()) return;
  ADD_FAILURE() << "minictr left " << left.size() << " mount(s) behind, the first at " << left.front()
                << ": a container's overlay must be unmounted when `run` ends";
}

void ContainerTest::add_mount(const std::string& destination, const std::string& type, const std::string& source,
                              const std::vector<std::string>& options) {
  config()["mounts"].push_back({{"destination", destination}, {"type", type}, {"source", source}, {"options", options}});
}

Completed ContainerTest::run_script(const std::string& script) {
  bundle_->set_args({"sh", "-c", script});
  return bundle_->run();
}

Completed ContainerTest::image(std::vector<std::string> args) {
  args.insert(args.begin(), "image");
  args.insert(args.end(), {"--image-root", image_root_.string()});
  return bundle_->minictr(std::move(args));
}

void ContainerTest::build_busybox_image() {
  Completed built = image({"build-busybox"});
  ASSERT_EQ(built.status.code, 0) << "`minictr image build-busybox` failed\n" << transcript(built);
}

Completed ContainerTest::import_layer(const fs::path& dir, const std::string& tag, const std::string& base) {
  const fs::path tarball = scratch_ / (tag + ".tar.gz");
  run_checked({"tar", "-czf", tarball.string(), "-C", dir.string(), "."}).value();
  return image({"import", tarball.string(), "--tag", tag, "--base", base});
}

Completed ContainerTest::run_in_image(const std::string& image, const std::string& container_id,
                                      const std::string& script) {
  image_containers_.push_back(container_id);
  bundle_->set_args({"sh", "-c", script});
  bundle_->write_config();
  return bundle_->minictr({"run", "--bundle", bundle_->dir().string(), "--image", image, "--image-root",
                           image_root_.string(), container_id});
}

}  // namespace deploylab::ctr::lab06
