// containers/cgroups/layout_test.cpp: the mount table -> CgroupLayout (layout.h), on sample
// /proc/self/mountinfo texts of the three layouts.
#include "containers/cgroups/layout.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

// This kit's CI machine: separate cpu and cpuacct hierarchies, a named systemd hierarchy, and
// an empty cgroup2 at /sys/fs/cgroup/unified (hybrid).
const char* kHybrid =
    "23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

// Debian 10 / Ubuntu 18.04 style: joint hierarchies, optional fields (shared:N) before "-".
const char* kJoint =
    "25 24 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755\n"
    "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate\n"
    "27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid shared:6 - cgroup cgroup rw,xattr,name=systemd\n"
    "30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct\n"
    "31 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:11 - cgroup cgroup rw,net_cls,net_prio\n"
    "32 25 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory\n"
    "33 25 0:31 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,pids\n";

// A systemd machine of today (Debian 12, Fedora, Ubuntu 22.04+): one cgroup2 tree.
const char* kUnified =
    "22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "26 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";

TEST(ParseMountinfo, ReadsTypeMountPointAndSuperOptions) {
  auto mounts = parse_mountinfo_entries(kJoint).value();
  ASSERT_EQ(mounts.size(), 7u) << "one entry per line";
  EXPECT_EQ(mounts[3].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(mounts[3].fs_type, "cgroup") << "the type follows the '-' separator, after optional fields";
  EXPECT_EQ(mounts[3].super_options, (std::vector<std::string>{"rw", "cpu", "cpuacct"}));
  EXPECT_EQ(mounts[3].root, "/");
}

TEST(ParseMountinfo, DecodesOctalEscapesInPaths) {
  auto mounts = parse_mountinfo_entries("40 31 0:37 / /mnt/my\\040cgroups rw - cgroup cgroup rw,memory\n").value();
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/mnt/my cgroups") << "\\040 is how mountinfo writes a space";
}

TEST(ParseMountinfo, AMalformedLineIsAnErrorNamingIt) {
  auto mounts = parse_mountinfo_entries("31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw\nnot a mount line\n");
  ASSERT_FALSE(mounts.ok());
  EXPECT_NE(mounts.error().message().find("line 2"), std::string::npos) << mounts.error().message();
}

TEST(V1ControllerMounts, FindsEachControllerOfThisMachine) {
  auto controllers = v1_controller_mounts(parse_mountinfo_entries(kHybrid).value(), "/sys/fs/cgroup");
  EXPECT_EQ(controllers.at("memory"), "/sys/fs/cgroup/memory");
  EXPECT_EQ(controllers.at("cpu"), "/sys/fs/cgroup/cpu");
  EXPECT_EQ(controllers.at("cpuacct"), "/sys/fs/cgroup/cpuacct") << "separate hierarchies here";
  EXPECT_EQ(controllers.at("pids"), "/sys/fs/cgroup/pids");
  EXPECT_EQ(controllers.size(), 8u) << "memory cpu cpuacct cpuset devices freezer blkio pids; "
                                       "name=systemd and the cgroup2 mount are not v1 controllers";
}

TEST(V1ControllerMounts, AJointHierarchyServesBothControllers) {
  auto controllers = v1_controller_mounts(parse_mountinfo_entries(kJoint).value(), "/sys/fs/cgroup");
  EXPECT_EQ(controllers.at("cpu"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(controllers.at("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(controllers.at("net_prio"), "/sys/fs/cgroup/net_cls,net_prio");
  EXPECT_FALSE(controllers.count("rw")) << "mount flags are not controllers";
  EXPECT_FALSE(controllers.count("xattr"));
  EXPECT_FALSE(controllers.count("name=systemd"));
}

TEST(V1ControllerMounts, IgnoresMountsOutsideTheRoot) {
  std::string text = std::string(kHybrid) + "90 1 0:32 / /var/lib/other/memory rw - cgroup cgroup rw,memory\n";
  auto controllers = v1_controller_mounts(parse_mountinfo_entries(text).value(), "/sys/fs/cgroup");
  EXPECT_EQ(controllers.at("memory"), "/sys/fs/cgroup/memory");
  EXPECT_TRUE(v1_controller_mounts(parse_mountinfo_entries(text).value(), "/elsewhere").empty());
}

TEST(LayoutFromMountinfo, HybridUsesTheV1Hierarchies) {
  CgroupLayout layout = layout_from_mountinfo(CgroupMode::hybrid, "/sys/fs/cgroup", kHybrid).value();
  EXPECT_EQ(layout.version(), CgroupVersion::v1);
  EXPECT_EQ(layout.v1_mount("memory"), std::filesystem::path("/sys/fs/cgroup/memory"));
  EXPECT_EQ(layout.v1_mount("hugetlb"), std::nullopt) << "hugetlb is only in the cgroup2 tree here";
}

TEST(LayoutFromMountinfo, UnifiedHasNoV1Mounts) {
  CgroupLayout layout = layout_from_mountinfo(CgroupMode::unified, "/sys/fs/cgroup", kUnified).value();
  EXPECT_EQ(layout.version(), CgroupVersion::v2);
  EXPECT_EQ(layout.root, "/sys/fs/cgroup");
  EXPECT_TRUE(layout.v1_mounts.empty());
}

TEST(LayoutFromMountinfo, LegacyWithoutAnyHierarchyIsAnErrorWithAHint) {
  auto layout = layout_from_mountinfo(CgroupMode::legacy, "/sys/fs/cgroup", kUnified);
  ASSERT_FALSE(layout.ok()) << "no v1 controller mounted: there is nowhere to put limits";
  EXPECT_NE(layout.error().message().find("mount -t cgroup2"), std::string::npos) << layout.error().message();
}

}  // namespace
}  // namespace deploylab::ctr
