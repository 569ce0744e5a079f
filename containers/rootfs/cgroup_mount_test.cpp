// containers/rootfs/cgroup_mount_test.cpp: which host directories make up the container's view
// of /sys/fs/cgroup, for a v1 host (one mount per controller), a hybrid one (this machine's
// layout) and a pure v2 one. Pure: mount tables and /proc/self/cgroup are given as text.
#include "containers/rootfs/cgroup_mount.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

std::vector<std::string> describe(const std::vector<CgroupBind>& binds) {
  std::vector<std::string> lines;
  for (const auto& b : binds) lines.push_back((b.name.empty() ? "." : b.name) + " <- " + b.source);
  return lines;
}

TEST(ProcCgroup, ParsesV1AndV2Lines) {
  auto lines = parse_proc_cgroup("4:cpu,cpuacct:/deploylab/web\n1:name=systemd:/\n0::/web\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].hierarchy, "4");
  EXPECT_EQ(lines[0].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(lines[0].path, "/deploylab/web");
  EXPECT_EQ(lines[1].controllers, (std::vector<std::string>{"name=systemd"}));
  EXPECT_EQ(lines[2].hierarchy, "0");
  EXPECT_TRUE(lines[2].controllers.empty());
  EXPECT_EQ(lines[2].path, "/web");
}

TEST(CgroupBinds, HybridHostBindsTheContainersOwnDirectories) {
  auto host = parse_mountinfo(
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
      "42 27 0:39 / /elsewhere rw - cgroup cgroup rw,pids\n");
  auto own = parse_proc_cgroup("5:memory:/deploylab/web\n4:cpu,cpuacct:/deploylab/web\n1:name=systemd:/\n"
                               "3:pids:/deploylab/web\n0::/deploylab/web\n");
  EXPECT_EQ(describe(plan_cgroup_binds(host, own)),
            (std::vector<std::string>{"cpu,cpuacct <- /sys/fs/cgroup/cpu,cpuacct/deploylab/web",
                                      "memory <- /sys/fs/cgroup/memory/deploylab/web",
                                      "systemd <- /sys/fs/cgroup/systemd",
                                      "unified <- /sys/fs/cgroup/unified/deploylab/web"}))
      << "pids is mounted outside /sys/fs/cgroup, so it is not part of the view";
}

TEST(CgroupBinds, PureV2HostBindsOneTree) {
  auto host = parse_mountinfo("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
  auto own = parse_proc_cgroup("0::/deploylab/web\n");
  EXPECT_EQ(describe(plan_cgroup_binds(host, own)),
            (std::vector<std::string>{". <- /sys/fs/cgroup/deploylab/web"}));
}

TEST(CgroupBinds, MountOfASubdirectoryIsTakenIntoAccount) {
  // Inside a container whose cgroup namespace roots the tree at /outer.
  auto host = parse_mountinfo("35 31 0:32 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  auto own = parse_proc_cgroup("5:memory:/outer/inner\n");
  EXPECT_EQ(describe(plan_cgroup_binds(host, own)),
            (std::vector<std::string>{"memory <- /sys/fs/cgroup/memory/inner"}));
}

TEST(CgroupBinds, HierarchyWithoutALineIsLeftOut) {
  auto host = parse_mountinfo("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  EXPECT_TRUE(plan_cgroup_binds(host, parse_proc_cgroup("3:pids:/\n")).empty());
}

}  // namespace
}  // namespace deploylab::ctr
