// bench/vm/density.h: how many idle VMs fit in a memory budget, found by running them, not by
// dividing (the lecture's "GBs vs MBs", row 2b of the tradeoff table). The pure part: the budget
// check, how many attempts at most, and how the count and the reason it stopped read.
//
// The run (density_run.h) starts idle instances one after another in one memory cgroup limited
// to the budget, each booted to its shell, until one fails to boot or the kernel's OOM killer
// kills one; the count is how many ran together: a new instance starts only after the one before
// it is at its shell and nothing was lost, and the run stops at the first loss, so all the
// instances before the last one started were running together (or, if the OOM killer made room
// for the last one by killing an older one, those still running at the end). A guest's RAM is only charged to the
// cgroup when the guest touches it, so a 128 MiB guest may well fit in 96 MiB: the count is the
// measured answer, and the attempts are capped so that a budget far too large cannot run forever.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::bench {

// Below this an instance cannot be (a kernel alone is bigger); it bounds the number of attempts.
inline constexpr std::uint64_t kSmallestInstanceMib = 16;

struct DensityPlan {
  std::uint64_t budget_mib = 0;
  std::uint64_t guest_mib = 0;
  int max_attempts = 0;  // budget / kSmallestInstanceMib + 1: the last one must fail
};

// Refuses a budget that cannot hold even the smallest instance, and a guest below 1 MiB.
Result<DensityPlan> plan_density(std::uint64_t budget_mib, std::uint64_t guest_mib);

// How one instance's start ended.
enum class InstanceEnd { starting, booted, exited, killed, timed_out, interrupted };

struct InstanceRecord {
  InstanceEnd end = InstanceEnd::starting;
  bool still_running = false;  // when the run stopped
  std::string detail;          // "exit 1: ...", "SIGKILL (the cgroup's OOM killer)"
};

// The count the row reports: the most instances that were at their shell together (above). When
// the next one does not fit, the OOM killer may take an older instance instead of the newest; the
// older one did fit before, so it counts (the story says who was killed).
int density_count(const std::vector<InstanceRecord>& instances);

// "idle 128 MiB guests in a 384 MiB memory cgroup": the Measurement's label.
std::string density_label(const DensityPlan& plan);

// Why the run stopped: "instance 4 killed: SIGKILL (the cgroup's OOM killer); 3 still running".
std::string density_story(const DensityPlan& plan, const std::vector<InstanceRecord>& instances);

}  // namespace deploylab::bench
