// bench/isolation/isolation_rows.cpp: the host's facts, the bundle, one container per runtime,
// clean-up (isolation_rows.h).
#include "bench/isolation/isolation_rows.h"

#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "bench/containers/hybrid_cgroups.h"
#include "bench/containers/private_mount_ns.h"
#include "bench/containers/round.h"
#include "bench/containers/rows_workspace.h"  // find_program
#include "bench/containers/runtimes.h"
#include "bench/containers/timed_command.h"
#include "bench/isolation/attacks.h"
#include "bench/isolation/isolation_facts.h"
#include "bench/tradeoff/interrupt.h"
#include "common/child_process.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab::bench::isolation {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInside = "/deploylab";  // where the rootfs holds our two programs

// Every Measurement so far, rewritten to the file after each contender.
struct Recorder {
  fs::path path;
  std::vector<Measurement> all;
  bool ok = true;

  void add(const std::vector<Measurement>& cells) {
    all.insert(all.end(), cells.begin(), cells.end());
    auto written = write_measurements(path.string(), "isolation-rows", all);
    if (written) return;
    ok = false;
    std::cerr << "isolation-rows: " << written.error().message() << "\n";
  }
};

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string host_release() {
  utsname names{};
  return ::uname(&names) == 0 ? names.release : "";
}

// The host column: the facts and an unfiltered census, made right here.
Observation observe_host(const RowsOptions& o, const std::string& host_boot_id) {
  Observation seen{"host", Column::host, host_release(), host_boot_id, host_boot_id, {}, std::nullopt};
  RunOptions run_options;
  run_options.timeout = o.timeout;
  auto done = run({o.census.string(), "--list"}, run_options);
  if (!done) {
    seen.census.problem = done.error().message();
    return seen;
  }
  std::optional<int> code = done.value().status.exited() ? std::optional(done.value().status.code) : std::nullopt;
  seen.census = read_census(done.value().out + done.value().err, code);
  return seen;
}

// What every container shares: the scratch directory, the bundle, the attacks' targets.
struct Stage {
  TempDir scratch;
  fs::path bundle;
  ChildProcess host_sleep;  // the host process the kill attack aims at
  std::vector<Attack> attacks;
  std::optional<PrivateMountNamespace> crun_ns;
  std::string crun_problem;
  std::vector<Contestant> contestants;  // the runtimes run so far, for the clean-up
  int serial = 0;

  Stage() = default;
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;
  // Containers go first (force-deleted if a run left one), then the sleep, then the directory.
  ~Stage() {
    for (const Contestant& who : contestants) {
      std::error_code ignored;
      for (const auto& entry : fs::directory_iterator(who.command.state_root, ignored)) {
        remove_leftover(round_setup(), who, entry.path().filename().string());
      }
    }
    reap_exited_children();
  }

