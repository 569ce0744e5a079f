// containers/rootfs/mount_plan_test.cpp: the order and shape of the rootfs steps, read as text
// (describe()), for the mounts `runc spec` writes and for each rule of mount_plan.cpp on its own.
#include "containers/rootfs/mount_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace deploylab::ctr {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// A fake host: bind sources listed here exist with the given kind; anything else is missing.
PathProbe fake_host(std::map<std::string, PathKind> paths = {}) {
  return [paths](const std::string& path) {
    auto it = paths.find(path);
    return it == paths.end() ? PathKind::missing : it->second;
  };
}

std::vector<std::string> describe_all(const std::vector<MountOp>& ops) {
  std::vector<std::string> lines;
  for (const MountOp& op : ops) lines.push_back(describe(op));
  return lines;
}

// The lines between the two fixed ends of every plan (propagate + bind before, pivot_root after).
std::vector<std::string> mount_steps(const RootfsConfig& config, const PathProbe& probe = fake_host()) {
  std::vector<std::string> lines = describe_all(plan_rootfs(config, probe).value());
  auto pivot = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("pivot_root"); });
  return {lines.begin() + 3, pivot};  // after: propagate /, bind the rootfs, propagate the rootfs
}

RootfsConfig config_with(std::vector<MountEntry> mounts) {
  RootfsConfig config;
  config.rootfs = "/bundle/rootfs";
  config.mounts = std::move(mounts);
  return config;
}

