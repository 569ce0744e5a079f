// tests/hypervisor/guest_console.h: talking to a Linux guest over `minivmm boot --console stdio`
// the way a user at a terminal does: start minivmm with pipes for stdin and stdout, wait for a
// text to appear on the guest's serial console, type a line, and collect how minivmm ended.
// Every wait has a deadline, so a guest that never answers fails the test instead of hanging it.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/child_process.h"

namespace deploylab::hv {

class GuestConsole {
 public:
  // Starts `minivmm ARGS...` (MINIVMM_BINARY) with the console on pipes; stderr goes to `stderr_file`.
  GuestConsole(std::vector<std::string> args, const std::string& stderr_file) {
    args.insert(args.begin(), MINIVMM_BINARY);
    args.insert(args.end(), {"--console", "stdio"});
    std::vector<std::string> shell = {"/bin/sh", "-c", "exec \"$@\" 2>" + stderr_file, "minivmm"};
    shell.insert(shell.end(), args.begin(), args.end());
    SpawnOptions options;
    options.in = Stream::pipe;
    options.out = Stream::pipe;
    child_ = ChildProcess::spawn(shell, options).value();
  }

  // Reads the console until `text` appears (true) or `timeout` passes / the console closes (false).
  bool wait_for(const std::string& text, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(text, searched_from_) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
    searched_from_ = output_.find(text, searched_from_) + text.size();
    return true;
  }

  // Types `line` and Enter, as at a terminal.
  void type_line(const std::string& line) {
    std::string bytes = line + "\r";
    ASSERT_EQ(::write(child_.stdin_fd().get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  // Reads the rest of the console and waits for minivmm to end.
  ExitStatus finish(std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) break;
    }
    if (auto status = child_.try_wait().value()) return *status;
    child_.kill(SIGKILL).value();
    return child_.wait().value();
  }

  const std::string& output() const { return output_; }

 private:
  // One read with a deadline; false at end of output or when the time is up.
  bool read_some(int timeout_ms) {
    pollfd fd{child_.stdout_fd().get(), POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) <= 0) return false;
    char buffer[4096];
    ssize_t count = ::read(fd.fd, buffer, sizeof buffer);
    if (count <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(count));
    return true;
  }

  ChildProcess child_;
  std::string output_;
  std::size_t searched_from_ = 0;
};

}  // namespace deploylab::hv
