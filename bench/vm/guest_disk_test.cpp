// bench/vm/guest_disk_test.cpp: the pure helpers of the guest's disk (guest_disk.h).
#include "bench/vm/guest_disk.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

TEST(FilesystemName, KnowsTheCommonOnes) {
  EXPECT_EQ(filesystem_name(0xEF53), "ext4");
  EXPECT_EQ(filesystem_name(0x794c7630), "overlay") << "the test host's / (vmhost)";
  EXPECT_EQ(filesystem_name(0x01021994), "tmpfs");
  EXPECT_EQ(filesystem_name(0x1234), "fs 0x1234");
}

TEST(DiskImageMib, LeavesRoomBesideIoProbesFile) {
  EXPECT_EQ(disk_image_mib(64), 128u);
  EXPECT_EQ(disk_image_mib(8), 72u);
}

TEST(ModuleFiles, FindsEachModuleByItsFileName) {
  std::string dep =
      "kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko\n"
      "kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko\n"
      "kernel/net/core/failover.ko:\n";
  auto files = module_files(dep, {"failover", "net_failover", "virtio_net"});
  ASSERT_TRUE(files);
  EXPECT_EQ(*files, (std::vector<std::string>{"kernel/net/core/failover.ko", "kernel/drivers/net/net_failover.ko",
                                              "kernel/drivers/net/virtio_net.ko"}))
      << "failover must not match net_failover.ko";
  EXPECT_FALSE(module_files(dep, {"e1000"})) << "a module that is not there";
}

}  // namespace
}  // namespace deploylab::bench
