// hypervisor/devices/virtio_mmio_test.cpp: tests of the virtio-mmio transport (virtio_mmio.h) with
// a toy echo device: the test plays Linux's virtio_mmio driver through the registers, fills a
// queue in guest RAM, notifies and checks the used ring and the interrupt line, and then does
// things out of order to check the transport logs and survives.
#include "hypervisor/devices/virtio_mmio.h"

#include <gtest/gtest.h>

#include <cstring>

namespace deploylab::hv {
namespace {

using namespace virtio;

constexpr std::uint64_t kBase = 0xd0001000;
constexpr std::uint64_t kQueueBase = 0x1000;

// Two queues; each request's readable bytes are copied into its writable buffers.
class EchoDevice : public VirtioDevice {
 public:
  std::string name() const override { return "echo"; }
  std::uint32_t device_id() const override { return 42; }
  std::uint64_t features() const override { return 1u << 3; }
  std::span<const std::uint8_t> config() const override { return config_; }
  std::size_t queue_count() const override { return 2; }
  Result<void> process_queue(std::size_t index, Virtqueue& queue) override {
    ++notified[index];
    for (;;) {
      auto chain = DL_TRY(queue.pop());
      if (!chain) return {};
      std::vector<std::uint8_t> bytes(total_bytes(chain->readable));
      gather(chain->readable, 0, bytes);
      queue.push(chain->head, static_cast<std::uint32_t>(scatter(chain->writable, 0, bytes)));
    }
  }
  void reset() override { ++resets; }

  int notified[2] = {0, 0};
  int resets = 0;

 private:
  std::array<std::uint8_t, 6> config_{0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
};

class VirtioMmioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    memory.add_region(0, 1 << 20).value();
    ring.emplace(VirtqueueDriver::create(memory, kQueueBase, 16).value());
  }

  // reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue 0, DRIVER_OK: Linux's order.
  void bring_up() {
    driver.negotiate(kFeatureVersion1).value();
    driver.setup_queue(0, ring->layout()).value();
    driver.driver_ok();
  }

  // Puts "hello" in guest RAM as one request and returns where the echo lands.
  std::uint64_t add_echo_request() {
    memory.write(0x10000, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("hello"), 5)).value();
    ring->add_chain({{0x10000, 5, false}, {0x20000, 5, true}}).value();
    return 0x20000;
  }

  // A 64-bit access, which virtio-mmio registers do not take.
  void access64(AccessKind kind, std::uint64_t offset, std::uint64_t& value) {
    IoAccess access{Space::mmio, kind, kBase + offset,
                    std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&value), sizeof value)};
    transport.access(access);
  }

  GuestMemory memory;
  std::vector<bool> irq_levels;  // every change of the interrupt line, in order
  std::shared_ptr<EchoDevice> echo = std::make_shared<EchoDevice>();
  VirtioMmio transport{kBase, memory, echo, IrqLine(5, [this](std::uint32_t, bool high) { irq_levels.push_back(high); })};
  VirtioMmioDriver driver{transport, kBase};
  std::optional<VirtqueueDriver> ring;
};

TEST_F(VirtioMmioTest, IdentifiesAsAModernVirtioMmioDevice) {
  EXPECT_EQ(driver.read(kMagicValue), 0x74726976u) << "MagicValue is \"virt\"";
  EXPECT_EQ(driver.read(kVersion), 2u) << "version 2 is virtio-mmio without the legacy registers";
  EXPECT_EQ(driver.read(kDeviceId), 42u);
  EXPECT_EQ(driver.device_features(), kFeatureVersion1 | (1u << 3))
      << "the device's features plus VIRTIO_F_VERSION_1 (bit 32)";
}

