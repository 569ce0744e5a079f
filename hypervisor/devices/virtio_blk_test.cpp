// hypervisor/devices/virtio_blk_test.cpp: tests of the virtio block device (virtio_blk.h) end to
// end: a disk image in a temporary directory, guest RAM without KVM, and the test as the guest's
// virtio_blk driver, bringing the device up through the virtio-mmio registers as Linux does,
// then reading, writing, flushing and misbehaving.
#include "hypervisor/devices/virtio_blk.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::hv {
namespace {

using namespace virtio_blk;

constexpr std::uint64_t kBase = 0xd0001000;
constexpr std::uint64_t kQueueBase = 0x1000;
constexpr std::uint64_t kHeader = 0x8000, kStatus = 0x8100, kData = 0x10000;
constexpr std::uint64_t kDiskSectors = 128;  // a 64 KiB disk

// The disk's initial contents: byte i is (i * 7 + i / 512) mod 256, so every sector differs.
std::string disk_pattern(std::uint64_t bytes) {
  std::string data(bytes, '\0');
  for (std::uint64_t i = 0; i < bytes; ++i) data[i] = static_cast<char>((i * 7 + i / 512) & 0xff);
  return data;
}

class VirtioBlkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = TempDir::create("deploylab-virtio-blk-").value();
    disk_path = dir / "disk.img";
    write_file_atomic(disk_path, disk_pattern(kDiskSectors * kSectorSize)).value();
    memory.add_region(0, 1 << 20).value();
  }

  // Opens the disk, puts the transport in front of it and brings it up like Linux does.
  void start(DiskAccess access) {
    blk = VirtioBlk::open(disk_path, access, "serial-42").value();
    transport = std::make_unique<VirtioMmio>(kBase, memory, blk, IrqLine(5, [this](std::uint32_t, bool high) {
      irq_raised += high ? 1 : 0;
    }));
    driver = std::make_unique<VirtioMmioDriver>(*transport, kBase);
    features = driver->negotiate(virtio::kFeatureVersion1 | kFeatureFlush | kFeatureBlkSize |
                                 kFeatureSegMax | kFeatureRo)
                   .value();
    ring.emplace(VirtqueueDriver::create(memory, kQueueBase, 16).value());
    driver->setup_queue(0, ring->layout()).value();
    driver->driver_ok();
  }

  // Sends one request: header, `data` (device-readable for OUT, else device-writable), status.
  // Returns the status byte and checks the device returned exactly this chain.
  std::uint8_t submit(std::uint32_t type, std::uint64_t sector, std::vector<VirtqueueDriver::Buffer> data) {
    std::uint8_t header[16] = {};
    std::memcpy(header, &type, 4);
    std::memcpy(header + 8, &sector, 8);
    memory.write(kHeader, header).value();
    memory.write_value<std::uint8_t>(kStatus, 0xee).value();
    std::vector<VirtqueueDriver::Buffer> chain{{kHeader, 16, false}};
    for (auto buffer : data) {
      buffer.device_writes = type != kTypeOut;
      chain.push_back(buffer);
    }
    chain.push_back({kStatus, 1, true});
    std::uint16_t head = ring->add_chain(chain).value();
    driver->notify(0);
    last_used = ring->take_used().value();
    EXPECT_EQ(last_used.size(), 1u) << "one request in, one used element out";
    if (!last_used.empty()) {
      EXPECT_EQ(last_used[0].id, head);
    }
    driver->acknowledge_interrupt();
    return memory.read_value<std::uint8_t>(kStatus).value();
  }

  std::string guest_bytes(std::uint64_t address, std::uint64_t length) {
    auto bytes = memory.read(address, length).value();
    return std::string(bytes.begin(), bytes.end());
  }

  TempDir dir;
  std::filesystem::path disk_path;
  GuestMemory memory;
  std::shared_ptr<VirtioBlk> blk;
  std::unique_ptr<VirtioMmio> transport;
  std::unique_ptr<VirtioMmioDriver> driver;
  std::optional<VirtqueueDriver> ring;
  std::uint64_t features = 0;
  std::vector<VirtqueueDriver::Used> last_used;
  int irq_raised = 0;
};

