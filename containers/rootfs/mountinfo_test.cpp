// containers/rootfs/mountinfo_test.cpp: parsing /proc/<pid>/mountinfo lines (proc(5)'s example,
// optional fields, escaped spaces) and reading our own.
#include "containers/rootfs/mountinfo.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace deploylab::ctr {
namespace {

TEST(Mountinfo, ParsesTheManPageExample) {
  auto mounts = parse_mountinfo("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n");
  ASSERT_EQ(mounts.size(), 1u);
  const MountInfo& m = mounts[0];
  EXPECT_EQ(m.id, 36);
  EXPECT_EQ(m.parent_id, 35);
  EXPECT_EQ(m.root, "/mnt1");
  EXPECT_EQ(m.mount_point, "/mnt2");
  EXPECT_EQ(m.options, "rw,noatime");
  EXPECT_EQ(m.fstype, "ext3");
  EXPECT_EQ(m.source, "/dev/root");
  EXPECT_EQ(m.super_options, "rw,errors=continue");
}

TEST(Mountinfo, NoOptionalFieldsAndSeveralOfThem) {
  auto mounts = parse_mountinfo(
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "40 27 0:40 / /mnt rw shared:5 master:2 propagate_from:1 - tmpfs tmpfs rw\n");
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0].fstype, "cgroup");
  EXPECT_EQ(mounts[0].super_options, "rw,cpu");
  EXPECT_EQ(mounts[1].mount_point, "/mnt");
  EXPECT_EQ(mounts[1].fstype, "tmpfs");
}

TEST(Mountinfo, UnescapesOctalInPaths) {
  auto mounts = parse_mountinfo("50 27 0:41 / /tmp/deploylab-test\\040dir rw - tmpfs my\\134src rw\n");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/tmp/deploylab-test dir");
  EXPECT_EQ(mounts[0].source, "my\\src");
}

TEST(Mountinfo, SkipsLinesItCannotRead) {
  auto mounts = parse_mountinfo("garbage\n\n36 35 98:0 / /x rw - \n37 35 98:0 / /y rw - ext4 /dev/sda rw\n");
  ASSERT_EQ(mounts.size(), 1u) << "only the complete line counts";
  EXPECT_EQ(mounts[0].mount_point, "/y");
}

TEST(Mountinfo, ReadsOurOwnTable) {
  auto mounts = read_mountinfo();
  ASSERT_TRUE(mounts.ok()) << mounts.error().message();
  // /proc, since we read this through it (/ itself is no mount point in a chroot).
  auto proc = std::find_if(mounts.value().begin(), mounts.value().end(),
                           [](const MountInfo& m) { return m.mount_point == "/proc" && m.fstype == "proc"; });
  EXPECT_NE(proc, mounts.value().end()) << "our own mount table must list the /proc it was read from";
}

}  // namespace
}  // namespace deploylab::ctr
