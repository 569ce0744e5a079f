// containers/cgroups/cgroup.cpp: Cgroup, creating, filling, limiting, killing and removing one
// container's cgroup under v1 or v2 (see cgroup.h for the contract).
#include "containers/cgroups/cgroup.h"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "common/log.h"
#include "containers/cgroups/cgroup_files.h"
#include "containers/cgroups/stat_parsers.h"

namespace deploylab::ctr {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// How long kill_all(SIGKILL) waits for the cgroup to empty. SIGKILL cannot be caught, but a
// process in uninterruptible sleep (D state) dies only when its I/O ends.
constexpr auto kKillDeadline = 5s;
// How long destroy() waits for processes that are exiting to leave the cgroup.
constexpr auto kExitPatience = 1s;

// kill(2) for each pid; one that exited meanwhile (ESRCH) is not an error.
Result<void> signal_pids(const std::vector<pid_t>& pids, int signal) {
  for (pid_t pid : pids) {
    if (::kill(pid, signal) == 0 || errno == ESRCH) continue;
    int error = errno;
    return Error::os("kill", "pid " + std::to_string(pid), error);
  }
  return {};
}

void warn_if_swap_ignored(const Resources& resources, const WriteContext& context) {
  if (context.swap == SwapAccounting::available || !resources.memory.swap) return;
  spdlog::warn("this kernel does not account swap per cgroup (boot with swapaccount=1, or "
               "cgroup v2 with CONFIG_MEMCG_SWAP): linux.resources.memory.swap is ignored");
}

}  // namespace

Result<Cgroup> Cgroup::create(const CgroupLayout& layout, std::string_view path, const Resources& resources) {
  fs::path relative = DL_TRY(normalize_cgroup_path(path));
  std::string what = "creating cgroup " + relative.string();
  // Before any mkdir: a config that no kernel accepts leaves nothing to undo.
  DL_TRY(validate_resources(resources).context(what));
  Cgroup cgroup(layout.version(), CgroupOwnership::owned, relative);
  // From here on, an early return destroys `cgroup`, and with it every directory made so far.
  DL_TRY(make_cgroup_directories(layout, relative, cgroup.dirs_).context(what));
  DL_TRY(cgroup.apply(resources).context(what));
  spdlog::debug("created cgroup {} ({}) in {} directories", relative.string(), to_string(cgroup.version_),
                cgroup.dirs_.leaves.size());
  return Result<Cgroup>(std::move(cgroup));
}

Result<Cgroup> Cgroup::open(const CgroupLayout& layout, std::string_view path, CgroupOwnership ownership) {
  fs::path relative = DL_TRY(normalize_cgroup_path(path));
  Cgroup cgroup(layout.version(), CgroupOwnership::borrowed, relative);
  cgroup.dirs_ = DL_TRY(find_cgroup_directories(layout, relative).context("opening cgroup " + relative.string()));
  cgroup.ownership_ = ownership;
  return Result<Cgroup>(std::move(cgroup));
}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : version_(other.version_),
      ownership_(std::exchange(other.ownership_, CgroupOwnership::borrowed)),
      relative_(std::move(other.relative_)),
      dirs_(std::exchange(other.dirs_, {})) {}

Cgroup& Cgroup::operator=(Cgroup&& other) noexcept {
  if (this == &other) return *this;
  drop();
  version_ = other.version_;
  ownership_ = std::exchange(other.ownership_, CgroupOwnership::borrowed);
  relative_ = std::move(other.relative_);
  dirs_ = std::exchange(other.dirs_, {});
  return *this;
}

Cgroup::~Cgroup() { drop(); }

void Cgroup::drop() noexcept {
  if (ownership_ != CgroupOwnership::owned || dirs_.leaves.empty()) return;
  try {
    if (auto killed = kill_all(SIGKILL); !killed) spdlog::warn("{}", killed.error().message());
    if (auto removed = destroy(); !removed) spdlog::warn("{}", removed.error().message());
  } catch (const std::exception& e) {
    spdlog::warn("removing cgroup {}: {}", relative_.string(), e.what());
  }
}

std::optional<fs::path> Cgroup::directory_of(std::string_view controller) const {
  auto it = dirs_.by_controller.find(std::string(controller));
  if (it == dirs_.by_controller.end()) return std::nullopt;
  return it->second;
}

Result<fs::path> Cgroup::controller_directory(const std::string& controller) const {
  if (auto dir = directory_of(controller)) return *dir;
  return Error::invalid("no " + controller + " controller for cgroup " + relative_.string(), {},
                        version_ == CgroupVersion::v1
                            ? "no v1 hierarchy holds it: see the cgroup mounts in /proc/self/mountinfo"
                            : "it is not in the root's cgroup.controllers: the kernel lacks it or "
                              "it is bound to a v1 hierarchy");
}

