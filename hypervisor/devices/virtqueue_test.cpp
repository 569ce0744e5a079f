// hypervisor/devices/virtqueue_test.cpp: tests of the split virtqueue (virtqueue.h): the test is
// the guest's driver (VirtqueueDriver) and checks what the device side pops and pushes, and that
// a broken ring is an error, never a crash or a read outside guest RAM.
#include "hypervisor/devices/virtqueue.h"

#include <gtest/gtest.h>

#include <cstring>

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kRamSize = 1 << 20;
constexpr std::uint64_t kQueueBase = 0x1000;
constexpr std::uint64_t kOutsideRam = 0x40000000;

class VirtqueueTest : public ::testing::Test {
 protected:
  void SetUp() override { memory.add_region(0, kRamSize).value(); }

  // The driver's queue at kQueueBase and the device's view of it.
  std::pair<VirtqueueDriver, Virtqueue> make_queue(std::uint16_t size) {
    auto driver = VirtqueueDriver::create(memory, kQueueBase, size).value();
    auto device = Virtqueue::create(memory, driver.layout()).value();
    return {std::move(driver), std::move(device)};
  }

  // Pops one chain and expects a broken-ring error that mentions `expected`.
  void expect_broken(Virtqueue& queue, const std::string& expected) {
    auto popped = queue.pop();
    ASSERT_FALSE(popped.ok()) << "pop() should report a broken ring (" << expected << ")";
    EXPECT_NE(popped.error().message().find(expected), std::string::npos)
        << "expected the error to mention \"" << expected << "\", got: " << popped.error().message();
  }

  GuestMemory memory;
};

TEST_F(VirtqueueTest, PopsAChainWithItsReadableAndWritableBuffers) {
  auto [driver, queue] = make_queue(8);
  std::uint16_t head = driver.add_chain({{0x10000, 16, false}, {0x20000, 512, true}, {0x30000, 1, true}}).value();

  auto chain = queue.pop().value();
  ASSERT_TRUE(chain.has_value()) << "the driver published one chain";
  EXPECT_EQ(chain->head, head);
  ASSERT_EQ(chain->readable.size(), 1u);
  ASSERT_EQ(chain->writable.size(), 2u);
  EXPECT_EQ(chain->readable[0].data(), memory.slice(0x10000, 16).value().data())
      << "buffers are views of guest RAM at the descriptor's address";
  EXPECT_EQ(chain->writable[0].size(), 512u);
  EXPECT_EQ(chain->writable[1].size(), 1u);
  EXPECT_FALSE(queue.pop().value().has_value()) << "only one chain was published";
}

TEST_F(VirtqueueTest, NothingToPopBeforeTheDriverPublishes) {
  auto [driver, queue] = make_queue(8);
  EXPECT_FALSE(queue.pop().value().has_value());
}

TEST_F(VirtqueueTest, PushWritesTheUsedElementTheDriverReads) {
  auto [driver, queue] = make_queue(8);
  driver.add_chain({{0x10000, 16, false}}).value();
  std::uint16_t second = driver.add_chain({{0x20000, 100, true}}).value();
  queue.pop().value();
  auto chain = queue.pop().value();
  queue.push(chain->head, 42);

  auto used = driver.take_used().value();
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].id, second);
  EXPECT_EQ(used[0].length, 42u);
}

TEST_F(VirtqueueTest, InterruptsUnlessTheDriverSuppressesThem) {
  auto [driver, queue] = make_queue(8);
  EXPECT_FALSE(queue.should_interrupt()) << "nothing was pushed yet";
  driver.add_chain({{0x10000, 16, false}}).value();
  queue.push(queue.pop().value()->head, 0);
  EXPECT_TRUE(queue.should_interrupt());
  EXPECT_FALSE(queue.should_interrupt()) << "one interrupt per batch of pushes";

  driver.set_avail_flags(virtq::kAvailNoInterrupt).value();
  driver.add_chain({{0x10000, 16, false}}).value();
  queue.push(queue.pop().value()->head, 0);
  EXPECT_FALSE(queue.should_interrupt()) << "VIRTQ_AVAIL_F_NO_INTERRUPT is set";
}

TEST_F(VirtqueueTest, IndexesWrapAroundAt65536) {
  auto [driver, queue] = make_queue(2);
  for (int i = 0; i < 70000; ++i) {
    driver.add_chain({{0x10000, 4, true}}).value();
    auto chain = queue.pop().value();
    ASSERT_TRUE(chain.has_value()) << "round " << i;
    queue.push(chain->head, 4);
    ASSERT_EQ(driver.take_used().value().size(), 1u) << "round " << i;
  }
}

TEST_F(VirtqueueTest, AChainLongerThanTheQueueIsALoop) {
  auto [driver, queue] = make_queue(4);
  driver.write_descriptor(0, 0x10000, 8, virtq::kDescNext, 1).value();
  driver.write_descriptor(1, 0x10000, 8, virtq::kDescNext, 0).value();
  driver.publish(0).value();
  expect_broken(queue, "loops");
}

