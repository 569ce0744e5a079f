// bench/vm/density.cpp: the density run's budget check and its count (density.h).
#include "bench/vm/density.h"

#include <algorithm>

namespace deploylab::bench {
namespace {

const char* verb(InstanceEnd end) {
  switch (end) {
    case InstanceEnd::starting: return "was still starting";
    case InstanceEnd::booted: return "booted";
    case InstanceEnd::exited: return "failed to boot";
    case InstanceEnd::killed: return "was killed";
    case InstanceEnd::timed_out: return "did not reach its shell in time";
    case InstanceEnd::interrupted: return "was interrupted";
  }
  return "?";
}

}  // namespace

Result<DensityPlan> plan_density(std::uint64_t budget_mib, std::uint64_t guest_mib) {
  if (guest_mib < 1) return Error::invalid("a guest of 0 MiB", "density", "give the guest some memory");
  if (budget_mib < kSmallestInstanceMib) {
    return Error::invalid("a density budget of " + std::to_string(budget_mib) + " MiB", "--density-budget",
                          "give at least " + std::to_string(kSmallestInstanceMib) + " MiB (e.g. 384)");
  }
  return DensityPlan{budget_mib, guest_mib, static_cast<int>(budget_mib / kSmallestInstanceMib) + 1};
}

namespace {

int alive_at_the_end(const std::vector<InstanceRecord>& instances) {
  int alive = 0;
  for (const InstanceRecord& instance : instances) alive += instance.end == InstanceEnd::booted && instance.still_running;
  return alive;
}

}  // namespace

int density_count(const std::vector<InstanceRecord>& instances) {
  int alive = alive_at_the_end(instances);
  if (alive == static_cast<int>(instances.size())) return alive;  // nothing lost: the cap stopped it
  // The run looks for a loss after every start and stops at the first, so the loss happened while
  // the last instance started: every instance before it was at its shell, all together, then.
  return std::max(alive, static_cast<int>(instances.size()) - 1);
}

std::string density_label(const DensityPlan& plan) {
  return "idle " + std::to_string(plan.guest_mib) + " MiB guests in a " + std::to_string(plan.budget_mib) +
         " MiB memory cgroup";
}

std::string density_story(const DensityPlan& plan, const std::vector<InstanceRecord>& instances) {
  int running = alive_at_the_end(instances);
  std::string text;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const InstanceRecord& instance = instances[i];
    if (instance.end != InstanceEnd::booted) {
      text += "instance " + std::to_string(i + 1) + " " + verb(instance.end);
      if (!instance.detail.empty()) text += ": " + instance.detail;
      text += "; ";
    } else if (!instance.still_running) {
      text += "instance " + std::to_string(i + 1) + " booted but died later" +
              (instance.detail.empty() ? "" : ": " + instance.detail) + "; ";
    }
  }
  bool capped = static_cast<int>(instances.size()) >= plan.max_attempts && !instances.empty() &&
                instances.back().end == InstanceEnd::booted;
  if (capped) text += "stopped after " + std::to_string(plan.max_attempts) + " attempts (the cap); ";
  return text + std::to_string(density_count(instances)) + " ran together before the run stopped, " +
         std::to_string(running) + " at the end";
}

}  // namespace deploylab::bench
