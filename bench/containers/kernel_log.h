// bench/containers/kernel_log.h: what the kernel logs while one memory attempt runs, so an OOM
// kill in the container's cgroup is recognised as such (limit_search.h's find_oom_kill), even
// when the runtime only says "container process is already dead".
//
// /dev/kmsg hands out one kernel log record per read(2), from the oldest kept; seeking to its end
// skips the past, so read_new() returns only the records logged since (printk(9), "dev-kmsg" in
// the kernel's ABI documentation).
#pragma once

#include <string>

#include "common/unique_fd.h"

namespace deploylab::bench {

class KernelLog {
 public:
  // /dev/kmsg opened at its end. Without access to it (not root, inside a container) the log
  // stays empty and the memory verdicts rely on the runtimes' own messages.
  static KernelLog open_at_end();

  // The records logged since the last call (or since open_at_end), one per line.
  std::string read_new();

 private:
  explicit KernelLog(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace deploylab::bench
