// containers/cgroups/stats.cpp: reading a cgroup's statistics files under v1 and v2, and their
// JSON form (see stats.h for every field's source and meaning).
#include "containers/cgroups/stats.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "containers/cgroups/cgroup_files.h"
#include "containers/cgroups/stat_parsers.h"

namespace deploylab::ctr {

namespace fs = std::filesystem;
using Directories = std::map<std::string, fs::path>;

namespace {

Result<fs::path> directory_of(const Directories& dirs, const std::string& controller) {
  auto it = dirs.find(controller);
  if (it != dirs.end()) return it->second;
  return Error::invalid("the cgroup has no " + controller + " controller", {},
                        "v1: mount its hierarchy; v2: enable it in the parents' cgroup.subtree_control");
}

// A single-value file; "max" is std::nullopt.
Result<std::optional<std::uint64_t>> read_value(const fs::path& dir, std::string_view file) {
  std::string text = DL_TRY(read_cgroup_file(dir, file));
  return parse_single_value(text).context("reading " + (dir / file).string());
}

// A single-value file that holds a number, never "max" (usage counters).
Result<std::uint64_t> read_counter(const fs::path& dir, std::string_view file) {
  auto value = DL_TRY(read_value(dir, file));
  if (!value) return Error::invalid("\"max\" where a number belongs", (dir / file).string());
  return *value;
}

Result<std::map<std::string, std::uint64_t>> read_keyed(const fs::path& dir, std::string_view file) {
  std::string text = DL_TRY(read_cgroup_file(dir, file));
  return parse_flat_keyed(text).context("reading " + (dir / file).string());
}

std::optional<std::uint64_t> find_key(const std::map<std::string, std::uint64_t>& values, const std::string& key) {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

// How many processes of the cgroup the kernel's OOM killer has killed, from the memory
// directory `dir`; std::nullopt when the kernel does not count them. Both versions keep the
// count under the key "oom_kill" of a flat-keyed file: v1 in memory.oom_control (since Linux
// 4.13; older kernels cannot say), v2 in memory.events. Not memory.failcnt (see stats.h).
Result<std::optional<std::uint64_t>> read_oom_kills(CgroupVersion version, const fs::path& dir) {
  // BEGIN SOLUTION lab 7: count the OOM kills (memory.oom_control under v1, memory.events under v2)
  std::string_view file = version == CgroupVersion::v1 ? "memory.oom_control" : "memory.events";
  return find_key(DL_TRY(read_keyed(dir, file)), "oom_kill");
  // STUB:
  // // An error, not a throw: `minictr run` reads the statistics after every container to see
  // // whether it was OOM-killed, and a container without limits must still run (labs 5 and 6).
  // return Error::invalid("not implemented: lab 7: count the OOM kills (memory.oom_control under v1, "
  //                       "memory.events under v2)", dir.string(), "a lab task that is still to do: "
  //                       "see labs/07-cgroups/README.md");
  // END SOLUTION
}

Result<void> read_v1_memory(const fs::path& dir, CgroupStats& stats) {
  stats.memory_usage_bytes = DL_TRY(read_counter(dir, "memory.usage_in_bytes"));
  stats.memory_peak_bytes = DL_TRY(read_counter(dir, "memory.max_usage_in_bytes"));
  stats.memory_limit_bytes = v1_memory_limit(DL_TRY(read_counter(dir, "memory.limit_in_bytes")));
  stats.oom_kills = DL_TRY(read_oom_kills(CgroupVersion::v1, dir));
  return {};
}

// cpuacct.usage_user/_sys are nanoseconds (Linux 4.7+); cpuacct.stat is older and counts
// USER_HZ ticks (usually 1/100 s), so it is the fallback.
Result<void> read_v1_cpu(const fs::path& dir, CgroupStats& stats) {
  // BEGIN SOLUTION lab 7: CPU time under v1 (cpuacct.usage, usage_user and usage_sys, or the ticks of cpuacct.stat)
  stats.cpu_usage_ns = DL_TRY(read_counter(dir, "cpuacct.usage"));
  if (cgroup_file_exists(dir, "cpuacct.usage_user")) {
    stats.cpu_user_ns = DL_TRY(read_counter(dir, "cpuacct.usage_user"));
    stats.cpu_system_ns = DL_TRY(read_counter(dir, "cpuacct.usage_sys"));
    return {};
  }
  auto ticks = DL_TRY(read_keyed(dir, "cpuacct.stat"));
  std::uint64_t ns_per_tick = 1'000'000'000 / static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
  if (auto user = find_key(ticks, "user")) stats.cpu_user_ns = *user * ns_per_tick;
  if (auto system = find_key(ticks, "system")) stats.cpu_system_ns = *system * ns_per_tick;
  return {};
  // END SOLUTION
}

Result<void> read_v2_memory(const fs::path& dir, CgroupStats& stats) {
  stats.memory_usage_bytes = DL_TRY(read_counter(dir, "memory.current"));
  // memory.peak appeared in Linux 5.19; before, v2 kept no high-water mark at all.
  if (cgroup_file_exists(dir, "memory.peak")) stats.memory_peak_bytes = DL_TRY(read_counter(dir, "memory.peak"));
  stats.memory_limit_bytes = DL_TRY(read_value(dir, "memory.max"));
  stats.oom_kills = DL_TRY(read_oom_kills(CgroupVersion::v2, dir));
  return {};
}

// cpu.stat is a core file in v2, present even without the cpu controller; it counts in us.
Result<void> read_v2_cpu(const fs::path& dir, CgroupStats& stats) {
  // BEGIN SOLUTION lab 7: CPU time under v2 (cpu.stat's usage_usec, user_usec and system_usec)
  auto values = DL_TRY(read_keyed(dir, "cpu.stat"));
  auto usage = find_key(values, "usage_usec");
  if (!usage) return Error::invalid("no usage_usec in cpu.stat", (dir / "cpu.stat").string());
  stats.cpu_usage_ns = *usage * 1000;
  if (auto user = find_key(values, "user_usec")) stats.cpu_user_ns = *user * 1000;
  if (auto system = find_key(values, "system_usec")) stats.cpu_system_ns = *system * 1000;
  return {};
  // END SOLUTION
}

Result<void> read_pids(const fs::path& dir, CgroupStats& stats) {
  stats.pids_current = DL_TRY(read_counter(dir, "pids.current"));
  stats.pids_limit = DL_TRY(read_value(dir, "pids.max"));
  return {};
}

}  // namespace

Result<CgroupStats> read_cgroup_stats(CgroupVersion version, const Directories& by_controller) {
  CgroupStats stats;
  stats.version = version;
  fs::path memory = DL_TRY(directory_of(by_controller, "memory"));
  fs::path pids = DL_TRY(directory_of(by_controller, "pids"));
  if (version == CgroupVersion::v1) {
    DL_TRY(read_v1_memory(memory, stats));
    fs::path cpuacct = DL_TRY(directory_of(by_controller, "cpuacct"));
    DL_TRY(read_v1_cpu(cpuacct, stats));
  } else {
    DL_TRY(read_v2_memory(memory, stats));
    DL_TRY(read_v2_cpu(memory, stats));  // v2: one directory for every controller
  }
  DL_TRY(read_pids(pids, stats));
  return stats;
}

namespace {

nlohmann::json optional_json(const std::optional<std::uint64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::optional<std::uint64_t> optional_field(const nlohmann::json& object, const char* name) {
  const nlohmann::json& value = object.at(name);
  if (value.is_null()) return std::nullopt;
  return value.get<std::uint64_t>();
}

}  // namespace

std::string stats_json(const CgroupStats& stats) {
  nlohmann::json out = {
      {"cgroup_version", std::string(to_string(stats.version))},
      {"memory_usage_bytes", stats.memory_usage_bytes},
      {"memory_peak_bytes", optional_json(stats.memory_peak_bytes)},
      {"memory_limit_bytes", optional_json(stats.memory_limit_bytes)},
      {"cpu_usage_ns", stats.cpu_usage_ns},
      {"cpu_user_ns", optional_json(stats.cpu_user_ns)},
      {"cpu_system_ns", optional_json(stats.cpu_system_ns)},
      {"pids_current", stats.pids_current},
      {"pids_limit", optional_json(stats.pids_limit)},
      {"oom_kills", optional_json(stats.oom_kills)},
  };
  return out.dump();
}

Result<CgroupStats> parse_stats_json(std::string_view json) {
  try {
    auto in = nlohmann::json::parse(json);
    CgroupStats stats;
    stats.version = in.at("cgroup_version").get<std::string>() == "v1" ? CgroupVersion::v1 : CgroupVersion::v2;
    stats.memory_usage_bytes = in.at("memory_usage_bytes").get<std::uint64_t>();
    stats.memory_peak_bytes = optional_field(in, "memory_peak_bytes");
    stats.memory_limit_bytes = optional_field(in, "memory_limit_bytes");
    stats.cpu_usage_ns = in.at("cpu_usage_ns").get<std::uint64_t>();
    stats.cpu_user_ns = optional_field(in, "cpu_user_ns");
    stats.cpu_system_ns = optional_field(in, "cpu_system_ns");
    stats.pids_current = in.at("pids_current").get<std::uint64_t>();
    stats.pids_limit = optional_field(in, "pids_limit");
    stats.oom_kills = optional_field(in, "oom_kills");
    return stats;
  } catch (const nlohmann::json::exception& e) {
    return Error::invalid(std::string("cgroup stats JSON: ") + e.what(), {},
                          "expected the object of containers/cgroups/stats.h");
  }
}

}  // namespace deploylab::ctr
