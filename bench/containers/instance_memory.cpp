// bench/containers/instance_memory.cpp: what one idle container costs (instance_memory.h).
#include "bench/containers/instance_memory.h"

#include <unistd.h>

#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "bench/containers/detached_container.h"
#include "bench/tradeoff/interrupt.h"
#include "bench/containers/timed_command.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

constexpr double kMiB = 1024.0 * 1024.0;

std::string proc(pid_t pid, const char* file) { return read_file_or_empty("/proc/" + std::to_string(pid) + "/" + file); }

// The container's memory cgroup directory.
Result<fs::path> memory_cgroup_dir(const ctr::CgroupLayout& layout, pid_t pid) {
  auto path = memory_cgroup_path(proc(pid, "cgroup"), layout.version());
  if (!path) return Error::invalid("no memory cgroup in /proc/PID/cgroup", std::to_string(pid));
  std::string relative = path->substr(1);
  if (layout.version() == ctr::CgroupVersion::v2) return layout.root / relative;
  auto mount = layout.v1_mount("memory");
  if (!mount) return Error::invalid("no cgroup v1 memory hierarchy is mounted", layout.root.string());
  return *mount / relative;
}

std::optional<std::int64_t> read_bytes(const fs::path& file) {
  try {
    return static_cast<std::int64_t>(std::stoll(read_file_or_empty(file)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Result<CgroupCharge> read_charge(const fs::path& dir, ctr::CgroupVersion version) {
  bool v1 = version == ctr::CgroupVersion::v1;
  auto usage = read_bytes(dir / (v1 ? "memory.usage_in_bytes" : "memory.current"));
  auto kmem = v1 ? read_bytes(dir / "memory.kmem.usage_in_bytes") : std::nullopt;
  auto charge = parse_charge(version, read_file_or_empty(dir / "memory.stat"), kmem, usage.value_or(0));
  if (!charge) {
    return Error::invalid("cannot read the cgroup's memory.stat" + std::string(v1 ? " and memory.kmem.usage_in_bytes" : ""),
                          dir.string(), "is the memory controller (and v1 kernel memory accounting) enabled?");
  }
  return *charge;
}

// The charge once two readings 50 ms apart agree (at most about a second).
Result<CgroupCharge> read_settled(const fs::path& dir, ctr::CgroupVersion version) {
  CgroupCharge last = DL_TRY(read_charge(dir, version));
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CgroupCharge now = DL_TRY(read_charge(dir, version));
    if (now.total() == last.total()) return now;
    last = now;
  }
  return last;
}

// Runtime processes still alive for container `id` (whose process is `pid`).
std::set<pid_t> runtime_processes(const std::string& id, pid_t pid) {
  std::set<pid_t> found;
  auto ppid = status_kib(proc(pid, "status"), "PPid");  // not KiB, but the same "Field: N" shape
  if (ppid && *ppid != ::getpid() && *ppid > 1) found.insert(static_cast<pid_t>(*ppid));
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/proc", ignored)) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t other = static_cast<pid_t>(std::stol(name));
    if (other != pid && cmdline_has_word(proc(other, "cmdline"), id)) found.insert(other);
  }
  return found;
}

Result<InstanceMemory> measure_running(const ctr::CgroupLayout& layout, const std::string& id, pid_t pid) {
  InstanceMemory memory;
  fs::path dir = DL_TRY(memory_cgroup_dir(layout, pid));
  memory.cgroup = DL_TRY(read_settled(dir, layout.version()));
  for (pid_t other : runtime_processes(id, pid)) {
    memory.runtime_rss_bytes += status_kib(proc(other, "status"), "VmRSS").value_or(0) * 1024;
    ++memory.runtime_processes;
  }
  auto anon = status_kib(proc(pid, "status"), "RssAnon");
  if (!anon) return Error::invalid("no RssAnon in /proc/PID/status: the container's process is gone", std::to_string(pid));
  memory.workload_anon_bytes = *anon * 1024;
  return memory;
}

// One instance: start, measure, delete.
Result<InstanceMemory> measure_instance(Workspace& ws, const RuntimeContender& rt, const fs::path& bundle) {
  const auto& layout = ws.cgroups();
  if (!layout) return layout.error();
  std::string id = ws.next_id(rt);
  RoundSetup setup = ws.setup_for(bundle);
  pid_t pid = DL_TRY(start_detached(setup, rt.who, id));
  auto memory = measure_running(layout.value(), id, pid);
  remove_leftover(setup, rt.who, id);
  reap_exited_children();
  return memory;
}

std::map<std::string, std::int64_t> stat_values(const std::string& memory_stat) {
  std::map<std::string, std::int64_t> values;
  std::istringstream lines(memory_stat);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    std::int64_t value = 0;
    if (words >> name >> value) values[name] = value;
  }
  return values;
}

}  // namespace

