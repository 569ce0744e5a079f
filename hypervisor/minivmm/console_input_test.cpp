// hypervisor/minivmm/console_input_test.cpp: the Ctrl-A escapes of minivmm's console, and the
// input thread on a pipe.
#include "hypervisor/minivmm/console_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <string>

namespace deploylab::hv {
namespace {

using Command = EscapeFilter::Command;

std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

TEST(EscapeFilter, PassesOrdinaryKeysThrough) {
  EscapeFilter filter;
  auto out = filter.feed(bytes("ls -l\r\x03"));
  EXPECT_EQ(out.to_guest, bytes("ls -l\r\x03")) << "Ctrl-C too: it is the guest's";
  EXPECT_EQ(out.command, Command::none);
}

TEST(EscapeFilter, CtrlAXQuits) {
  EscapeFilter filter;
  auto out = filter.feed(bytes("ab\x01xcd"));
  EXPECT_EQ(out.to_guest, bytes("ab"));
  EXPECT_EQ(out.command, Command::quit);
}

TEST(EscapeFilter, TheEscapeMaySpanTwoReads) {
  EscapeFilter filter;
  EXPECT_EQ(filter.feed(bytes("\x01")).command, Command::none);
  EXPECT_EQ(filter.feed(bytes("x")).command, Command::quit);
}

TEST(EscapeFilter, CtrlATwiceSendsOneCtrlA) {
  EscapeFilter filter;
  auto out = filter.feed(bytes("\x01\x01z"));
  EXPECT_EQ(out.to_guest, bytes("\x01z"));
}

TEST(EscapeFilter, UnknownEscapesAreDroppedAndHelpIsOffered) {
  EscapeFilter filter;
  auto out = filter.feed(bytes("\x01q\x01h"));
  EXPECT_TRUE(out.to_guest.empty());
  EXPECT_EQ(out.command, Command::help);
}

TEST(ConsoleInput, ReadsAPipeUntilItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::mutex mutex;
  std::condition_variable changed;
  std::string received;
  {
    ConsoleInput input;
    ASSERT_TRUE(input.start(fds[0], [&](std::span<const std::uint8_t> b) {
      std::lock_guard lock(mutex);
      received.append(b.begin(), b.end());
      changed.notify_all();
    }, [] {}).ok());
    ASSERT_EQ(::write(fds[1], "echo hi\n", 8), 8);
    std::unique_lock lock(mutex);
    EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return received.size() == 8; }));
  }  // the destructor stops the thread while the pipe is still open
  EXPECT_EQ(received, "echo hi\n");
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ConsoleInput, CtrlAXCallsQuit) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::mutex mutex;
  std::condition_variable changed;
  bool quit = false;
  {
    ConsoleInput input;
    ASSERT_TRUE(input.start(fds[0], [](std::span<const std::uint8_t>) {}, [&] {
      std::lock_guard lock(mutex);
      quit = true;
      changed.notify_all();
    }).ok());
    ASSERT_EQ(::write(fds[1], "\x01x", 2), 2);
    std::unique_lock lock(mutex);
    EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return quit; }));
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace deploylab::hv
