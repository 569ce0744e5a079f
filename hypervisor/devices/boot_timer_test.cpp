// hypervisor/devices/boot_timer_test.cpp: tests of the boot timer (boot_timer.h): the first write
// is the mark, later ones are counted, reads give 0, and the machine hears about it exactly once.
#include "hypervisor/devices/boot_timer.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "hypervisor/boot/linux_layout.h"

namespace deploylab::hv {
namespace {

void mmio_write(BootTimer& timer, std::vector<std::uint8_t> bytes, std::uint64_t offset = 0) {
  IoAccess access{Space::mmio, AccessKind::write, linux_layout::kBootTimer + offset, bytes};
  timer.access(access);
}

TEST(BootTimer, NothingIsMarkedBeforeTheGuestWrites) {
  BootTimer timer;
  EXPECT_FALSE(timer.first_write().has_value());
  EXPECT_FALSE(timer.first_value().has_value());
  EXPECT_EQ(timer.writes(), 0u);
}

TEST(BootTimer, TheFirstWriteIsTheMark) {
  BootTimer timer;
  auto before = BootTimer::Clock::now();
  mmio_write(timer, {0x7b, 0x00, 0x00, 0x00});  // a 32-bit write of 123
  auto after = BootTimer::Clock::now();
  ASSERT_TRUE(timer.first_write().has_value()) << "a write must set the mark";
  EXPECT_GE(*timer.first_write(), before);
  EXPECT_LE(*timer.first_write(), after);
  EXPECT_EQ(timer.first_value(), 123u) << "the value is read little-endian";
  EXPECT_EQ(timer.writes(), 1u);
}

TEST(BootTimer, LaterWritesAreCountedButDoNotMoveTheMark) {
  BootTimer timer;
  mmio_write(timer, {1});
  auto mark = timer.first_write();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  mmio_write(timer, {2, 0}, 8);
  mmio_write(timer, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(timer.first_write(), mark) << "only the first write marks the boot";
  EXPECT_EQ(timer.first_value(), 1u);
  EXPECT_EQ(timer.writes(), 3u);
}

TEST(BootTimer, ReadsReturnZero) {
  BootTimer timer;
  std::uint8_t bytes[8] = {0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
  IoAccess access{Space::mmio, AccessKind::read, linux_layout::kBootTimer, std::span<std::uint8_t>(bytes, 8)};
  timer.access(access);
  for (std::uint8_t byte : bytes) EXPECT_EQ(byte, 0);
  EXPECT_FALSE(timer.first_write().has_value()) << "a read is not the mark";
}

TEST(BootTimer, WideWritesKeepTheirFirstEightBytes) {
  BootTimer timer;
  mmio_write(timer, {1, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0xff});
  EXPECT_EQ(timer.first_value(), 0x8000000000000001u);
}

TEST(BootTimer, TheCallbackRunsOnceWithTheMark) {
  std::vector<std::pair<BootTimer::Clock::time_point, std::uint64_t>> calls;
  BootTimer timer([&](BootTimer::Clock::time_point when, std::uint64_t value) { calls.emplace_back(when, value); });
  mmio_write(timer, {5});
  mmio_write(timer, {6});
  ASSERT_EQ(calls.size(), 1u) << "the machine is told about the first write only";
  EXPECT_EQ(calls[0].first, *timer.first_write());
  EXPECT_EQ(calls[0].second, 5u);
}

TEST(BootTimer, WritesFromManyVcpusAreAllCountedAndOneWins) {
  int callbacks = 0;  // the callback runs once, so it needs no lock of its own
  BootTimer timer([&](BootTimer::Clock::time_point, std::uint64_t) { ++callbacks; });
  std::vector<std::thread> vcpus;
  for (int vcpu = 0; vcpu < 4; ++vcpu) {
    vcpus.emplace_back([&timer, vcpu] {
      for (int i = 0; i < 1000; ++i) mmio_write(timer, {static_cast<std::uint8_t>(vcpu)});
    });
  }
  for (auto& thread : vcpus) thread.join();
  EXPECT_EQ(timer.writes(), 4000u);
  EXPECT_EQ(callbacks, 1);
  EXPECT_LT(*timer.first_value(), 4u) << "the first value is one of the vCPUs' values";
}

}  // namespace
}  // namespace deploylab::hv
