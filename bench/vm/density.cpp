// bench/vm/density.cpp: the density run's budget check and its count (density.h).
#include "bench/vm/density.h"

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

int density_count(const std::vector<InstanceRecord>& instances) {
  int count = 0;
  for (const InstanceRecord& instance : instances) count += instance.end == InstanceEnd::booted;
  return count;
}

std::string density_label(const DensityPlan& plan) {
  return "idle " + std::to_string(plan.guest_mib) + " MiB guests in a " + std::to_string(plan.budget_mib) +
         " MiB memory cgroup";
}

std::string density_story(const DensityPlan& plan, const std::vector<InstanceRecord>& instances) {
  int running = density_count(instances);
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
  return text + std::to_string(running) + " still running together";
}

}  // namespace deploylab::bench