std::optional<CgroupCharge> parse_charge(ctr::CgroupVersion version, const std::string& memory_stat,
                                         std::optional<std::int64_t> v1_kmem, std::int64_t usage) {
  auto values = stat_values(memory_stat);
  bool v1 = version == ctr::CgroupVersion::v1;
  const char* anon = v1 ? "total_rss" : "anon";
  const char* file = v1 ? "total_cache" : "file";
  if (!values.count(anon) || !values.count(file)) return std::nullopt;
  if (v1 && !v1_kmem) return std::nullopt;
  if (!v1 && !values.count("kernel")) return std::nullopt;
  return CgroupCharge{values[anon], values[file], v1 ? *v1_kmem : values["kernel"], usage};
}

double InstanceMemory::per_instance_mib() const {
  return static_cast<double>(cgroup.total() + runtime_rss_bytes) / kMiB;
}

double InstanceMemory::beyond_workload_mib() const {
  return static_cast<double>(cgroup.total() + runtime_rss_bytes - workload_anon_bytes) / kMiB;
}

std::string InstanceMemory::describe() const {
  auto kib = [](std::int64_t bytes) { return std::to_string(bytes >> 10); };
  std::string text = "cgroup " + kib(cgroup.total()) + " KiB = anon " + kib(cgroup.anon) + " + page cache " +
                     kib(cgroup.file) + " + kernel " + kib(cgroup.kernel) + " KiB (the usage counter: " + kib(cgroup.usage) +
                     " KiB with per-CPU batches); workload anon " + kib(workload_anon_bytes) + " KiB; runtime processes left: ";
  if (runtime_processes == 0) return text + "none";
  return text + std::to_string(runtime_processes) + " (" + kib(runtime_rss_bytes) + " KiB)";
}

std::optional<std::string> memory_cgroup_path(const std::string& proc_cgroup, ctr::CgroupVersion version) {
  std::istringstream lines(proc_cgroup);
  for (std::string line; std::getline(lines, line);) {
    std::size_t first = line.find(':');
    std::size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (path.empty() || path.front() != '/') continue;
    if (version == ctr::CgroupVersion::v2 && line.rfind("0::", 0) == 0) return path;
    if (version == ctr::CgroupVersion::v1 && ("," + controllers + ",").find(",memory,") != std::string::npos) return path;
  }
  return std::nullopt;
}

std::optional<std::int64_t> status_kib(const std::string& status, const std::string& field) {
  std::istringstream lines(status);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::istringstream value(line.substr(field.size() + 1));
    std::int64_t number = 0;
    if (value >> number) return number;
    return std::nullopt;
  }
  return std::nullopt;
}

bool cmdline_has_word(const std::string& cmdline, const std::string& id) {
  std::size_t start = 0;
  while (start < cmdline.size()) {
    std::size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    if (cmdline.compare(start, end - start, id) == 0) return true;
    start = end + 1;
  }
  return false;
}

void measure_memory_row(Workspace& ws, Recorder& recorder) {
  auto bundle = ws.write_bundle("idle", ws.config({"sleep", "3600"}));
  std::vector<const RuntimeContender*> runtimes;
  for (const RuntimeContender& rt : ws.runtimes()) {
    if (rt.missing.empty()) runtimes.push_back(&rt);
  }
  std::vector<bool> failed(runtimes.size(), false);
  for (int round = 0; round < ws.options().sizes.memory_rounds && !interrupted(); ++round) {
    for (std::size_t i : round_order(runtimes.size(), round)) {
      if (failed[i] || interrupted()) continue;
      const std::string& name = runtimes[i]->name;
      auto memory = bundle ? measure_instance(ws, *runtimes[i], bundle.value()) : Result<InstanceMemory>(bundle.error());
      if (!memory) {
        failed[i] = true;
        recorder.fail(Row::memory, name, "failed: " + memory.error().message());
        std::cerr << "container-rows: memory, " << name << " failed: " << memory.error().message() << "\n";
        continue;
      }
      recorder.add(Row::memory, "per_instance", name, memory.value().per_instance_mib());
      recorder.add(Row::memory, "beyond_workload", name, memory.value().beyond_workload_mib());
      recorder.cell(Row::memory, "per_instance", name).text = "last instance: " + memory.value().describe();
    }
    recorder.save();
  }
}

}  // namespace deploylab::bench