  RoundSetup round_setup() const { return {bundle, scratch / "logs", std::chrono::milliseconds(10'000)}; }
};

// /proc files the spec masks, the first this kernel has.
std::string a_masked_file() {
  for (const char* path : {"/proc/timer_list", "/proc/keys", "/proc/sched_debug", "/proc/kcore"}) {
    if (fs::exists(path)) return path;
  }
  return {};
}

// BUNDLE/rootfs: the busybox rootfs plus /deploylab/{syscall-census,ctr_attack};
// BUNDLE/config.json: `minictr spec`, with the probe script as the process.
Result<void> make_bundle(const RowsOptions& o, Stage& stage) {
  if (!fs::exists(o.rootfs / "bin/busybox")) {
    return Error::invalid("no busybox rootfs", o.rootfs.string(), "run make deps");
  }
  fs::create_directories(stage.bundle);
  DL_TRY(run_checked({"cp", "-a", o.rootfs.string(), (stage.bundle / "rootfs").string()}));
  fs::path inside = stage.bundle / "rootfs" / fs::path(kInside).relative_path();
  fs::create_directories(inside);
  for (const fs::path& binary : {o.census, o.attacker}) {
    std::error_code failed;
    fs::copy_file(binary, inside / binary.filename(), fs::copy_options::overwrite_existing, failed);
    if (failed) return Error::os("copying into the rootfs", binary.string(), failed.value(), "build it first");
  }
  DL_TRY(run_checked({o.minictr.string(), "spec", "--bundle", stage.bundle.string()}));
  nlohmann::json spec = nlohmann::json::parse(DL_TRY(read_file(stage.bundle / "config.json")));
  nlohmann::json config = bench_config(spec, std::nullopt);
  std::string script = probe_script(std::string(kInside) + "/" + o.census.filename().string(),
                                    std::string(kInside) + "/" + o.attacker.filename().string(), stage.attacks);
  config["process"]["args"] = {"/bin/sh", "-c", script};
  return write_file_atomic(stage.bundle / "config.json", config.dump(2) + "\n");
}

Result<void> prepare_stage(const RowsOptions& o, Stage& stage) {
  stage.scratch = DL_TRY(TempDir::create("isolation-rows-"));
  stage.bundle = stage.scratch / "bundle";
  fs::path host_file = stage.scratch / "deploylab-host-only";
  DL_TRY(write_file_atomic(host_file, "only the host has this file\n"));
  SpawnOptions quiet;
  quiet.out = Stream::null;
  stage.host_sleep = DL_TRY(ChildProcess::spawn({"sleep", "600"}, std::move(quiet)));
  stage.attacks = escape_attacks({host_file.string(), stage.host_sleep.pid(), a_masked_file()});
  fs::create_directories(stage.scratch / "logs");
  return make_bundle(o, stage);
}

// crun 1.8 refuses a hybrid cgroup layout: it runs in a mount namespace without the cgroup2
// mount, as in container-bench (bench/containers/hybrid_cgroups.h).
void prepare_crun(Stage& stage) {
  auto hybrid = hybrid_cgroup2_mount(read_file_or_empty("/proc/self/mountinfo"));
  if (!hybrid) return;
  auto ns = PrivateMountNamespace::without(*hybrid);
  if (!ns) {
    stage.crun_problem = "crun cannot run on this hybrid cgroup layout: " + ns.error().message();
    return;
  }
  stage.crun_ns.emplace(std::move(ns).value());
}

std::string not_found(const std::string& name, const RowsOptions& o) {
  if (name == "minictr") {
    return "minictr is not built (" + o.minictr.string() + "): cmake --build BUILD --target minictr";
  }
  return name + " is not installed: apt install " + name;
}

fs::path binary_of(const RowsOptions& o, OciRuntime runtime) {
  if (runtime == OciRuntime::crun) return o.crun;
  if (runtime == OciRuntime::runc) return o.runc;
  return o.minictr;
}

// One runtime's container: `RUNTIME run` of the bundle, its output read back into facts.
Result<Observation> observe_container(const RowsOptions& o, Stage& stage, const Contestant& who,
                                      const std::string& host_boot_id) {
  std::string id = container_id(who.command.runtime, ::getpid(), ++stage.serial);
  CommandSetup command{stage.scratch / "logs" / (id + ".log"), who.mount_ns, o.timeout};
  auto done = run_timed(run_argv(who.command, stage.bundle, id), command);
  remove_leftover(stage.round_setup(), who, id);
  reap_exited_children();
  TimedCommand ran = DL_TRY(std::move(done));
  ProbeOutput out = parse_probe_output(ran.output);
  std::string name = to_string(who.command.runtime);
  if (out.kernel.empty()) {
    return Error::invalid(name + " run " + ran.status.describe() + ": " + ran.output.substr(0, 400), id);
  }
  Observation seen{name, Column::container, out.kernel, out.boot_id, host_boot_id, {}, std::vector<AttackResult>{}};
  auto census = out.steps.find("census");
  if (census == out.steps.end()) seen.census.problem = "the container stopped before syscall-census ran";
  if (census != out.steps.end()) seen.census = read_census(census->second.output, census->second.exit_code);
  for (const Attack& attack : stage.attacks) {
    auto step = out.steps.find(attack.name);
    seen.attacks->push_back(judge(attack.name, step == out.steps.end() ? nullptr : &step->second));
  }
  return seen;
}

// The runtime's binary, state directory and (crun) mount namespace; a reason when it cannot run.
Result<Contestant> contestant_for(const RowsOptions& o, Stage& stage, OciRuntime runtime) {
  std::string name = to_string(runtime);
  auto binary = find_program(binary_of(o, runtime));
  if (!binary) return Error::invalid(not_found(name, o));
  if (runtime == OciRuntime::crun && !stage.crun_ns && stage.crun_problem.empty()) prepare_crun(stage);
  if (runtime == OciRuntime::crun && !stage.crun_problem.empty()) return Error::invalid(stage.crun_problem);
  fs::path state = stage.scratch / ("state-" + name);
  fs::create_directories(state);
  const PrivateMountNamespace* ns = runtime == OciRuntime::crun && stage.crun_ns ? &*stage.crun_ns : nullptr;
  return Contestant{{runtime, *binary, state}, ns};
}

void log_observation(const Observation& seen, double seconds) {
  std::cerr << "isolation-rows: " << seen.contender << ": kernel " << seen.kernel << " (" << shares_kernel_text(seen)
            << "); syscalls: " << (seen.census.counts ? census_text(seen.census) : seen.census.problem);
  if (seen.attacks) std::cerr << "; escapes " << escapes_text(*seen.attacks);
  char took[32];
  std::snprintf(took, sizeof took, " [%.2f s]\n", seconds);
  std::cerr << took;
  if (!seen.attacks) return;
  for (const AttackResult& r : *seen.attacks) std::cerr << "    " << r.detail << "\n";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<Measurement> measure_runtime(const RowsOptions& o, Stage& stage, OciRuntime runtime,
                                         const std::string& host_boot_id) {
  std::string name = to_string(runtime);
  auto who = contestant_for(o, stage, runtime);
  if (!who) return missing_measurements(name, Column::container, who.error().message());
  stage.contestants.push_back(who.value());
  auto start = std::chrono::steady_clock::now();
  auto seen = observe_container(o, stage, stage.contestants.back(), host_boot_id);
  if (!seen) {
    std::cerr << "isolation-rows: " << name << " failed: " << seen.error().message() << "\n";
    return missing_measurements(name, Column::container, name + " could not run the probe: " + seen.error().message());
  }
  log_observation(seen.value(), seconds_since(start));
  return isolation_measurements(seen.value());
}

void run_containers(const RowsOptions& o, const std::vector<OciRuntime>& runtimes, const std::string& host_boot_id,
                    Recorder& recorder) {
  Stage stage;
  auto prepared = prepare_stage(o, stage);
  for (OciRuntime runtime : runtimes) {
    if (interrupted()) return;
    if (!prepared) {
      recorder.add(missing_measurements(to_string(runtime), Column::container,
                                        "could not make the bundle: " + prepared.error().message()));
      continue;
    }
    recorder.add(measure_runtime(o, stage, runtime, host_boot_id));
  }
}

std::vector<OciRuntime> runtimes_in(const std::vector<std::string>& contenders) {
  std::string list;
  for (const std::string& c : contenders) {
    if (c != "host") list += (list.empty() ? "" : ",") + c;
  }
  return list.empty() ? std::vector<OciRuntime>{} : parse_runtimes(list);
}

}  // namespace

int run_isolation_rows(const RowsOptions& o) {
  catch_interrupts();
  // Containers whose runtime exits before them become our children, not init's: we reap them.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  Recorder recorder{o.json, {}, true};
  std::string host_boot_id = trimmed(read_file_or_empty("/proc/sys/kernel/random/boot_id"));
  bool host = std::find(o.contenders.begin(), o.contenders.end(), "host") != o.contenders.end();
  if (host) {
    auto start = std::chrono::steady_clock::now();
    Observation seen = observe_host(o, host_boot_id);
    log_observation(seen, seconds_since(start));
    recorder.add(isolation_measurements(seen));
  }
  std::vector<OciRuntime> runtimes = runtimes_in(o.contenders);
  if (!runtimes.empty() && !interrupted()) run_containers(o, runtimes, host_boot_id, recorder);
  if (interrupted()) {
    std::cerr << "isolation-rows: interrupted; what was measured is in " << o.json << "; nothing left behind\n";
    return kInterruptedExit;
  }
  return recorder.ok ? 0 : 1;
}

}  // namespace deploylab::bench::isolation
