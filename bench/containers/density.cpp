// bench/containers/density.cpp: idle containers in a memory budget, run until they no longer fit
// (density.h).
#include "bench/containers/density.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include <csignal>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench/containers/detached_container.h"
#include "bench/tradeoff/interrupt.h"
#include "bench/containers/kernel_log.h"
#include "bench/containers/limit_search.h"
#include "bench/containers/timed_command.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Every directory a cgroup named `name` at the top of a hierarchy can have here: one per v1
// hierarchy under /sys/fs/cgroup (the runtimes make it in each), the unified one, and v2's.
std::vector<fs::path> hierarchy_dirs(const fs::path& root, const std::string& name) {
  std::vector<fs::path> dirs{root / name};
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(root, ignored)) {
    if (entry.is_directory(ignored) && !entry.is_symlink(ignored)) dirs.push_back(entry.path() / name);
  }
  return dirs;
}

// rmdir of `dir` and every cgroup below it, deepest first; a cgroup whose last process has just
// been killed may be busy for a moment, so each is tried a few times.
void remove_cgroup_tree(const fs::path& dir) {
  std::error_code ignored;
  if (!fs::is_directory(dir, ignored)) return;
  for (const auto& entry : fs::directory_iterator(dir, ignored)) {
    if (entry.is_directory(ignored)) remove_cgroup_tree(entry.path());
  }
  for (int attempt = 0; attempt < 20 && ::rmdir(dir.c_str()) != 0 && errno == EBUSY; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// The parent cgroup, limited to the budget; removed with everything below it in every hierarchy.
class DensityCgroup {
 public:
  static Result<DensityCgroup> create(const ctr::CgroupLayout& layout, const std::string& name, std::int64_t budget) {
    DensityCgroup parent(layout.root, name);
    fs::path dir = layout.root / name;
    if (layout.version() == ctr::CgroupVersion::v1) {
      auto mount = layout.v1_mount("memory");
      if (!mount) return Error::invalid("no cgroup v1 memory hierarchy is mounted", layout.root.string());
      dir = *mount / name;
    }
    if (::mkdir(dir.c_str(), 0755) != 0) return Error::os("mkdir", dir.string(), errno, "run as root");
    if (layout.version() == ctr::CgroupVersion::v2) {
      (void)write_file_atomic(dir / "cgroup.subtree_control", "+memory +pids", Durability::unsynced);
    }
    auto swap = fs::exists(dir / "memory.memsw.limit_in_bytes") ? SwapAccounting::present : SwapAccounting::absent;
    for (const auto& [file, value] : budget_files(layout.version(), budget, swap)) {
      DL_TRY(write_value(dir / file, value));
    }
    parent.dir_ = dir;
    parent.usage_file_ = dir / (layout.version() == ctr::CgroupVersion::v1 ? "memory.usage_in_bytes" : "memory.current");
    return parent;
  }
  DensityCgroup(DensityCgroup&& other) noexcept
      : root_(std::move(other.root_)),
        name_(std::exchange(other.name_, "")),
        dir_(std::move(other.dir_)),
        usage_file_(std::move(other.usage_file_)) {}
  DensityCgroup& operator=(DensityCgroup&&) = delete;
  ~DensityCgroup() {
    if (name_.empty()) return;
    for (const fs::path& dir : hierarchy_dirs(root_, name_)) remove_cgroup_tree(dir);
  }
  const std::string& name() const { return name_; }
  std::string usage() const { return read_file_or_empty(usage_file_); }
  // SIGKILLs every process in the parent's memory cgroup and below. The runtimes' `delete
  // --force` would kill them too, but runc then polls for the death in 100 ms sleeps: for
  // hundreds of containers, killing first and deleting stopped containers is ten times faster.
  void kill_all() const { kill_tree(dir_); }

 private:
  DensityCgroup(fs::path root, std::string name) : root_(std::move(root)), name_(std::move(name)) {}
  // cgroup files take one write(2) of the value; a rename (write_file_atomic) would not do.
  static Result<void> write_value(const fs::path& file, const std::string& value) {
    UniqueFd fd = DL_TRY(open_file(file, O_WRONLY | O_TRUNC));
    return write_all(fd.get(), value, file.string());
  }
  static void kill_tree(const fs::path& dir) {
    std::istringstream pids(read_file_or_empty(dir / "cgroup.procs"));
    for (pid_t pid = 0; pids >> pid;) ::kill(pid, SIGKILL);
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(dir, ignored)) {
      if (entry.is_directory(ignored)) kill_tree(entry.path());
    }
  }
  fs::path root_;
  std::string name_;
  fs::path dir_;  // the parent in the memory hierarchy (v1) or the one hierarchy (v2)
  fs::path usage_file_;
};

// The containers started so far; killed and deleted, a few at a time, on every way out.
struct Fleet {
  const Contestant& who;
  const DensityCgroup& parent;
  std::vector<std::string> ids;
  ~Fleet() {
    parent.kill_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    reap_exited_children();
    delete_all(who, ids, 8);
  }
};

// Starts containers under `parent` until the tally stops.
void fill(Workspace& ws, const RuntimeContender& rt, const DensityCgroup& parent, Fleet& fleet, DensityTally& tally) {
  const RowSizes& sizes = ws.options().sizes;
  KernelLog kernel = KernelLog::open_at_end();
  auto deadline = Clock::now() + sizes.density_time_cap;
  while (tally.running()) {
    if (interrupted()) return tally.stop(DensityTally::Stop::interrupted);
    if (tally.count() >= sizes.density_cap) return tally.stop(DensityTally::Stop::count_cap);
    if (Clock::now() >= deadline) return tally.stop(DensityTally::Stop::time_cap);
    std::string id = ws.next_id(rt);
    auto config = with_cgroups_path(ws.config({"sleep", "3600"}), "/" + parent.name() + "/" + id);
    auto bundle = ws.write_bundle(id, config);
    if (!bundle) return tally.start_failed(bundle.error().message(), std::nullopt);
    auto pid = start_detached(ws.setup_for(bundle.value()), rt.who, id);
    std::error_code ignored;
    fs::remove_all(bundle.value(), ignored);
    auto victim = find_oom_kill(kernel.read_new(), parent.name());
    if (pid) fleet.ids.push_back(id);
    if (pid) tally.started(victim);
    else tally.start_failed(pid.error().message(), victim);
  }
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

Result<void> run_density(Workspace& ws, const RuntimeContender& rt, Recorder& recorder) {
  const auto& layout = ws.cgroups();
  if (!layout) return layout.error();
  auto start = Clock::now();
  DensityCgroup parent = DL_TRY(DensityCgroup::create(layout.value(), density_parent_name(::getpid(), rt.name),
                                                      ws.options().sizes.density_budget));
  DensityTally tally;
  std::string usage;
  {
    Fleet fleet{rt.who, parent, {}};
    fill(ws, rt, parent, fleet, tally);
    usage = parent.usage();
    std::cerr << "container-rows: density, " << rt.name << ": " << tally.count() << " containers ("
              << tally.describe() << ") in " << seconds_since(start) << " s; deleting them\n";
  }
  Measurement& cell = recorder.cell(Row::density, "density", rt.name);
  if (tally.reason() != DensityTally::Stop::interrupted) cell.samples.push_back(tally.count());
  cell.text = tally.describe() + "; the parent cgroup held " + std::to_string(std::atoll(usage.c_str()) >> 20) +
              " MiB at the end";
  if (tally.reason() == DensityTally::Stop::interrupted) cell.missing = "interrupted after " + std::to_string(tally.count()) + " containers";
  std::cerr << "container-rows: density, " << rt.name << " done in " << seconds_since(start) << " s\n";
  return {};
}

}  // namespace

std::string density_parent_name(int bench_pid, const std::string& runtime) {
  return "deploylab-bench-density-" + std::to_string(bench_pid) + "-" + runtime;
}

std::vector<std::pair<std::string, std::string>> budget_files(ctr::CgroupVersion version, std::int64_t budget,
                                                              SwapAccounting swap) {
  std::string bytes = std::to_string(budget);
  if (version == ctr::CgroupVersion::v2) return {{"memory.max", bytes}, {"memory.swap.max", "0"}};
  // memsw (memory + swap) may never be below the memory limit: set the memory limit first.
  if (swap == SwapAccounting::present) return {{"memory.limit_in_bytes", bytes}, {"memory.memsw.limit_in_bytes", bytes}};
  return {{"memory.limit_in_bytes", bytes}};
}

void DensityTally::started(const std::optional<std::string>& oom_victim) {
  if (!running()) return;
  ++started_;
  if (!oom_victim) {
    ++count_;
    return;
  }
  stop_ = Stop::oom_kill;
  detail_ = *oom_victim;
}

void DensityTally::start_failed(const std::string& why, const std::optional<std::string>& oom_victim) {
  if (!running()) return;
  std::string first_line = why.substr(0, std::min<std::size_t>(why.find('\n'), 200));
  stop_ = oom_victim ? Stop::oom_kill : Stop::start_failed;
  detail_ = oom_victim ? *oom_victim : first_line;  // the OOM kill explains the failed start
}

void DensityTally::stop(Stop why) {
  if (running()) stop_ = why;
}

std::string DensityTally::describe() const {
  std::string next = "container " + std::to_string(count_ + 1);
  switch (stop_) {
    case Stop::running: return "still running";
    case Stop::start_failed: return "stopped: " + next + " failed to start: " + detail_;
    case Stop::oom_kill: return "stopped: the OOM killer took " + detail_ + " while " + next + " started";
    case Stop::count_cap: return "stopped at the cap of " + std::to_string(count_) + " containers: at least that many fit";
    case Stop::time_cap: return "stopped at the time limit: at least " + std::to_string(count_) + " fit";
    case Stop::interrupted: return "interrupted";
  }
  return "?";
}

void measure_density_row(Workspace& ws, Recorder& recorder) {
  for (const RuntimeContender& rt : ws.runtimes()) {
    if (!rt.missing.empty() || interrupted()) continue;
    auto done = run_density(ws, rt, recorder);
    if (!done) {
      recorder.fail(Row::density, rt.name, "failed: " + done.error().message());
      std::cerr << "container-rows: density, " << rt.name << " failed: " << done.error().message() << "\n";
    }
    recorder.save();
  }
}

}  // namespace deploylab::bench