TEST_F(VirtqueueTest, ADescriptorPointingAtItselfIsALoop) {
  auto [driver, queue] = make_queue(256);
  driver.write_descriptor(7, 0x10000, 8, virtq::kDescNext, 7).value();
  driver.publish(7).value();
  expect_broken(queue, "loops");
}

TEST_F(VirtqueueTest, ABufferOutsideGuestRamIsAnError) {
  auto [driver, queue] = make_queue(8);
  driver.add_chain({{kOutsideRam, 16, false}}).value();
  expect_broken(queue, "not guest RAM");
}

TEST_F(VirtqueueTest, ABufferRunningPastTheEndOfRamIsAnError) {
  auto [driver, queue] = make_queue(8);
  driver.add_chain({{kRamSize - 8, 16, true}}).value();
  expect_broken(queue, "not guest RAM");
}

TEST_F(VirtqueueTest, AHeadOrNextPastTheTableIsAnError) {
  auto [driver, queue] = make_queue(8);
  driver.publish(8).value();
  expect_broken(queue, "past the end of the table");

  auto [driver2, queue2] = make_queue(8);
  driver2.write_descriptor(0, 0x10000, 8, virtq::kDescNext, 200).value();
  driver2.publish(0).value();
  expect_broken(queue2, "past the table");
}

TEST_F(VirtqueueTest, IndirectDescriptorsAreNotOffered) {
  auto [driver, queue] = make_queue(8);
  driver.write_descriptor(0, 0x10000, 32, virtq::kDescIndirect, 0).value();
  driver.publish(0).value();
  expect_broken(queue, "INDIRECT");
}

TEST_F(VirtqueueTest, ReadableAfterWritableIsAnError) {
  auto [driver, queue] = make_queue(8);
  driver.add_chain({{0x10000, 8, true}, {0x20000, 8, false}}).value();
  expect_broken(queue, "readable after a device-writable");
}

TEST_F(VirtqueueTest, AnAvailIndexTooFarAheadIsAnError) {
  auto [driver, queue] = make_queue(8);
  memory.write_value<std::uint16_t>(driver.layout().driver + 2, 9).value();  // avail.idx
  expect_broken(queue, "more than the queue holds");
}

TEST_F(VirtqueueTest, CreateChecksSizeAlignmentAndPlacement) {
  QueueLayout good = VirtqueueDriver::create(memory, kQueueBase, 8).value().layout();
  EXPECT_TRUE(Virtqueue::create(memory, good).ok());
  for (std::uint16_t size : {0, 3, 100, 512}) {
    QueueLayout layout = good;
    layout.size = size;
    EXPECT_FALSE(Virtqueue::create(memory, layout).ok()) << "queue size " << size << " must be refused";
  }
  QueueLayout misaligned = good;
  misaligned.desc += 8;
  EXPECT_FALSE(Virtqueue::create(memory, misaligned).ok()) << "the descriptor table needs 16-byte alignment";
  QueueLayout outside = good;
  outside.device = kRamSize - 16;
  auto refused = Virtqueue::create(memory, outside);
  ASSERT_FALSE(refused.ok()) << "a used ring running past the end of RAM must be refused";
  EXPECT_NE(refused.error().message().find("used ring"), std::string::npos) << refused.error().message();
}

TEST(VirtqueueBuffers, GatherScatterAndSubBuffersTreatTheChainAsOneStream) {
  std::array<std::uint8_t, 4> a{1, 2, 3, 4};
  std::array<std::uint8_t, 0> empty{};
  std::array<std::uint8_t, 3> b{5, 6, 7};
  std::vector<std::span<std::uint8_t>> buffers{a, empty, b};
  EXPECT_EQ(total_bytes(buffers), 7u);

  std::array<std::uint8_t, 4> out{};
  EXPECT_EQ(gather(buffers, 2, out), 4u);
  EXPECT_EQ(out, (std::array<std::uint8_t, 4>{3, 4, 5, 6}));
  EXPECT_EQ(gather(buffers, 6, out), 1u) << "only one byte left after offset 6";

  std::array<std::uint8_t, 3> in{9, 9, 9};
  EXPECT_EQ(scatter(buffers, 3, in), 3u);
  EXPECT_EQ(a[3], 9);
  EXPECT_EQ(b[0], 9);
  EXPECT_EQ(b[1], 9);

  auto middle = sub_buffers(buffers, 3, 2);
  ASSERT_EQ(middle.size(), 2u);
  EXPECT_EQ(middle[0].data(), a.data() + 3);
  EXPECT_EQ(middle[1].data(), b.data());
  EXPECT_TRUE(sub_buffers(buffers, 7, 10).empty());
}

}  // namespace
}  // namespace deploylab::hv
