// bench/containers/density.h: the density row, how many idle containers fit in a memory budget,
// found by running them, not by dividing.
//
// For each runtime: a parent cgroup limited to the budget (cgroup v1, and the hybrid layout here:
// memory.limit_in_bytes of the memory hierarchy, and memory.memsw.limit_in_bytes where swap is
// accounted, so nothing escapes to swap; v2: memory.max and memory.swap.max = 0). Containers
// whose linux.cgroupsPath puts them under it (/PARENT/ID) are started one after another, each an
// idle busybox `sleep`, until a start fails, the kernel OOM-kills anything in the parent (read
// from /dev/kmsg: kernel_log.h), or a cap: 1000 containers, or a time limit per runtime (then the
// count is a lower bound, and the cell's text says so). The count is how many were running
// before the step that failed or triggered the OOM killer. Then every container is killed and
// deleted (eight deletes at a time) and the parent cgroup is removed from every hierarchy the runtimes made it in.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench/containers/recorder.h"
#include "bench/containers/rows_workspace.h"
#include "containers/cgroups/mode.h"

namespace deploylab::bench {

// The parent cgroup's name: "deploylab-bench-density-4242-crun".
std::string density_parent_name(int bench_pid, const std::string& runtime);

// Whether the kernel accounts swap in the v1 memory controller (memory.memsw.* files exist).
enum class SwapAccounting { absent, present };

// The files that limit the parent to `budget` bytes, with their values, in the order to write.
std::vector<std::pair<std::string, std::string>> budget_files(ctr::CgroupVersion version, std::int64_t budget,
                                                              SwapAccounting swap);

// The bookkeeping of one runtime's run: how many started, and why it stopped.
class DensityTally {
 public:
  enum class Stop { running, start_failed, oom_kill, count_cap, time_cap, interrupted };

  // Container number count()+1 started; `oom_victim` set: the kernel OOM-killed it (a process in
  // the parent) during that start, so it did not fit after all.
  void started(const std::optional<std::string>& oom_victim);
  // Container number count()+1 did not start (`why`); `oom_victim` as above.
  void start_failed(const std::string& why, const std::optional<std::string>& oom_victim);
  // Stops for a cap or Ctrl-C, if still running.
  void stop(Stop why);

  bool running() const { return stop_ == Stop::running; }
  Stop reason() const { return stop_; }
  // Containers that ran together within the budget.
  int count() const { return count_; }
  // Containers to delete: every one that started, the one that tipped it over included.
  int started_total() const { return started_; }
  // One line for the cell's text: "stopped: the OOM killer took sleep (pid 12) at container 58".
  std::string describe() const;

 private:
  Stop stop_ = Stop::running;
  int count_ = 0;
  int started_ = 0;
  std::string detail_;
};

// The row: one run per runtime, into `recorder`.
void measure_density_row(Workspace& ws, Recorder& recorder);

}  // namespace deploylab::bench
