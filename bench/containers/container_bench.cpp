// bench/containers/container_bench.cpp: set-up, rounds, memory search and clean-up of the
// container benchmark (container_bench.h).
#include "bench/containers/container_bench.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>

#include "bench/containers/hybrid_cgroups.h"
#include "bench/containers/kernel_log.h"
#include "bench/containers/round.h"
#include "common/cpu_info.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

// What the whole run shares. Contestants point at `crun_ns`, so a Bench never moves.
struct Bench {
  const BenchOptions& options;
  TempDir scratch;
  RoundSetup setup;
  nlohmann::json spec;                      // `minictr spec`'s config.json, before our edits
  std::optional<PrivateMountNamespace> crun_ns;
  std::string crun_failure;                 // why crun cannot be measured at all, if it cannot
  std::vector<Contestant> contestants;      // one per options.runtimes, in that order
  std::vector<std::string> about;
  int serial = 0;                           // numbers the container ids

  std::string next_id(OciRuntime runtime) { return container_id(runtime, ::getpid(), ++serial); }
};

// A row of the table and how to take one sample of it (each with a fresh container id).
struct Row {
  Series series;
  std::function<Result<RoundSample>()> measure;
};

Result<void> write_config(const Bench& bench, std::optional<std::int64_t> memory_limit) {
  return write_file_atomic(bench.setup.bundle / "config.json", bench_config(bench.spec, memory_limit).dump(2) + "\n");
}

// BUNDLE/rootfs: a copy of the busybox rootfs; BUNDLE/config.json: `minictr spec`, edited.
Result<void> make_bundle(Bench& bench) {
  const BenchOptions& o = bench.options;
  if (!fs::exists(o.rootfs / "bin/busybox")) return Error::invalid("no busybox rootfs", o.rootfs.string(), "run make deps");
  fs::create_directories(bench.setup.bundle);
  fs::create_directories(bench.setup.scratch);
  DL_TRY(run_checked({"cp", "-a", o.rootfs.string(), (bench.setup.bundle / "rootfs").string()}));
  DL_TRY(run_checked({o.minictr.string(), "spec", "--bundle", bench.setup.bundle.string()}));
  bench.spec = nlohmann::json::parse(DL_TRY(read_file(bench.setup.bundle / "config.json")));
  return write_config(bench, std::nullopt);
}

fs::path binary_of(const BenchOptions& options, OciRuntime runtime) {
  switch (runtime) {
    case OciRuntime::minictr: return options.minictr;
    case OciRuntime::crun: return options.crun;
    case OciRuntime::runc: return options.runc;
  }
  return {};
}

// "crun version 1.8.1" from `crun --version`; minictr has no --version and is named by its path.
std::string version_of(const fs::path& binary, OciRuntime runtime) {
  if (runtime == OciRuntime::minictr) return "minictr (" + binary.string() + ")";
  auto out = run_checked({binary.string(), "--version"});
  if (!out) return to_string(runtime) + " (version unknown)";
  return out.value().substr(0, out.value().find('\n'));
}

// crun 1.8 refuses a hybrid cgroup layout: give it a mount namespace without the cgroup2 mount.
std::string prepare_crun(Bench& bench) {
  auto hybrid = hybrid_cgroup2_mount(read_file_or_empty("/proc/self/mountinfo"));
  if (!hybrid) return "cgroups: no hybrid layout; crun runs as it is";
  auto ns = PrivateMountNamespace::without(*hybrid);
  if (!ns) {
    bench.crun_failure = ns.error().message();
    return "cgroups: hybrid (cgroup2 at " + *hybrid + "); crun cannot be measured: " + bench.crun_failure;
  }
  bench.crun_ns.emplace(std::move(ns).value());
  return "cgroups: hybrid (v1 controllers + cgroup2 at " + *hybrid + "), which crun 1.8 refuses: crun runs in a "
         "private mount namespace without " + *hybrid + " (joined by setns before exec; not timed as crun's)";
}

void add_contestants(Bench& bench) {
  std::string versions;
  for (OciRuntime runtime : bench.options.runtimes) {
    fs::path root = bench.scratch / ("state-" + to_string(runtime));
    fs::create_directories(root);
    const PrivateMountNamespace* ns = runtime == OciRuntime::crun && bench.crun_ns ? &*bench.crun_ns : nullptr;
    fs::path binary = binary_of(bench.options, runtime);
    bench.contestants.push_back({{runtime, binary, root}, ns});
    versions += (versions.empty() ? "runtimes: " : "; ") + version_of(binary, runtime);
  }
  bench.about.push_back(versions);
}

std::vector<Row> make_rows(Bench& bench) {
  std::vector<Row> rows;
  for (const Contestant& who : bench.contestants) {
    std::string name = to_string(who.command.runtime);
    std::string failure = who.command.runtime == OciRuntime::crun ? bench.crun_failure : "";
    rows.push_back({{name, Mode::run, {}, failure},
                    [&bench, &who] { return measure_run(bench.setup, who, bench.next_id(who.command.runtime)); }});
    rows.push_back({{name, Mode::lifecycle, {}, failure},
                    [&bench, &who] { return measure_lifecycle(bench.setup, who, bench.next_id(who.command.runtime)); }});
  }
  rows.push_back({{"unshare -pfmnui --mount-proc true", Mode::command, {}, ""},
                  [&bench] { return measure_command(bench.setup, unshare_argv()); }});
  rows.push_back({{"true (fork+exec)", Mode::command, {}, ""}, [&bench] { return measure_command(bench.setup, true_argv()); }});
  return rows;
}

