// bench/containers/workload_runs.cpp: compute-kernel and io-probe on the host and in containers
// (workload_runs.h).
#include "bench/containers/workload_runs.h"

#include <functional>
#include <iostream>

#include "bench/tradeoff/interrupt.h"
#include "bench/containers/overlay_bundle.h"
#include "bench/containers/row_cells.h"
#include "bench/containers/timed_command.h"
#include "bench/containers/workload_output.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

// One contender of a row: its name and how to run the workload once, returning its output.
struct Entry {
  std::string name;
  std::function<Result<std::string>()> run;
  bool failed = false;
};

// Runs argv to its end (in `ns` if set) and returns what it printed; an error unless it exited 0.
Result<std::string> output_of(const Workspace& ws, const std::vector<std::string>& argv, const PrivateMountNamespace* ns) {
  CommandSetup setup{ws.scratch() / "logs" / "workload.log", ns, ws.options().timeout};
  TimedCommand done = DL_TRY(run_timed(argv, setup));
  if (!done.status.success()) {
    return Error::invalid(done.status.describe() + ": " + done.output.substr(0, 400), shell_words(argv));
  }
  return done.output;
}

// `RUNTIME run` of `bundle` with a fresh id; no container is left whatever happens.
Result<std::string> run_in_container(Workspace& ws, const RuntimeContender& rt, const fs::path& bundle) {
  std::string id = ws.next_id(rt);
  auto output = output_of(ws, run_argv(rt.who.command, bundle, id), rt.who.mount_ns);
  remove_leftover(ws.setup_for(bundle), rt.who, id);
  reap_exited_children();
  return output;
}

// Runs every round of a row: each entry once a round, in turns; `record` parses an output and
// adds its samples, or says why it cannot.
void run_rounds(Recorder& recorder, Row row, int rounds, std::vector<Entry>& entries,
                const std::function<Result<void>(const std::string&, const std::string&)>& record) {
  for (int round = 0; round < rounds && !interrupted(); ++round) {
    for (std::size_t i : round_order(entries.size(), round)) {
      Entry& entry = entries[i];
      if (entry.failed || interrupted()) continue;
      auto output = entry.run();
      auto recorded = output ? record(entry.name, output.value()) : Result<void>(output.error());
      if (recorded) continue;
      entry.failed = true;
      recorder.fail(row, entry.name, "failed: " + recorded.error().message());
      std::cerr << "container-rows: " << to_string(row) << ", " << entry.name << " failed: " << recorded.error().message() << "\n";
    }
    recorder.save();
  }
}

// The runtimes that can be measured.
std::vector<const RuntimeContender*> available(const Workspace& ws) {
  std::vector<const RuntimeContender*> found;
  for (const RuntimeContender& rt : ws.runtimes()) {
    if (rt.missing.empty()) found.push_back(&rt);
  }
  return found;
}

// A workload binary that is not there empties its row, with the command that builds it.
bool workload_missing(const Workspace& ws, Recorder& recorder, Row row, const fs::path& program) {
  if (fs::exists(program)) return false;
  std::string why = program.filename().string() + " is not built (" + program.string() + "): cmake --build BUILD --target " +
                    program.filename().string();
  recorder.fail(row, kHost, why);
  for (const RuntimeContender& rt : ws.runtimes()) recorder.fail(row, rt.name, why);
  return true;
}

std::vector<std::string> io_args(const std::string& program, const std::string& dir, const RowSizes& sizes) {
  return {program, "--dir", dir, "--mebibytes", std::to_string(sizes.io_mebibytes), "--random-ops",
          std::to_string(sizes.io_random_ops)};
}

// One io-probe run in a container on a fresh overlay root.
Result<std::string> disk_in_container(Workspace& ws, const RuntimeContender& rt) {
  std::string name = ws.next_id(rt);
  OverlayMount root = DL_TRY(OverlayMount::mount(ws.scratch() / ("overlay-" + name), ws.rootfs(), rt.who.mount_ns));
  auto config = ws.config_on(root.merged(), RootAccess::writable, io_args("/io-probe", "/bench-io", ws.options().sizes));
  config = with_bind_mount(std::move(config), ws.options().io_probe, "/io-probe");
  fs::path bundle = DL_TRY(ws.write_bundle("disk-" + name, config));
  return run_in_container(ws, rt, bundle);
}

Result<void> record_io(Recorder& recorder, const std::string& who, const std::string& output) {
  IoOutput io = DL_TRY(parse_io_output(output));
  recorder.add(Row::disk, "seq_write", who, io.seq_write_mbps);
  recorder.add(Row::disk, "seq_read", who, io.seq_read_mbps);
  recorder.add(Row::disk, "rand_read", who, io.rand_read_iops);
  recorder.add(Row::disk, "rand_write", who, io.rand_write_iops);
  if (!io.direct) {
    const char* note = "direct=no: the file system refused O_DIRECT, reads may have come from the page cache";
    recorder.cell(Row::disk, "seq_read", who).text = note;
    recorder.cell(Row::disk, "rand_read", who).text = note;
  }
  return {};
}

}  // namespace

void measure_cpu_row(Workspace& ws, Recorder& recorder) {
  const RowsOptions& options = ws.options();
  if (workload_missing(ws, recorder, Row::cpu, options.compute_kernel)) return;
  std::string millions = std::to_string(options.sizes.compute_millions);
  std::vector<Entry> entries;
  std::vector<std::string> host_argv{options.compute_kernel.string(), "--millions", millions};
  entries.push_back({kHost, [&ws, host_argv] { return output_of(ws, host_argv, nullptr); }});
  auto config = with_bind_mount(ws.config({"/compute-kernel", "--millions", millions}), options.compute_kernel, "/compute-kernel");
  auto bundle = ws.write_bundle("compute", config);
  for (const RuntimeContender* rt : available(ws)) {
    if (!bundle) return recorder.fail(Row::cpu, rt->name, bundle.error().message());
    entries.push_back({rt->name, [&ws, rt, dir = bundle.value()] { return run_in_container(ws, *rt, dir); }});
  }
  std::string checksum;  // the first run's: every other run must print the same
  run_rounds(recorder, Row::cpu, options.sizes.cpu_rounds, entries, [&](const std::string& who, const std::string& output) -> Result<void> {
    ComputeOutput compute = DL_TRY(parse_compute_output(output));
    if (checksum.empty()) checksum = compute.checksum;
    if (compute.checksum != checksum) {
      return Error::invalid("checksum " + compute.checksum + " differs from the first run's " + checksum + ": not the same work", who);
    }
    recorder.add(Row::cpu, "compute", who, compute.ms);
    return {};
  });
}

void measure_disk_row(Workspace& ws, Recorder& recorder) {
  const RowsOptions& options = ws.options();
  if (workload_missing(ws, recorder, Row::disk, options.io_probe)) return;
  fs::path host_dir = ws.scratch() / "host-io";
  fs::create_directories(host_dir);
  std::vector<Entry> entries;
  std::vector<std::string> host_argv = io_args(options.io_probe.string(), host_dir.string(), options.sizes);
  entries.push_back({kHost, [&ws, host_argv] { return output_of(ws, host_argv, nullptr); }});
  for (const RuntimeContender* rt : available(ws)) {
    entries.push_back({rt->name, [&ws, rt] { return disk_in_container(ws, *rt); }});
  }
  run_rounds(recorder, Row::disk, options.sizes.disk_rounds, entries,
             [&recorder](const std::string& who, const std::string& output) { return record_io(recorder, who, output); });
}

}  // namespace deploylab::bench