// The mounts, masked and readonly paths of `runc spec` (abridged), with a read-only root.
RootfsConfig runc_spec_config() {
  RootfsConfig config = config_with({
      {"/proc", "proc", "proc", {}},
      {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      {"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  });
  config.root_access = RootAccess::read_only;
  config.masked_paths = {"/proc/kcore", "/sys/firmware"};
  config.readonly_paths = {"/proc/sys"};
  return config;
}

TEST(MountPlan, RuncSpecDefaultsInOrder) {
  auto ops = plan_rootfs(runc_spec_config(), fake_host());
  ASSERT_TRUE(ops.ok()) << ops.error().message();
  EXPECT_THAT(describe_all(ops.value()),
              ElementsAreArray({
                  "propagate / rslave",
                  "bind /bundle/rootfs -> /bundle/rootfs (recursive)",
                  "propagate /bundle/rootfs rslave",
                  "mkdir /proc",
                  "mount proc proc -> /proc",
                  "mkdir /dev",
                  "mount tmpfs tmpfs -> /dev [nosuid,strictatime] mode=755,size=65536k",
                  "mkdir /dev/pts",
                  "mount devpts devpts -> /dev/pts [nosuid,noexec] newinstance,ptmxmode=0666,mode=0620,gid=5",
                  "mkdir /sys",
                  "mount sysfs sysfs -> /sys [ro,nosuid,nodev,noexec]",
                  "mkdir /sys/fs/cgroup",
                  "mount cgroup -> /sys/fs/cgroup [ro,nosuid,nodev,noexec,relatime]",
                  "mknod /dev/null c 1:3 0666",
                  "mknod /dev/zero c 1:5 0666",
                  "mknod /dev/full c 1:7 0666",
                  "mknod /dev/random c 1:8 0666",
                  "mknod /dev/urandom c 1:9 0666",
                  "mknod /dev/tty c 5:0 0666",
                  "symlink /dev/core -> /proc/kcore",
                  "symlink /dev/fd -> /proc/self/fd",
                  "symlink /dev/stdin -> /proc/self/fd/0",
                  "symlink /dev/stdout -> /proc/self/fd/1",
                  "symlink /dev/stderr -> /proc/self/fd/2",
                  "symlink /dev/ptmx -> pts/ptmx",
                  "pivot_root /bundle/rootfs",
                  "bind /proc/sys -> /proc/sys (recursive)",
                  "remount /proc/sys ro,nosuid,nodev,noexec",
                  "mask /proc/kcore",
                  "mask /sys/firmware",
                  "remount / ro",
              }));
}

TEST(MountPlan, WhereEachStepRuns) {
  auto ops = plan_rootfs(runc_spec_config(), fake_host()).value();
  EXPECT_EQ(ops.front().where, Where::host) << "the propagation change is on the host's / (our copy of it)";
  auto pivot = std::find_if(ops.begin(), ops.end(), [](const MountOp& op) { return op.kind == OpKind::pivot_root; });
  ASSERT_NE(pivot, ops.end());
  EXPECT_EQ(ops[2].where, Where::host) << "the rootfs's own propagation change is on its host path";
  for (auto it = ops.begin() + 3; it != pivot; ++it) {
    EXPECT_EQ(it->where, Where::rootfs) << describe(*it) << ": before pivot_root, targets are inside the rootfs";
  }
  for (auto it = pivot + 1; it != ops.end(); ++it) {
    EXPECT_EQ(it->where, Where::container) << describe(*it) << ": after pivot_root, targets are the container's";
  }
}

TEST(MountPlan, MaskedAndReadonlyPathsAreSkippedWhenMissing) {
  for (const MountOp& op : plan_rootfs(runc_spec_config(), fake_host()).value()) {
    bool optional = op.kind == OpKind::mask || (op.where == Where::container && op.target != "/");
    EXPECT_EQ(op.if_missing, optional ? IfMissing::skip : IfMissing::fail) << describe(op);
  }
}

TEST(MountPlan, BindOfAFileMountsOnAnEmptyFile) {
  auto config = config_with({{"/etc/resolv.conf", "bind", "/host/resolv.conf", {"rbind", "ro"}}});
  EXPECT_THAT(mount_steps(config, fake_host({{"/host/resolv.conf", PathKind::other}})),
              ElementsAre("touch /etc/resolv.conf", "bind /host/resolv.conf -> /etc/resolv.conf (recursive)",
                          "remount /etc/resolv.conf ro"));
}

TEST(MountPlan, BindOfADirectoryMountsOnADirectory) {
  auto config = config_with({{"/data", "bind", "/srv/data", {"bind"}}});
  EXPECT_THAT(mount_steps(config, fake_host({{"/srv/data", PathKind::directory}})),
              ElementsAre("mkdir /data", "bind /srv/data -> /data"))
      << "a bind without flags needs no remount";
}

TEST(MountPlan, BindOptionMakesABindWhateverTheType) {
  auto config = config_with({{"/data", "none", "/srv/data", {"rbind", "nosuid", "rw"}}});
  EXPECT_THAT(mount_steps(config, fake_host({{"/srv/data", PathKind::directory}})),
              ElementsAre("mkdir /data", "bind /srv/data -> /data (recursive)",
                          "remount /data nosuid (clear ro)"));
}

TEST(MountPlan, MissingBindSourceIsAnError) {
  auto ops = plan_rootfs(config_with({{"/data", "bind", "/no/such/dir", {"rbind"}}}), fake_host());
  ASSERT_FALSE(ops.ok());
  EXPECT_THAT(ops.error().message(), ::testing::HasSubstr("mount at /data: bind mount source does not exist `/no/such/dir`"));
}

TEST(MountPlan, DestinationsAreNormalised) {
  auto config = config_with({{"proc", "proc", "proc", {}}, {"/run//lock/", "tmpfs", "tmpfs", {}}});
  EXPECT_THAT(mount_steps(config), ElementsAre("mkdir /proc", "mount proc proc -> /proc", "mkdir /run/lock",
                                               "mount tmpfs tmpfs -> /run/lock"));
}

TEST(MountPlan, RootfsPathIsNormalised) {
  RootfsConfig config = config_with({});
  config.rootfs = "/bundle/./rootfs/";
  std::vector<std::string> lines = describe_all(plan_rootfs(config, fake_host()).value());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "bind /bundle/rootfs -> /bundle/rootfs (recursive)");
  EXPECT_EQ(lines[2], "propagate /bundle/rootfs rslave");
  EXPECT_EQ(lines[3], "pivot_root /bundle/rootfs");
}

TEST(MountPlan, PropagationOptionIsASeparateStep) {
  auto config = config_with({{"/mnt", "tmpfs", "tmpfs", {"rshared", "size=1m"}}});
  EXPECT_THAT(mount_steps(config),
              ElementsAre("mkdir /mnt", "mount tmpfs tmpfs -> /mnt size=1m", "propagate /mnt rshared"));
}

TEST(MountPlan, UserNamespaceBindsTheHostsDevices) {
  auto config = config_with({{"/dev", "tmpfs", "tmpfs", {}}});
  config.user_namespace = UserNamespace::used;
  std::vector<std::string> steps = mount_steps(config);
  ASSERT_GE(steps.size(), 4u);
  EXPECT_EQ(steps[2], "touch /dev/null");
  EXPECT_EQ(steps[3], "bind /dev/null -> /dev/null") << "mknod is refused in a user namespace";
  EXPECT_EQ(std::count_if(steps.begin(), steps.end(), [](auto& s) { return s.starts_with("mknod"); }), 0);
}

TEST(MountPlan, NoDevicesWithoutAFreshDev) {
  auto no_dev = config_with({{"/proc", "proc", "proc", {}}});
  EXPECT_THAT(mount_steps(no_dev), ElementsAre("mkdir /proc", "mount proc proc -> /proc"))
      << "an image's own /dev is left alone when the config mounts nothing there";
  auto host_dev = config_with({{"/dev", "bind", "/dev", {"rbind"}}});
  EXPECT_THAT(mount_steps(host_dev, fake_host({{"/dev", PathKind::directory}})),
              ElementsAre("mkdir /dev", "bind /dev -> /dev (recursive)"))
      << "a bind of the host's /dev already has every device";
}

TEST(MountPlan, ConfigDevicesComeFirstAndOverrideDefaults) {
  auto config = config_with({{"/dev", "tmpfs", "tmpfs", {}}});
  config.devices = {{"/dev/fuse", 'c', 10, 229, 0600, 0, 0}, {"/dev/null", 'c', 1, 3, 0600, 0, 0}};
  std::vector<std::string> steps = mount_steps(config);
  ASSERT_GE(steps.size(), 5u);
  EXPECT_EQ(steps[2], "mknod /dev/fuse c 10:229 0600");
  EXPECT_EQ(steps[3], "mknod /dev/null c 1:3 0600");
  EXPECT_EQ(steps[4], "mknod /dev/zero c 1:5 0666");
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "mknod /dev/null c 1:3 0666"), 0) << "the config's /dev/null wins";
}

TEST(MountPlan, RootStaysWritableUnlessReadonly) {
  RootfsConfig config = runc_spec_config();
  config.root_access = RootAccess::read_write;
  std::vector<std::string> lines = describe_all(plan_rootfs(config, fake_host()).value());
  EXPECT_EQ(lines.back(), "mask /sys/firmware");
}

TEST(MountPlan, SharedRootPropagationIsRefused) {
  RootfsConfig config = runc_spec_config();
  config.rootfs_propagation = "rshared";
  auto ops = plan_rootfs(config, fake_host());
  ASSERT_FALSE(ops.ok()) << "a shared root would leak the container's mounts to the host";
  EXPECT_THAT(ops.error().message(), ::testing::HasSubstr("unsupported rootfsPropagation `rshared`"));
  config.rootfs_propagation = "rprivate";
  EXPECT_EQ(describe_all(plan_rootfs(config, fake_host()).value()).front(), "propagate / rprivate");
}

TEST(MountPlan, InvalidConfigsAreErrors) {
  RootfsConfig relative = runc_spec_config();
  relative.rootfs = "rootfs";
  EXPECT_FALSE(plan_rootfs(relative, fake_host()).ok()) << "a relative rootfs must be resolved by the caller";
  RootfsConfig masked = runc_spec_config();
  masked.masked_paths = {"proc/kcore"};
  EXPECT_FALSE(plan_rootfs(masked, fake_host()).ok()) << "masked paths must be absolute";
  RootfsConfig device = runc_spec_config();
  device.devices = {{"/dev/odd", 'x', 1, 1, 0666, 0, 0}};
  auto ops = plan_rootfs(device, fake_host());
  ASSERT_FALSE(ops.ok()) << "device type x does not exist";
  EXPECT_THAT(ops.error().message(), ::testing::HasSubstr("unknown device type `x`"));
}

}  // namespace
}  // namespace deploylab::ctr