// One sample of `row`; a failure ends the row's rounds. `record` false: the warm-up round.
void take_sample(Row& row, bool record) {
  if (!row.series.failure.empty()) return;
  auto sample = row.measure();
  reap_exited_children();
  if (!sample) {
    row.series.failure = sample.error().message();
    std::cerr << "container-bench: " << row.series.name << " " << describe(row.series.mode) << " failed: "
              << row.series.failure << "\n";
    return;
  }
  if (record) row.series.samples.push_back(sample.value());
}

void run_rounds(const Bench& bench, std::vector<Row>& rows) {
  std::size_t n = rows.size();
  for (Row& row : rows) take_sample(row, false);  // the warm-up round
  int rounds = bench.options.rounds;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) take_sample(rows[(static_cast<std::size_t>(round) + i) % n], true);
    if ((round + 1) % 10 == 0 || round + 1 == rounds) {
      std::cerr << "container-bench: round " << round + 1 << "/" << rounds << " done\n";
    }
  }
}

// One attempt of the memory search: `RUNTIME run` of /bin/true under `limit`, and whether the
// kernel OOM-killed anything in its cgroup meanwhile.
Attempt attempt_under(Bench& bench, const Contestant& who, std::int64_t limit) {
  auto written = write_config(bench, limit);
  if (!written) return {Verdict::other_failure, written.error().message()};
  std::string id = bench.next_id(who.command.runtime);
  KernelLog kernel = KernelLog::open_at_end();
  auto done = run_once(bench.setup, who, id);
  reap_exited_children();
  if (!done) return {Verdict::other_failure, done.error().message()};
  return classify_run(done.value().status, done.value().output, find_oom_kill(kernel.read_new(), id));
}

std::vector<MemoryFloor> search_memory(Bench& bench) {
  std::vector<MemoryFloor> floors;
  for (const Contestant& who : bench.contestants) {
    if (who.command.runtime == OciRuntime::crun && !bench.crun_failure.empty()) continue;
    std::cerr << "container-bench: searching " << to_string(who.command.runtime) << "'s smallest memory limit\n";
    auto attempt = [&](std::int64_t limit) { return attempt_under(bench, who, limit); };
    floors.push_back({to_string(who.command.runtime), search_smallest_limit(bench.options.range, attempt)});
  }
  (void)write_config(bench, std::nullopt);
  return floors;
}

// Force-deletes whatever container is still in a state directory (none, unless a round failed
// in a way remove_leftover could not mend), then reaps what is left of them. It runs on every
// way out of run_container_bench, exceptions included, before the scratch directory goes.
struct CleanUp {
  const Bench& bench;
  explicit CleanUp(const Bench& b) : bench(b) {}
  CleanUp(const CleanUp&) = delete;
  CleanUp& operator=(const CleanUp&) = delete;
  ~CleanUp() {
    for (const Contestant& who : bench.contestants) {
      std::error_code ignored;
      for (const auto& entry : fs::directory_iterator(who.command.state_root, ignored)) {
        remove_leftover(bench.setup, who, entry.path().filename().string());
      }
    }
    reap_exited_children();
  }
};

}  // namespace

ContainerReport run_container_bench(const BenchOptions& options) {
  // Containers whose runtime exited (after `create`) become our children, not init's: we reap
  // them, and see /bin/true's exit status.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  TempDir scratch = TempDir::create("container-bench-").value();
  RoundSetup setup{scratch / "bundle", scratch / "logs", options.timeout};
  Bench bench{options, std::move(scratch), setup, {}, std::nullopt, "", {}, {}, 0};
  make_bundle(bench).value();
  bench.about.push_back(machine_line());
  bench.about.push_back("before: " + load_average_line());
  if (std::find(options.runtimes.begin(), options.runtimes.end(), OciRuntime::crun) != options.runtimes.end()) {
    bench.about.push_back(prepare_crun(bench));
  }
  add_contestants(bench);
  CleanUp clean_up{bench};
  bench.about.push_back("bundle: a copy of the busybox rootfs, `minictr spec`'s config.json with terminal off and "
                        "args [\"/bin/true\"], the same for every runtime");
  bench.about.push_back(std::to_string(options.rounds) + " rounds after 1 warm-up round, every row once a round, "
                        "interleaved (each round starts one row later); times are wall clock, fork to exit");
  std::vector<Row> rows = make_rows(bench);
  run_rounds(bench, rows);
  bench.about.push_back("after the rounds: " + load_average_line());
  ContainerReport report;
  for (Row& row : rows) report.series.push_back(std::move(row.series));
  if (options.memory == MemorySearch::run) report.memory = search_memory(bench);
  report.range = options.range;
  report.rounds = options.rounds;
  report.about = bench.about;
  return report;
}

}  // namespace deploylab::bench
