// hypervisor/minivmm/console_input.cpp: raw terminal, Ctrl-A escapes and the stdin thread (see
// console_input.h).
#include "hypervisor/minivmm/console_input.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "common/error.h"

namespace deploylab::hv {

EscapeFilter::Output EscapeFilter::feed(std::span<const std::uint8_t> bytes) {
  Output out;
  for (std::uint8_t byte : bytes) {
    if (!escape_pending_) {
      if (byte == kCtrlA) {
        escape_pending_ = true;
      } else {
        out.to_guest.push_back(byte);
      }
      continue;
    }
    escape_pending_ = false;
    Command command = Command::none;
    if (byte == 'x' || byte == 'X') command = Command::quit;
    if (byte == 'h' || byte == 'H' || byte == '?') command = Command::help;
    if (byte == kCtrlA) out.to_guest.push_back(kCtrlA);
    if (command != Command::none && out.command == Command::none) out.command = command;
    if (command == Command::quit) return out;  // what follows a quit does not matter
  }
  return out;
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  termios current{};
  if (!::isatty(fd) || ::tcgetattr(fd, &current) != 0) return;
  saved_ = current;
  ::cfmakeraw(&current);
  current.c_oflag |= OPOST;  // keep "\n" -> "\r\n" on our own output
  ::tcsetattr(fd, TCSANOW, &current);
}

RawTerminal::~RawTerminal() {
  if (saved_) ::tcsetattr(fd_, TCSANOW, &*saved_);
}

Result<void> ConsoleInput::start(int fd, OnBytes on_bytes, OnQuit on_quit) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error::os("pipe2", "console input wake-up", errno);
  wake_read_ = UniqueFd(fds[0]);
  wake_write_ = UniqueFd(fds[1]);
  on_bytes_ = std::move(on_bytes);
  on_quit_ = std::move(on_quit);
  thread_ = std::thread([this, fd] { loop(fd); });
  return {};
}

ConsoleInput::~ConsoleInput() {
  if (!thread_.joinable()) return;
  char byte = 0;
  [[maybe_unused]] auto written = ::write(wake_write_.get(), &byte, 1);
  thread_.join();
}

void ConsoleInput::loop(int fd) {
  EscapeFilter escapes;
  std::uint8_t buffer[256];
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;  // the destructor wants us gone
    if (fds[0].revents == 0) continue;
    ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (count <= 0) return;  // end of input: the guest keeps running without it
    auto out = escapes.feed(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(count)));
    if (!out.to_guest.empty()) on_bytes_(out.to_guest);
    if (out.command == EscapeFilter::Command::help) {
      std::fputs("\r\nminivmm: Ctrl-A x  stop the VM | Ctrl-A Ctrl-A  send Ctrl-A | Ctrl-A h  this help\r\n", stderr);
    }
    if (out.command == EscapeFilter::Command::quit) {
      on_quit_();
      return;
    }
  }
}

}  // namespace deploylab::hv
