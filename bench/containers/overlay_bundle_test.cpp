// bench/containers/overlay_bundle_test.cpp: the overlay's directories and mount data
// (overlay_bundle.h). Mounting needs root and is exercised by container-rows' disk row.
#include "bench/containers/overlay_bundle.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace deploylab::bench {
namespace {

TEST(OverlayDirs, PutsUpperWorkAndMergedUnderTheBase) {
  OverlayDirs dirs = overlay_dirs("/var/tmp/r/overlay-1", "/var/tmp/r/rootfs");
  EXPECT_EQ(dirs.lower, "/var/tmp/r/rootfs");
  EXPECT_EQ(dirs.upper, "/var/tmp/r/overlay-1/upper");
  EXPECT_EQ(dirs.work, "/var/tmp/r/overlay-1/work") << "work must be on upper's file system";
  EXPECT_EQ(dirs.merged, "/var/tmp/r/overlay-1/merged");
}

TEST(OverlayOptions, NamesTheThreeLayers) {
  EXPECT_EQ(overlay_options(overlay_dirs("/b", "/l")), "lowerdir=/l,upperdir=/b/upper,workdir=/b/work");
}

TEST(OverlayOptions, RefusesPathsOverlayfsWouldSplit) {
  EXPECT_THROW(overlay_options(overlay_dirs("/b", "/l,x")), std::invalid_argument);
  EXPECT_THROW(overlay_options(overlay_dirs("/b:c", "/l")), std::invalid_argument);
}

}  // namespace
}  // namespace deploylab::bench
