// containers/cgroups/resource_writes.cpp: OCI resources -> cgroup v1/v2 file writes (see
// resource_writes.h for the table of files).
#include "containers/cgroups/resource_writes.h"

#include <algorithm>

#include "common/error.h"

namespace deploylab::ctr {

namespace {

constexpr std::uint64_t kMinShares = 2, kMaxShares = 262144;  // the kernel's clamp in v1
constexpr std::int64_t kMinQuotaUs = 1000;                    // 1 ms: the kernel's minimum
constexpr std::uint64_t kMinPeriodUs = 1000, kMaxPeriodUs = 1000000;  // 1 ms .. 1 s

Error bad_field(const std::string& field, const std::string& what, std::string hint = {}) {
  return Error::invalid("linux.resources." + field + ": " + what, {}, std::move(hint));
}

Result<void> validate_memory(const MemoryResources& memory) {
  if (memory.limit && *memory.limit != -1 && *memory.limit < kPageSize) {
    return bad_field("memory.limit", std::to_string(*memory.limit) + " bytes is less than one page",
                     "the kernel counts whole 4096-byte pages and would round it down to 0, "
                     "leaving no memory at all; use -1 for no limit");
  }
  if (memory.reservation && *memory.reservation < -1) {
    return bad_field("memory.reservation", std::to_string(*memory.reservation) + " is negative",
                     "use a number of bytes, or -1 for none");
  }
  if (!memory.swap || *memory.swap == -1) return {};
  if (!memory.limit || *memory.limit == -1) {
    return bad_field("memory.swap", "set without memory.limit",
                     "OCI's swap is memory+swap, so it needs a memory limit to be measured against");
  }
  if (*memory.swap < *memory.limit) {
    return bad_field("memory.swap", std::to_string(*memory.swap) + " is below memory.limit " +
                                        std::to_string(*memory.limit),
                     "swap is memory+swap: it must be at least the limit (equal: no swap)");
  }
  return {};
}

Result<void> validate_cpu(const CpuResources& cpu) {
  if (cpu.shares && (*cpu.shares < kMinShares || *cpu.shares > kMaxShares)) {
    return bad_field("cpu.shares", std::to_string(*cpu.shares) + " is outside 2..262144",
                     "1024 is the default weight");
  }
  if (cpu.quota && *cpu.quota != -1 && *cpu.quota < kMinQuotaUs) {
    return bad_field("cpu.quota", std::to_string(*cpu.quota) + " microseconds is below 1000",
                     "the kernel's smallest quota is 1 ms per period; use -1 for no quota");
  }
  if (cpu.period && (*cpu.period < kMinPeriodUs || *cpu.period > kMaxPeriodUs)) {
    return bad_field("cpu.period", std::to_string(*cpu.period) + " is outside 1000..1000000 microseconds",
                     "the default period is 100000 (100 ms)");
  }
  return {};
}

// "max" (v2) or "-1" (v1) for -1, else the number.
std::string limit_text(std::int64_t value, CgroupVersion version) {
  if (value == -1) return version == CgroupVersion::v2 ? "max" : "-1";
  return std::to_string(value);
}

// v1 keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every moment and checks each
// write alone. So when the new memory+swap is above the current limit (raising, or lifting to
// -1), memsw goes first to make room; otherwise (lowering, or a new cgroup whose limit is
// still unlimited) the limit goes first.
// One of the two orders always works, because the new pair itself satisfies limit <= memsw.
bool memsw_before_limit(std::int64_t new_memsw, std::optional<std::int64_t> current_limit) {
  if (new_memsw == -1) return true;
  return current_limit && *current_limit < new_memsw;
}

// The memsw value to write under v1, if any.
std::optional<std::int64_t> v1_memsw(const MemoryResources& memory, const WriteContext& context) {
  if (context.swap == SwapAccounting::unavailable) return std::nullopt;
  // runc's rule: lifting the limit to -1 without a word about swap lifts swap too, or the
  // finite memsw would make the kernel refuse the unlimited limit.
  if (memory.limit == -1 && !memory.swap) return -1;
  return memory.swap;
}

void plan_v1_memory(const MemoryResources& memory, const WriteContext& context,
                    std::vector<CgroupWrite>& writes) {
  // BEGIN SOLUTION lab 7: memory limits as cgroup v1 files (limit_in_bytes, memsw in the right order, soft limit)
  std::vector<CgroupWrite> limits;
  if (memory.limit) {
    limits.push_back({"memory", "memory.limit_in_bytes", limit_text(*memory.limit, CgroupVersion::v1)});
  }
  if (std::optional<std::int64_t> memsw = v1_memsw(memory, context)) {
    CgroupWrite write{"memory", "memory.memsw.limit_in_bytes", limit_text(*memsw, CgroupVersion::v1)};
    bool first = memsw_before_limit(*memsw, context.current_memory_limit);
    limits.insert(first ? limits.begin() : limits.end(), std::move(write));
  }
  writes.insert(writes.end(), limits.begin(), limits.end());
  if (memory.reservation) {
    writes.push_back({"memory", "memory.soft_limit_in_bytes",
                      limit_text(*memory.reservation, CgroupVersion::v1)});
  }
  // STUB:
  // // Only a container with memory limits needs this task: the others still run without it.
  // if (memory.limit || memory.reservation || memory.swap) {
  //   throw deploylab::NotImplemented("lab 7: memory limits as cgroup v1 files (limit_in_bytes, memsw in the right order, soft limit)");
  // }
  // END SOLUTION
}

void plan_v2_memory(const MemoryResources& memory, const WriteContext& context,
                    std::vector<CgroupWrite>& writes) {
  // BEGIN SOLUTION lab 7: memory limits as cgroup v2 files (memory.max, memory.low, memory.swap.max)
  if (memory.reservation) {
    writes.push_back({"memory", "memory.low", limit_text(*memory.reservation, CgroupVersion::v2)});
  }
  if (memory.limit) {
    writes.push_back({"memory", "memory.max", limit_text(*memory.limit, CgroupVersion::v2)});
  }
  if (context.swap == SwapAccounting::unavailable) return;
  // v2 limits swap alone, OCI limits memory+swap: swap.max = swap - limit (validated >= 0).
  // As in v1, an unlimited memory limit with swap unsaid means unlimited swap too.
  if (memory.swap == -1 || (memory.limit == -1 && !memory.swap)) {
    writes.push_back({"memory", "memory.swap.max", "max"});
  } else if (memory.swap) {
    writes.push_back({"memory", "memory.swap.max", std::to_string(*memory.swap - *memory.limit)});
  }
  // STUB:
  // if (memory.limit || memory.reservation || memory.swap) {
  //   throw deploylab::NotImplemented("lab 7: memory limits as cgroup v2 files (memory.max, memory.low, memory.swap.max)");
  // }
  // END SOLUTION
}

// v1: the period before the quota, as runc does: the quota is microseconds *per period*, and
// the kernel checks the quota/period ratio against the parent's as each file is written.
void plan_v1_cpu(const CpuResources& cpu, std::vector<CgroupWrite>& writes) {
  // BEGIN SOLUTION lab 7: cpu limits as cgroup v1 files (cpu.shares, cpu.cfs_period_us, cpu.cfs_quota_us)
  if (cpu.shares) writes.push_back({"cpu", "cpu.shares", std::to_string(*cpu.shares)});
  if (cpu.period) writes.push_back({"cpu", "cpu.cfs_period_us", std::to_string(*cpu.period)});
  if (cpu.quota) writes.push_back({"cpu", "cpu.cfs_quota_us", std::to_string(*cpu.quota)});
  // STUB:
  // if (cpu.shares || cpu.quota || cpu.period) {
  //   throw deploylab::NotImplemented("lab 7: cpu limits as cgroup v1 files (cpu.shares, cpu.cfs_period_us, cpu.cfs_quota_us)");
  // }
  // END SOLUTION
}

// v2: one file holds both, "QUOTA PERIOD" ("max" for no quota); a missing period keeps the
// current one (the kernel accepts "QUOTA" alone).
void plan_v2_cpu(const CpuResources& cpu, std::vector<CgroupWrite>& writes) {
  // BEGIN SOLUTION lab 7: cpu limits as cgroup v2 files (cpu.weight, cpu.max)
  if (cpu.shares) writes.push_back({"cpu", "cpu.weight", std::to_string(cpu_weight_from_shares(*cpu.shares))});
  if (!cpu.quota && !cpu.period) return;
  std::string value = cpu.quota && *cpu.quota != -1 ? std::to_string(*cpu.quota) : "max";
  if (cpu.period) value += " " + std::to_string(*cpu.period);
  writes.push_back({"cpu", "cpu.max", value});
  // STUB:
  // if (cpu.shares || cpu.quota || cpu.period) {
  //   throw deploylab::NotImplemented("lab 7: cpu limits as cgroup v2 files (cpu.weight, cpu.max)");
  // }
  // END SOLUTION
}

// Same file in v1 and v2. OCI's "no limit" is -1 or 0; the kernel's is "max".
void plan_pids(const PidsResources& pids, std::vector<CgroupWrite>& writes) {
  if (!pids.limit) return;
  // BEGIN SOLUTION lab 7: the pids limit (pids.max)
  std::string value = *pids.limit <= 0 ? "max" : std::to_string(*pids.limit);
  writes.push_back({"pids", "pids.max", value});
  // END SOLUTION
}

}  // namespace

std::uint64_t cpu_weight_from_shares(std::uint64_t shares) {
  // BEGIN SOLUTION lab 7: cpu.shares to cpu.weight, as runc converts them
  shares = std::clamp(shares, kMinShares, kMaxShares);  // what the v1 kernel does to cpu.shares
  // Integer arithmetic on purpose: the same numbers as runc, so a container gets the same weight
  // whichever runtime started it.
  return 1 + ((shares - kMinShares) * 9999) / (kMaxShares - kMinShares);
  // END SOLUTION
}

Result<void> validate_resources(const Resources& resources) {
  DL_TRY(validate_memory(resources.memory));
  DL_TRY(validate_cpu(resources.cpu));
  if (resources.pids.limit && *resources.pids.limit < -1) {
    return bad_field("pids.limit", std::to_string(*resources.pids.limit) + " is negative",
                     "use a number of tasks, or -1 (or 0) for no limit");
  }
  return {};
}

Result<std::vector<CgroupWrite>> plan_writes(const Resources& resources, CgroupVersion version,
                                             const WriteContext& context) {
  DL_TRY(validate_resources(resources));
  std::vector<CgroupWrite> writes;
  if (version == CgroupVersion::v1) {
    plan_v1_memory(resources.memory, context, writes);
    plan_v1_cpu(resources.cpu, writes);
  } else {
    plan_v2_memory(resources.memory, context, writes);
    plan_v2_cpu(resources.cpu, writes);
  }
  plan_pids(resources.pids, writes);
  return writes;
}

}  // namespace deploylab::ctr
