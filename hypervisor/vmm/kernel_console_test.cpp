// hypervisor/vmm/kernel_console_test.cpp: KernelConsole recognises the kernel's shutdown and
// init lines however the bytes are chunked.
#include "hypervisor/vmm/kernel_console.h"

#include <gtest/gtest.h>

namespace deploylab::hv {
namespace {

using Shutdown = KernelConsole::Shutdown;
using Clock = KernelConsole::Clock;

TEST(KernelConsole, RecognisesAPowerOffAndKeepsItThroughTheFollowingPanic) {
  KernelConsole console;
  auto t0 = Clock::now();
  EXPECT_EQ(console.feed("[    2.5] reboot: Power down\r\n", t0), Shutdown::power_off);
  // After kernel_power_off() returns, init exits and the kernel panics: still a power-off.
  EXPECT_EQ(console.feed("[    2.6] Kernel panic - not syncing: Attempted to kill init!\r\n", t0), std::nullopt);
  EXPECT_EQ(console.shutdown(), Shutdown::power_off);
  EXPECT_EQ(console.shutdown_line(), "reboot: Power down");
}

TEST(KernelConsole, RecognisesAPanicAndKeepsItsReason) {
  KernelConsole console;
  console.feed("[    0.9] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n", Clock::now());
  EXPECT_EQ(console.shutdown(), Shutdown::panic);
  EXPECT_EQ(console.shutdown_line(), "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
}

TEST(KernelConsole, RecognisesRestartAndHalt) {
  KernelConsole restart, halt;
  restart.feed("reboot: Restarting system\n", Clock::now());
  halt.feed("reboot: System halted\n", Clock::now());
  EXPECT_EQ(restart.shutdown(), Shutdown::restart);
  EXPECT_EQ(halt.shutdown(), Shutdown::halt);
}

TEST(KernelConsole, FindsLinesSplitAcrossChunks) {
  KernelConsole console;
  auto t0 = Clock::now();
  auto t1 = t0 + std::chrono::seconds(1);
  const std::string text = "[    1.000000] Run /init as init process\r\n";
  for (std::size_t i = 0; i + 1 < text.size(); ++i) console.feed(text.substr(i, 1), t0);
  EXPECT_FALSE(console.run_init()) << "the line is not complete before its newline";
  console.feed(text.substr(text.size() - 1), t1);
  ASSERT_TRUE(console.run_init());
  EXPECT_EQ(*console.run_init(), t1) << "the time of the chunk that completed the line";
}

TEST(KernelConsole, IgnoresTheMarkersInTheMiddleOfOtherWords) {
  KernelConsole console;
  console.feed("echo Run /init as init process is what the kernel says\n", Clock::now());
  EXPECT_FALSE(console.run_init()) << "only a line that starts with Run counts";
}

TEST(KernelConsole, KeepsTheLastLines) {
  KernelConsole console;
  for (int i = 0; i < 30; ++i) console.feed("line " + std::to_string(i) + "\r\n", Clock::now());
  EXPECT_EQ(console.last_lines(2), "line 28\nline 29\n");
}

TEST(KernelConsole, SurvivesALineWithoutEnd) {
  KernelConsole console;
  console.feed(std::string(100000, 'x'), Clock::now());
  console.feed("\nreboot: Power down\n", Clock::now());
  EXPECT_EQ(console.shutdown(), Shutdown::power_off);
}

TEST(PrintkTime, IsRemoved) {
  EXPECT_EQ(without_printk_time("[    0.000000] Linux version 6.1"), "Linux version 6.1");
  EXPECT_EQ(without_printk_time("no time here"), "no time here");
  EXPECT_EQ(without_printk_time("[unterminated"), "[unterminated");
}

}  // namespace
}  // namespace deploylab::hv
