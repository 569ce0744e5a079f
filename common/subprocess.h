// common/subprocess.h: run a command to completion, capturing its output, with a timeout.
//
// The grader runs student tests with it, the build helpers run cmake and apt-get with it, and
// integration tests run our CLIs with it. A command that outlives its timeout is killed with its
// whole process group, so nothing it started is left running.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"

namespace deploylab {

struct RunOptions {
  std::chrono::milliseconds timeout{0};   // 0: wait as long as it takes
  std::string input;                      // fed to the command's stdin, then closed
  std::size_t output_limit = 8u << 20;    // bytes kept per stream; the rest is dropped, not buffered
  bool merge_stderr = false;              // capture stderr into `out`, in order
  SpawnOptions spawn;                     // cwd, env, sandboxing hook (streams are set by run())
};

struct Completed {
  ExitStatus status;
  bool timed_out = false;                 // we killed it at the timeout
  std::string out;
  std::string err;
  bool truncated = false;                 // some output went past output_limit
  std::chrono::milliseconds elapsed{0};
};

// Runs argv (searched on PATH). An error means it could not be started at all; a command that
// ran and failed is a Completed with a non-zero status.
Result<Completed> run(const std::vector<std::string>& argv, RunOptions options = {});

// Runs argv and returns its stdout, or an error naming the command, its exit status and the tail
// of its stderr when it did not exit 0.
Result<std::string> run_checked(const std::vector<std::string>& argv, RunOptions options = {});

// "cmake --build build" for messages: the words joined, quoted where they contain spaces.
std::string shell_words(const std::vector<std::string>& argv);

}  // namespace deploylab
