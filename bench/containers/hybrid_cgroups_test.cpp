// bench/containers/hybrid_cgroups_test.cpp: spotting the cgroup layout crun 1.8 refuses
// (hybrid_cgroups.h).
#include "bench/containers/hybrid_cgroups.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

// This machine's layout (Debian 12 with systemd's hybrid mode), trimmed.
const char* kHybrid =
    "23 1 0:21 / / rw,relatime - overlay overlay rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

TEST(HybridCgroup2Mount, FindsTheCgroup2MountBesideV1Controllers) {
  EXPECT_EQ(hybrid_cgroup2_mount(kHybrid), "/sys/fs/cgroup/unified");
}

TEST(HybridCgroup2Mount, IsNothingOnAPureV2Machine) {
  EXPECT_EQ(hybrid_cgroup2_mount("30 23 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"), std::nullopt)
      << "cgroup2 at /sys/fs/cgroup itself is the unified layout crun supports";
}

TEST(HybridCgroup2Mount, IsNothingOnAPureV1Machine) {
  EXPECT_EQ(hybrid_cgroup2_mount("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"), std::nullopt);
}

TEST(HybridCgroup2Mount, IgnoresMountsOutsideSysFsCgroupAndOptionalFields) {
  std::string info =
      "35 31 0:32 / /sys/fs/cgroup/memory rw shared:7 - cgroup cgroup rw,memory\n"
      "54 44 0:38 / /var/tmp/root/sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
  EXPECT_EQ(hybrid_cgroup2_mount(info), std::nullopt) << "a chroot's cgroup2 mount is not the machine's";
  EXPECT_EQ(hybrid_cgroup2_mount(info + "41 31 0:38 / /sys/fs/cgroup/unified rw shared:9 - cgroup2 cgroup2 rw\n"),
            "/sys/fs/cgroup/unified")
      << "optional fields (shared:N) sit between the mount options and the '-' separator";
}

}  // namespace
}  // namespace deploylab::bench
