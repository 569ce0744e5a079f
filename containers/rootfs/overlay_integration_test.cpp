// containers/rootfs/overlay_integration_test.cpp: overlayfs for real (root): two layers and an
// upper, the top layer and the upper shadowing the base, whiteouts hiding files, copy-up on
// write, paths with ':' and ',' in them, and MountGuard unmounting.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/file_io.h"
#include "containers/rootfs/overlay.h"
#include "containers/rootfs/rootfs_test_support.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

bool is_whiteout(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool mounted_at(const fs::path& target) {
  for (const std::string& m : rootfs_test::test_mounts()) {
    if (m == target) return true;
  }
  return false;
}

class Overlay : public rootfs_test::RootTest {
 protected:
  // base: a, b, gone; top: a; upper: b and a whiteout for gone.
  OverlayLayers make_layers(const std::string& top_name = "top") {
    dir_ = temp_dir("overlay");
    for (const char* sub : {"base", "upper", "work", "merged"}) fs::create_directory(dir_ / sub);
    fs::create_directory(dir_ / top_name);
    write_file_atomic(dir_ / "base/a", "base a").value();
    write_file_atomic(dir_ / "base/b", "base b").value();
    write_file_atomic(dir_ / "base/gone", "deleted in the upper").value();
    write_file_atomic(dir_ / top_name / "a", "top a").value();
    write_file_atomic(dir_ / "upper/b", "upper b").value();
    EXPECT_EQ(::mknod((dir_ / "upper/gone").c_str(), S_IFCHR, makedev(0, 0)), 0) << "whiteout";
    return {{dir_ / top_name, dir_ / "base"}, dir_ / "upper", dir_ / "work", dir_ / "merged"};
  }
  TempDir dir_;
};

TEST_F(Overlay, TopLayerAndUpperShadowTheBase) {
  OverlayLayers layers = make_layers();
  auto guard = mount_overlay(layers);
  ASSERT_TRUE(guard.ok()) << guard.error().message();
  EXPECT_EQ(read_file(layers.target / "a").value_or("?"), "top a") << "the top layer wins over the base";
  EXPECT_EQ(read_file(layers.target / "b").value_or("?"), "upper b") << "the upper wins over every layer";
  EXPECT_FALSE(fs::exists(layers.target / "gone")) << "a 0/0 char device in the upper hides the base's file";
  EXPECT_TRUE(fs::exists(dir_ / "base/gone")) << "the layer itself is untouched";
}

TEST_F(Overlay, WritesAndDeletesLandInTheUpper) {
  OverlayLayers layers = make_layers();
  auto guard = mount_overlay(layers).value();
  write_file_atomic(layers.target / "new", "written in the container").value();
  fs::remove(layers.target / "a");
  EXPECT_EQ(read_file(dir_ / "upper/new").value_or("?"), "written in the container");
  EXPECT_TRUE(is_whiteout(dir_ / "upper/a")) << "deleting a lower file makes overlayfs write a whiteout";
  EXPECT_EQ(read_file(dir_ / "top/a").value_or("?"), "top a") << "lower layers are never written";
}

TEST_F(Overlay, PathsWithColonAndCommaAreEscaped) {
  OverlayLayers layers = make_layers("top:with,separators");
  auto guard = mount_overlay(layers);
  ASSERT_TRUE(guard.ok()) << guard.error().message();
  EXPECT_EQ(read_file(layers.target / "a").value_or("?"), "top a");
}

TEST_F(Overlay, GuardUnmountsWhenItGoesAway) {
  OverlayLayers layers = make_layers();
  {
    MountGuard guard = mount_overlay(layers).value();
    EXPECT_TRUE(mounted_at(layers.target)) << "mounted while the guard lives";
    MountGuard moved = std::move(guard);
    EXPECT_FALSE(guard.active());
  }
  EXPECT_FALSE(mounted_at(layers.target)) << "the guard's destructor must unmount";
  MountGuard explicit_guard = mount_overlay(layers).value();
  EXPECT_TRUE(explicit_guard.unmount().ok());
  EXPECT_FALSE(mounted_at(layers.target));
}

TEST_F(Overlay, KernelRefusalIsExplained) {
  OverlayLayers layers = make_layers();
  TempDir other_fs = TempDir::create("deploylab-test-work-", "/dev/shm").value();
  layers.work = other_fs.path();  // a tmpfs, while the upper is on the disk
  auto guard = mount_overlay(layers);
  ASSERT_FALSE(guard.ok()) << "upper and work on different filesystems must fail";
  EXPECT_NE(guard.error().message().find("same filesystem"), std::string::npos) << guard.error().message();
}

}  // namespace
}  // namespace deploylab::ctr
