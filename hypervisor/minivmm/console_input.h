// hypervisor/minivmm/console_input.h: the user's keyboard as the guest's serial console input
// (`minivmm boot --console stdio`, lab 04).
//
// Part of minivmm/: the guest's UART (hypervisor/devices/serial_uart.h) takes bytes from
// whoever calls push_input(); this file is that caller. A thread waits (poll) on stdin and on a
// wake-up pipe, and hands every byte it reads to the machine. On a terminal it switches the
// terminal to raw mode first, so keys reach the guest as they are typed (Ctrl-C included: it
// interrupts the guest's program, not minivmm) and the guest's shell does its own echo and line
// editing, as over a real serial line. The terminal is restored however minivmm ends.
//
// Like QEMU's -nographic, Ctrl-A is an escape: Ctrl-A x stops the VM, Ctrl-A Ctrl-A sends one
// Ctrl-A to the guest, and Ctrl-A h prints the list. EscapeFilter is that logic, pure, so it is
// unit-tested.
#pragma once

#include <termios.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::hv {

inline constexpr std::uint8_t kCtrlA = 0x01;

// Splits typed bytes into what goes to the guest and the escape commands.
class EscapeFilter {
 public:
  enum class Command { none, quit, help };
  struct Output {
    std::vector<std::uint8_t> to_guest;
    Command command = Command::none;  // the first command in these bytes
  };
  Output feed(std::span<const std::uint8_t> bytes);

 private:
  bool escape_pending_ = false;
};

// Raw mode on a terminal for as long as this object lives (no-op when `fd` is not a terminal).
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  bool active() const { return saved_.has_value(); }

 private:
  int fd_;
  std::optional<termios> saved_;
};

// The input thread. Started by start(), stopped (and joined) by the destructor.
class ConsoleInput {
 public:
  using OnBytes = std::function<void(std::span<const std::uint8_t>)>;
  using OnQuit = std::function<void()>;

  ConsoleInput() = default;
  ~ConsoleInput();
  ConsoleInput(const ConsoleInput&) = delete;
  ConsoleInput& operator=(const ConsoleInput&) = delete;

  // Reads `fd` until end of file or the destructor; typed bytes go to `on_bytes`, Ctrl-A x calls
  // `on_quit`. End of file (a script piped into minivmm ran out) just ends the reading.
  Result<void> start(int fd, OnBytes on_bytes, OnQuit on_quit);

 private:
  void loop(int fd);

  UniqueFd wake_read_, wake_write_;
  OnBytes on_bytes_;
  OnQuit on_quit_;
  std::thread thread_;
};

}  // namespace deploylab::hv
