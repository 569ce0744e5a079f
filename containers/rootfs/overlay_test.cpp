// containers/rootfs/overlay_test.cpp: the overlayfs options string and the checks made before
// mounting (pure; the mount itself is in rootfs_integration_tests).
#include "containers/rootfs/overlay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

using ::testing::HasSubstr;

OverlayLayers two_layers() {
  return {{"/layers/top", "/layers/base"}, "/c/upper", "/c/work", "/c/merged"};
}

TEST(OverlayData, LowerTopFirstThenUpperAndWork) {
  EXPECT_EQ(overlay_mount_data(two_layers()), "lowerdir=/layers/top:/layers/base,upperdir=/c/upper,workdir=/c/work");
}

TEST(OverlayData, ReadOnlyOverlayHasNoUpper) {
  OverlayLayers layers{{"/a", "/b"}, {}, {}, "/m"};
  EXPECT_EQ(overlay_mount_data(layers), "lowerdir=/a:/b");
}

TEST(OverlayData, SeparatorsInPathsAreEscaped) {
  OverlayLayers layers{{"/l/a:b", "/l/c,d"}, "/u/e\\f", "/w", "/m"};
  EXPECT_EQ(overlay_mount_data(layers), "lowerdir=/l/a\\:b:/l/c\\,d,upperdir=/u/e\\\\f,workdir=/w")
      << "an unescaped ':' would split a layer in two, an unescaped ',' would end the option";
}

TEST(OverlayCheck, AcceptsAWritableOverlay) {
  auto checked = check_overlay_layers(two_layers());
  EXPECT_TRUE(checked.ok()) << checked.error().message();
}

TEST(OverlayCheck, RefusesWhatTheKernelWould) {
  OverlayLayers no_lower = two_layers();
  no_lower.lower.clear();
  EXPECT_THAT(check_overlay_layers(no_lower).error().message(), HasSubstr("at least one lower layer"));

  OverlayLayers no_work = two_layers();
  no_work.work.clear();
  EXPECT_THAT(check_overlay_layers(no_work).error().message(), HasSubstr("upperdir and workdir go together"));

  OverlayLayers single_read_only{{"/a"}, {}, {}, "/m"};
  EXPECT_THAT(check_overlay_layers(single_read_only).error().message(), HasSubstr("at least two lower layers"));

  OverlayLayers relative = two_layers();
  relative.lower[1] = "layers/base";
  EXPECT_THAT(check_overlay_layers(relative).error().message(), HasSubstr("lowerdir must be an absolute path"));
}

TEST(OverlayCheck, RefusesOptionsLongerThanAPage) {
  OverlayLayers many = two_layers();
  many.lower.assign(100, "/var/lib/minictr/layers/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  auto checked = check_overlay_layers(many);
  ASSERT_FALSE(checked.ok()) << "100 layers of 88 bytes do not fit in 4096 bytes";
  EXPECT_THAT(checked.error().message(), HasSubstr("do not fit in one page"));
}

TEST(MountGuard, EmptyGuardDoesNothing) {
  MountGuard guard;
  EXPECT_FALSE(guard.active());
  EXPECT_TRUE(guard.unmount().ok());
  MountGuard moved = std::move(guard);
  EXPECT_FALSE(moved.active());
}

TEST(MountGuard, ReleaseHandsOverThePath) {
  MountGuard guard("/deploylab-test-not-mounted");
  EXPECT_TRUE(guard.active());
  EXPECT_EQ(guard.release(), "/deploylab-test-not-mounted");
  EXPECT_FALSE(guard.active()) << "after release the destructor must not unmount";
}

}  // namespace
}  // namespace deploylab::ctr
