// tests/hypervisor/minivmm_runner.h: what the minivmm CLI tests share: running the built `minivmm`
// as a subprocess with a timeout (so a hang fails the test instead of stalling it), and reading
// its stderr line by line. MINIVMM_BINARY and DEPLOYLAB_GUEST_DIR come from CMakeLists.txt.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "common/subprocess.h"

namespace deploylab::hv {

// Runs `minivmm ARGS...`; a run that outlives `timeout` is killed and reported as timed out.
inline Completed run_minivmm(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), MINIVMM_BINARY);
  RunOptions options;
  options.timeout = timeout;
  return run(args, options).value();
}

// BUILD/guests/NAME.bin
inline std::string built_guest(const std::string& name) { return std::string(DEPLOYLAB_GUEST_DIR) + "/" + name + ".bin"; }

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// Everything a test needs to see what minivmm did: the exit status and both streams.
inline std::string transcript(const Completed& done) {
  return "minivmm " + done.status.describe() + (done.timed_out ? " (killed at the timeout)" : "") + " after " +
         std::to_string(done.elapsed.count()) + " ms\n--- stdout:\n" + done.out + "--- stderr:\n" + done.err;
}

}  // namespace deploylab::hv