TEST_F(VirtioMmioTest, ServesANotifiedQueueAndRaisesTheInterrupt) {
  bring_up();
  EXPECT_EQ(driver.read(kStatus), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  std::uint64_t reply = add_echo_request();
  driver.notify(0);

  auto used = ring->take_used().value();
  ASSERT_EQ(used.size(), 1u) << "the device returned the request";
  EXPECT_EQ(used[0].length, 5u) << "used.len is the number of bytes the device wrote";
  EXPECT_EQ(memory.read_string(reply, 5).value(), "hello");
  EXPECT_EQ(irq_levels, std::vector<bool>{true}) << "the line goes high once";
  EXPECT_EQ(driver.acknowledge_interrupt(), kInterruptUsedBuffer);
  EXPECT_EQ(irq_levels, (std::vector<bool>{true, false})) << "InterruptACK lowers the line";
}

TEST_F(VirtioMmioTest, NoInterruptWhenTheDriverSuppressesIt) {
  bring_up();
  ring->set_avail_flags(virtq::kAvailNoInterrupt).value();
  add_echo_request();
  driver.notify(0);
  EXPECT_EQ(ring->take_used().value().size(), 1u);
  EXPECT_TRUE(irq_levels.empty()) << "VIRTQ_AVAIL_F_NO_INTERRUPT was set";
}

TEST_F(VirtioMmioTest, FeaturesOkStaysClearForFeaturesNotOfferedOrWithoutVersion1) {
  EXPECT_FALSE(driver.negotiate(1u << 3).ok()) << "a driver without VIRTIO_F_VERSION_1 is legacy: refused";
  driver.write(kStatus, 0);
  driver.write(kStatus, kStatusAcknowledge | kStatusDriver);
  driver.write(kDriverFeaturesSel, 1);
  driver.write(kDriverFeatures, 1 | 2);  // VERSION_1 and bit 33, which is not offered
  driver.write(kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
  EXPECT_EQ(driver.read(kStatus) & kStatusFeaturesOk, 0u) << "bit 33 was not offered";
}

TEST_F(VirtioMmioTest, WritingStatusZeroResetsTheDevice) {
  bring_up();
  add_echo_request();
  driver.notify(0);
  driver.write(kStatus, 0);
  EXPECT_EQ(driver.read(kStatus), 0u);
  EXPECT_EQ(transport.driver_features(), 0u);
  EXPECT_EQ(driver.read(kInterruptStatus), 0u);
  EXPECT_EQ(irq_levels.back(), false) << "a reset lowers the interrupt line";
  driver.write(kQueueSel, 0);
  EXPECT_EQ(driver.read(kQueueReady), 0u) << "queues are torn down by a reset";
  EXPECT_GE(echo->resets, 1) << "the device itself is told";
}

TEST_F(VirtioMmioTest, QueueNumMaxIsZeroForAQueueThatDoesNotExist) {
  driver.write(kQueueSel, 0);
  EXPECT_EQ(driver.read(kQueueNumMax), virtq::kMaxSize);
  driver.write(kQueueSel, 2);
  EXPECT_EQ(driver.read(kQueueNumMax), 0u) << "the echo device has queues 0 and 1 only";
  driver.write(kQueueNum, 8);  // logged and ignored
  driver.write(kQueueReady, 1);
  EXPECT_EQ(driver.read(kQueueReady), 0u);
}

TEST_F(VirtioMmioTest, ANotifyBeforeDriverOkIsServedWhenDriverOkComes) {
  driver.negotiate(kFeatureVersion1).value();
  driver.setup_queue(0, ring->layout()).value();
  add_echo_request();
  driver.notify(0);
  EXPECT_TRUE(ring->take_used().value().empty()) << "a device must not use buffers before DRIVER_OK";
  driver.driver_ok();
  EXPECT_EQ(ring->take_used().value().size(), 1u) << "DRIVER_OK serves what was queued";
}

TEST_F(VirtioMmioTest, NotifyingABadOrUnreadyQueueIsIgnored) {
  bring_up();
  add_echo_request();
  driver.notify(7);
  driver.notify(1);  // exists, but was never set up
  EXPECT_EQ(echo->notified[1], 0);
  EXPECT_TRUE(ring->take_used().value().empty());
  EXPECT_EQ(driver.read(kStatus) & kStatusNeedsReset, 0u) << "a stray notify is not a broken ring";
}

TEST_F(VirtioMmioTest, WideOrUnalignedRegisterAccessesAreIgnored) {
  std::uint64_t value = ~0ull;
  access64(AccessKind::read, kMagicValue, value);
  EXPECT_EQ(value, 0u) << "a 64-bit read of a 32-bit register reads 0";
  value = kStatusAcknowledge;
  access64(AccessKind::write, kStatus, value);
  EXPECT_EQ(driver.read(kStatus), 0u) << "a 64-bit write to Status is ignored";
  EXPECT_EQ(driver.read(kMagicValue + 2), 0u) << "a misaligned read reads 0";
}

TEST_F(VirtioMmioTest, ABrokenRingSetsDeviceNeedsResetUntilTheDriverResets) {
  bring_up();
  ring->write_descriptor(0, 0x10000, 8, virtq::kDescNext, 0).value();  // points at itself
  ring->publish(0).value();
  driver.notify(0);
  int served = echo->notified[0];
  EXPECT_NE(driver.read(kStatus) & kStatusNeedsReset, 0u);
  EXPECT_EQ(driver.acknowledge_interrupt(), kInterruptConfigChange)
      << "DEVICE_NEEDS_RESET comes with a configuration-change interrupt";
  driver.notify(0);
  EXPECT_EQ(echo->notified[0], served) << "a device that needs a reset serves nothing";

  ring.emplace(VirtqueueDriver::create(memory, kQueueBase, 16).value());  // a fresh, sane ring
  bring_up();
  EXPECT_EQ(driver.read(kStatus) & kStatusNeedsReset, 0u) << "a reset clears DEVICE_NEEDS_RESET";
}

TEST_F(VirtioMmioTest, AQueueOutsideRamOrTooLargeIsRefusedAtQueueReady) {
  driver.negotiate(kFeatureVersion1).value();
  QueueLayout outside = ring->layout();
  outside.desc = 0x80000000;
  EXPECT_TRUE(driver.setup_queue(0, outside).ok());
  EXPECT_EQ(driver.read(kQueueReady), 0u) << "a descriptor table outside RAM cannot be made ready";
  EXPECT_NE(driver.read(kStatus) & kStatusNeedsReset, 0u);

  driver.negotiate(kFeatureVersion1).value();
  driver.write(kQueueSel, 0);
  driver.write(kQueueNum, 1024);
  driver.write(kQueueReady, 1);
  EXPECT_EQ(driver.read(kQueueReady), 0u) << "QueueNum above QueueNumMax";
}

TEST_F(VirtioMmioTest, QueueSetupCannotChangeWhileTheQueueIsReady) {
  bring_up();
  driver.write(kQueueSel, 0);
  driver.write(kQueueDescLow, 0x80000);  // ignored: the queue is live
  add_echo_request();
  driver.notify(0);
  EXPECT_EQ(ring->take_used().value().size(), 1u) << "the queue still uses its original table";
}

TEST_F(VirtioMmioTest, TheDriverGivingUpIsSurvived) {
  bring_up();
  driver.write(kStatus, driver.read(kStatus) | kStatusFailed);
  add_echo_request();
  driver.notify(0);
  EXPECT_TRUE(ring->take_used().value().empty()) << "after FAILED the device serves nothing";
  EXPECT_NE(driver.read(kStatus) & kStatusFailed, 0u);
}

TEST_F(VirtioMmioTest, ConfigSpaceReadsAtAnyWidthFromOffset0x100) {
  EXPECT_EQ(driver.read(kConfig), 0x44332211u);
  std::uint8_t byte = 0;
  IoAccess access{Space::mmio, AccessKind::read, kBase + kConfig + 5, std::span<std::uint8_t>(&byte, 1)};
  transport.access(access);
  EXPECT_EQ(byte, 0x66);
  EXPECT_EQ(driver.read(kConfig + 4), 0x6655u) << "bytes past the device's config read as 0";
  EXPECT_EQ(driver.read(kConfig + 0x100), 0u);
}

TEST_F(VirtioMmioTest, HasNoSharedMemoryRegions) {
  driver.write(kShmSel, 0);
  EXPECT_EQ(driver.read(kShmLenLow), 0xffffffffu) << "SHMLen of all ones means no such region";
}

}  // namespace
}  // namespace deploylab::hv