// The state resource_writes needs: whether swap is accounted, and (v1) the current limit.
Result<WriteContext> Cgroup::write_context() const {
  WriteContext context;
  auto memory = directory_of("memory");
  if (!memory) return context;
  if (version_ == CgroupVersion::v2) {
    if (!cgroup_file_exists(*memory, "memory.swap.max")) context.swap = SwapAccounting::unavailable;
    return context;
  }
  if (!cgroup_file_exists(*memory, "memory.memsw.limit_in_bytes")) context.swap = SwapAccounting::unavailable;
  std::string text = DL_TRY(read_cgroup_file(*memory, "memory.limit_in_bytes"));
  auto limit = DL_TRY(parse_single_value(text));
  if (limit && v1_memory_limit(*limit)) context.current_memory_limit = static_cast<std::int64_t>(*limit);
  return context;
}

Result<void> Cgroup::apply(const Resources& resources) {
  WriteContext context = DL_TRY(write_context());
  warn_if_swap_ignored(resources, context);
  auto writes = DL_TRY(plan_writes(resources, version_, context));
  for (const CgroupWrite& write : writes) {
    fs::path dir = DL_TRY(controller_directory(write.controller));
    DL_TRY(write_cgroup_file(dir, write.file, write.value));
  }
  return {};
}

Result<void> Cgroup::add_process(pid_t pid) {
  for (const fs::path& dir : dirs_.leaves) {
    DL_TRY(write_cgroup_file(dir, "cgroup.procs", std::to_string(pid))
               .context("adding process " + std::to_string(pid) + " to cgroup " + relative_.string()));
  }
  return {};
}

Result<void> Cgroup::update(const Resources& resources) {
  return apply(resources).context("updating cgroup " + relative_.string());
}

// Under v1 every hierarchy lists the same processes (add_process joins them all); pids' is
// the one whose count pids.max limits.
fs::path Cgroup::procs_directory() const {
  if (auto pids = directory_of("pids")) return *pids;
  return dirs_.leaves.empty() ? fs::path() : dirs_.leaves.front();
}

Result<std::vector<pid_t>> Cgroup::processes() const {
  std::string text = DL_TRY(read_cgroup_file(procs_directory(), "cgroup.procs"));
  return parse_pid_list(text);
}

Result<void> Cgroup::kill_all(int signal) {
  std::string what = "killing the processes of cgroup " + relative_.string();
  if (signal != SIGKILL) {
    // One pass: a process may catch the signal and go on (SIGTERM asks; SIGKILL tells).
    return signal_pids(DL_TRY(processes().context(what)), signal).context(what);
  }
  fs::path dir = procs_directory();
  // cgroup.kill (v2, Linux 5.14+) has the kernel kill the whole subtree at once, so nothing can
  // fork away between reading the list and signalling it. Without it we loop: read, kill, read.
  if (version_ == CgroupVersion::v2 && cgroup_file_exists(dir, "cgroup.kill")) {
    DL_TRY(write_cgroup_file(dir, "cgroup.kill", "1").context(what));
  }
  return kill_until_empty().context(what);
}

// SIGKILL to every listed pid until cgroup.procs is empty. Each round catches the children
// forked since the last read; killed processes leave the list as they exit (zombies are not
// listed). A pid could in theory be reused by an unrelated process between read and kill;
// v1's freezer or v2's cgroup.kill close that window, at the cost of more machinery.
Result<void> Cgroup::kill_until_empty() {
  auto deadline = std::chrono::steady_clock::now() + kKillDeadline;
  for (;;) {
    std::vector<pid_t> pids = DL_TRY(processes());
    if (pids.empty()) return {};
    if (std::chrono::steady_clock::now() > deadline) {
      return Error::invalid(std::to_string(pids.size()) + " processes still alive 5 s after SIGKILL",
                            (procs_directory() / "cgroup.procs").string(),
                            "a process in uninterruptible sleep (state D in ps) dies only when its I/O ends");
    }
    DL_TRY(signal_pids(pids, SIGKILL));
    std::this_thread::sleep_for(10ms);
  }
}

// Processes killed a moment ago may still be on their way out: give them up to a second
// (one wait for all directories, not one per directory). Errors are left to rmdir to report.
void Cgroup::wait_for_exits() const {
  auto deadline = std::chrono::steady_clock::now() + kExitPatience;
  for (;;) {
    auto pids = processes();
    if (!pids.ok() || pids.value().empty() || std::chrono::steady_clock::now() > deadline) return;
    std::this_thread::sleep_for(10ms);
  }
}

Result<void> Cgroup::destroy() {
  wait_for_exits();
  std::optional<Error> first_error;
  std::vector<fs::path> left;
  for (const fs::path& dir : dirs_.leaves) {
    auto removed = remove_cgroup_directory(dir, 100ms);
    if (removed) continue;
    if (!first_error) first_error = std::move(removed).error();
    left.push_back(dir);
  }
  dirs_.leaves = std::move(left);
  if (first_error) return std::move(first_error->with_context("removing cgroup " + relative_.string()));
  // Parents create() made, innermost first. One that now holds another container's cgroup
  // stays (rmdir fails with EBUSY), which is what we want.
  for (auto it = dirs_.created_parents.rbegin(); it != dirs_.created_parents.rend(); ++it) ::rmdir(it->c_str());
  dirs_.created_parents.clear();
  dirs_.by_controller.clear();
  return {};
}

Result<CgroupStats> Cgroup::stats() const {
  return read_cgroup_stats(version_, dirs_.by_controller)
      .context("reading the statistics of cgroup " + relative_.string());
}

}  // namespace deploylab::ctr