TEST_F(VirtioBlkTest, ConfigSpaceHoldsCapacitySegMaxAndBlockSize) {
  start(DiskAccess::read_write);
  std::uint64_t capacity = driver->read(virtio::kConfig) | (std::uint64_t{driver->read(virtio::kConfig + 4)} << 32);
  EXPECT_EQ(capacity, kDiskSectors) << "capacity (offset 0) counts 512-byte sectors";
  EXPECT_EQ(driver->read(virtio::kConfig + 12), virtq::kMaxSize - 2u) << "seg_max at offset 12";
  EXPECT_EQ(driver->read(virtio::kConfig + 20), 512u) << "blk_size at offset 20";
  EXPECT_EQ(driver->read(virtio::kDeviceId), 2u) << "2 is a block device";
  EXPECT_EQ(features & kFeatureRo, 0u) << "a read-write disk does not offer VIRTIO_BLK_F_RO";
  EXPECT_NE(features & kFeatureFlush, 0u);
}

TEST_F(VirtioBlkTest, ReadsSectorsFromTheFile) {
  start(DiskAccess::read_write);
  ASSERT_EQ(submit(kTypeIn, 2, {{kData, 1024}}), kStatusOk);
  EXPECT_EQ(guest_bytes(kData, 1024), disk_pattern(kDiskSectors * 512).substr(1024, 1024))
      << "sectors 2 and 3 of the file";
  EXPECT_EQ(last_used[0].length, 1025u) << "used.len counts the data and the status byte";
  EXPECT_EQ(irq_raised, 1) << "the completion raises the interrupt line";
  EXPECT_EQ(blk->stats().reads, 1u);
  EXPECT_EQ(blk->stats().bytes_read, 1024u);
}

TEST_F(VirtioBlkTest, ReadsIntoScatteredBuffersAndTheLastSector) {
  start(DiskAccess::read_write);
  ASSERT_EQ(submit(kTypeIn, kDiskSectors - 2, {{kData, 100}, {kData + 0x1000, 412}, {kData + 0x2000, 512}}),
            kStatusOk);
  std::string expected = disk_pattern(kDiskSectors * 512).substr((kDiskSectors - 2) * 512);
  EXPECT_EQ(guest_bytes(kData, 100) + guest_bytes(kData + 0x1000, 412) + guest_bytes(kData + 0x2000, 512),
            expected);
}

TEST_F(VirtioBlkTest, WritesSectorsToTheFile) {
  start(DiskAccess::read_write);
  std::string sector(512, 'w');
  memory.write(kData, std::span(reinterpret_cast<const std::uint8_t*>(sector.data()), sector.size())).value();
  ASSERT_EQ(submit(kTypeOut, 5, {{kData, 512}}), kStatusOk);
  ASSERT_EQ(submit(kTypeFlush, 0, {}), kStatusOk);
  std::string disk = read_file(disk_path).value();
  EXPECT_EQ(disk.substr(5 * 512, 512), sector) << "sector 5 holds what the guest wrote";
  EXPECT_EQ(disk.substr(0, 5 * 512), disk_pattern(kDiskSectors * 512).substr(0, 5 * 512)) << "nothing else changed";
  EXPECT_EQ(blk->stats().writes, 1u);
  EXPECT_EQ(blk->stats().bytes_written, 512u);
  EXPECT_EQ(blk->stats().flushes, 1u);
}

TEST_F(VirtioBlkTest, GetIdReturnsTheSerial) {
  start(DiskAccess::read_write);
  ASSERT_EQ(submit(kTypeGetId, 0, {{kData, kIdBytes}}), kStatusOk);
  EXPECT_EQ(guest_bytes(kData, kIdBytes), std::string("serial-42") + std::string(kIdBytes - 9, '\0'));
}

TEST_F(VirtioBlkTest, UnknownRequestTypesAreUnsupported) {
  start(DiskAccess::read_write);
  EXPECT_EQ(submit(11, 0, {{kData, 16}}), kStatusUnsupported) << "type 11 (DISCARD) was not offered";
  EXPECT_EQ(blk->stats().unsupported, 1u);
}

