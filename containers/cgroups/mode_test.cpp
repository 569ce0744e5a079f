// containers/cgroups/mode_test.cpp: telling legacy, hybrid and unified cgroups apart (mode.h),
// from file-system magic numbers.
#include "containers/cgroups/mode.h"

#include <gtest/gtest.h>

#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

TEST(ClassifyCgroupMode, Cgroup2AtTheRootIsUnified) {
  EXPECT_EQ(classify_cgroup_mode(kCgroup2SuperMagic, std::nullopt), CgroupMode::unified);
  // What is below the root does not matter once the root itself is cgroup2.
  EXPECT_EQ(classify_cgroup_mode(kCgroup2SuperMagic, kCgroup2SuperMagic), CgroupMode::unified);
}

TEST(ClassifyCgroupMode, TmpfsWithCgroup2AtUnifiedIsHybrid) {
  EXPECT_EQ(classify_cgroup_mode(kTmpfsMagic, kCgroup2SuperMagic), CgroupMode::hybrid)
      << "systemd's hybrid layout: v1 hierarchies under a tmpfs plus cgroup2 at root/unified";
}

TEST(ClassifyCgroupMode, TmpfsWithoutCgroup2IsLegacy) {
  EXPECT_EQ(classify_cgroup_mode(kTmpfsMagic, std::nullopt), CgroupMode::legacy);
  EXPECT_EQ(classify_cgroup_mode(kTmpfsMagic, kTmpfsMagic), CgroupMode::legacy)
      << "root/unified on the same tmpfs is a plain directory, not a v2 mount";
}

TEST(ClassifyCgroupMode, AnythingElseIsLegacy) {
  EXPECT_EQ(classify_cgroup_mode(kCgroupSuperMagic, std::nullopt), CgroupMode::legacy);
  EXPECT_EQ(classify_cgroup_mode(0x62656572 /* sysfs */, kCgroup2SuperMagic), CgroupMode::legacy)
      << "only a tmpfs root makes root/unified count as hybrid";
}

TEST(CgroupVersionFor, OnlyUnifiedUsesV2) {
  EXPECT_EQ(version_for(CgroupMode::unified), CgroupVersion::v2);
  EXPECT_EQ(version_for(CgroupMode::hybrid), CgroupVersion::v1)
      << "hybrid keeps the controllers in v1, and runc uses them there";
  EXPECT_EQ(version_for(CgroupMode::legacy), CgroupVersion::v1);
}

TEST(CgroupModeNames, AreTheWordsStudentsSearchFor) {
  EXPECT_EQ(to_string(CgroupMode::legacy), "legacy");
  EXPECT_EQ(to_string(CgroupMode::hybrid), "hybrid");
  EXPECT_EQ(to_string(CgroupMode::unified), "unified");
  EXPECT_EQ(to_string(CgroupVersion::v1), "v1");
  EXPECT_EQ(to_string(CgroupVersion::v2), "v2");
}

TEST(DetectCgroupMode, AMissingRootIsAnErrorWithTheSyscallAndPath) {
  auto mode = detect_cgroup_mode("/nonexistent/deploylab-test-cgroup");
  ASSERT_FALSE(mode.ok()) << "statfs of a missing directory must fail";
  std::string message = mode.error().message();
  EXPECT_NE(message.find("statfs"), std::string::npos) << message;
  EXPECT_NE(message.find("/nonexistent/deploylab-test-cgroup"), std::string::npos) << message;
  EXPECT_NE(message.find("ENOENT"), std::string::npos) << message;
}

TEST(DetectCgroupMode, AnOrdinaryDirectoryIsLegacy) {
  TempDir dir = TempDir::create("deploylab-test-mode-").value();
  EXPECT_EQ(detect_cgroup_mode(dir.path()).value(), CgroupMode::legacy)
      << "neither cgroup2 nor tmpfs+unified: runc would take it for v1 too";
}

}  // namespace
}  // namespace deploylab::ctr
