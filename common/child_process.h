// common/child_process.h: ChildProcess, the single owner of a child we forked.
//
// A child that is never waited for becomes a zombie; one that outlives a failed test breaks the
// next test. ChildProcess kills (SIGKILL, to its whole process group when it leads one) and reaps
// its child in the destructor unless it was already waited for. spawn() starts one with
// fork + execvp and reports a failed exec as an error in the parent ("execvp `foo`: ENOENT"),
// not as a mysterious exit code 127.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab {

// How a child ended.
struct ExitStatus {
  int code = -1;    // exit code when the child exited, else -1
  int signal = 0;   // the signal that killed it, else 0
  bool exited() const { return signal == 0; }
  bool success() const { return signal == 0 && code == 0; }
  std::string describe() const;  // "exited with code 3", "killed by SIGSEGV (Segmentation fault)"
  static ExitStatus from_wait_status(int status);
};

// What to do with a child's standard stream.
enum class Stream { inherit, pipe, null };

struct SpawnOptions {
  std::string cwd;                      // empty: the parent's
  std::vector<std::string> env;         // "NAME=value" set on top of the parent's environment
  Stream in = Stream::null;
  Stream out = Stream::inherit;
  Stream err = Stream::inherit;
  bool stderr_to_stdout = false;        // err goes wherever out goes
  bool own_process_group = true;        // so a kill reaches the child's own children too
  // Runs in the child between fork and exec (sandboxing: unshare, rlimits). Only syscalls
  // belong here; returning an error aborts the exec and is reported by spawn().
  std::function<Result<void>()> before_exec;
};

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  static Result<ChildProcess> spawn(const std::vector<std::string>& argv, SpawnOptions options = {});

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }

  // Pipe ends for Stream::pipe streams (invalid otherwise). Take them with std::move.
  UniqueFd& stdin_fd() { return in_; }
  UniqueFd& stdout_fd() { return out_; }
  UniqueFd& stderr_fd() { return err_; }

  // Blocks until the child ends.
  Result<ExitStatus> wait();
  // Returns the status if the child has ended, std::nullopt if it still runs.
  Result<std::optional<ExitStatus>> try_wait();
  // Sends `sig` to the child's process group (or to the child alone if it has none).
  Result<void> kill(int sig);

 private:
  void kill_and_reap() noexcept;
  pid_t pid_ = -1;
  bool group_leader_ = false;
  std::optional<ExitStatus> status_;
  UniqueFd in_, out_, err_;
};

}  // namespace deploylab