TEST_F(VirtioBlkTest, RequestsPastTheEndAreIoErrors) {
  start(DiskAccess::read_write);
  EXPECT_EQ(submit(kTypeIn, kDiskSectors, {{kData, 512}}), kStatusIoErr) << "the sector after the last";
  EXPECT_EQ(submit(kTypeIn, kDiskSectors - 1, {{kData, 1024}}), kStatusIoErr) << "one sector in, one past";
  EXPECT_EQ(submit(kTypeOut, ~0ull, {{kData, 512}}), kStatusIoErr) << "a sector number that overflows";
  EXPECT_EQ(submit(kTypeIn, 0, {{kData, 100}}), kStatusIoErr) << "not a whole sector";
  EXPECT_EQ(blk->stats().errors, 4u);
  EXPECT_EQ(blk->stats().reads, 0u);
  EXPECT_EQ(driver->read(virtio::kStatus) & virtio::kStatusNeedsReset, 0u)
      << "a bad request is the request's error, not a broken device";
}

TEST_F(VirtioBlkTest, AReadOnlyDiskRefusesWrites) {
  start(DiskAccess::read_only);
  EXPECT_NE(features & kFeatureRo, 0u) << "a read-only disk offers VIRTIO_BLK_F_RO";
  std::string sector(512, 'x');
  memory.write(kData, std::span(reinterpret_cast<const std::uint8_t*>(sector.data()), sector.size())).value();
  EXPECT_EQ(submit(kTypeOut, 0, {{kData, 512}}), kStatusIoErr);
  EXPECT_EQ(read_file(disk_path).value(), disk_pattern(kDiskSectors * 512)) << "the file is unchanged";
  EXPECT_EQ(submit(kTypeIn, 0, {{kData, 512}}), kStatusOk) << "reads still work";
}

TEST_F(VirtioBlkTest, AChainWithoutRoomForTheStatusIsHandedBackEmpty) {
  start(DiskAccess::read_write);
  ring->add_chain({{kHeader, 16, false}}).value();
  driver->notify(0);
  auto used = ring->take_used().value();
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].length, 0u);
  EXPECT_EQ(blk->stats().errors, 1u);
  EXPECT_EQ(submit(kTypeIn, 0, {{kData, 512}}), kStatusOk) << "the device carries on";
}

TEST(VirtioBlkOpen, RefusesAFileThatIsNotWholeSectors) {
  auto dir = TempDir::create("deploylab-virtio-blk-").value();
  write_file_atomic(dir / "odd.img", std::string(1000, 'a')).value();
  auto opened = VirtioBlk::open(dir / "odd.img", DiskAccess::read_write);
  ASSERT_FALSE(opened.ok()) << "1000 bytes is not a whole number of sectors";
  std::string message = opened.error().message();
  for (const std::string& part : {(dir / "odd.img").string(), std::string("1000 bytes"), std::string("truncate -s")}) {
    EXPECT_NE(message.find(part), std::string::npos) << "expected \"" << part << "\" in: " << message;
  }
  write_file_atomic(dir / "empty.img", "").value();
  EXPECT_FALSE(VirtioBlk::open(dir / "empty.img", DiskAccess::read_write).ok()) << "an empty disk";
}

TEST(VirtioBlkOpen, AMissingFileNamesThePath) {
  auto opened = VirtioBlk::open("/nonexistent/disk.img", DiskAccess::read_only);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message().find("/nonexistent/disk.img"), std::string::npos) << opened.error().message();
}

TEST(VirtioBlkStats, DescribeIsOneReadableLine) {
  VirtioBlk::Stats stats;
  stats.reads = 3;
  stats.bytes_read = 3 * 1024 * 1024 / 2;
  stats.flushes = 1;
  EXPECT_EQ(describe(stats), "virtio-blk: 3 reads (1.5 MiB), 0 writes (0 B), 1 flushes, 0 errors, 0 unsupported");
}

}  // namespace
}  // namespace deploylab::hv
