// bench/containers/container_rows.cpp: the order of container-rows' work (container_rows.h).
// Read run_container_rows() as the table of contents.
#include "bench/containers/container_rows.h"

#include <sys/prctl.h>

#include <chrono>
#include <iostream>

#include "bench/containers/density.h"
#include "bench/containers/first_output.h"
#include "bench/containers/instance_memory.h"
#include "bench/tradeoff/interrupt.h"
#include "bench/containers/recorder.h"
#include "bench/containers/row_cells.h"
#include "bench/containers/rows_workspace.h"
#include "bench/containers/timed_command.h"
#include "bench/containers/workload_runs.h"
#include "common/cpu_info.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> runtime_names(const RowsOptions& options) {
  std::vector<std::string> names;
  for (OciRuntime runtime : options.runtimes) names.push_back(to_string(runtime));
  return names;
}

CellContext cell_context(const RowsOptions& options) {
  CellContext context{options.sizes};
  auto mode = ctr::detect_cgroup_mode();
  if (mode && ctr::version_for(mode.value()) == ctr::CgroupVersion::v2) context.memory_source = CellContext::kV2MemorySource;
  return context;
}

Recorder empty_recorder(const RowsOptions& options) {
  return Recorder(options.json.string(), "container-rows", all_cells(runtime_names(options), cell_context(options)));
}

// A runtime that is not there leaves every one of its cells empty with the reason.
void mark_missing_runtimes(const Workspace& ws, Recorder& recorder) {
  for (const RuntimeContender& rt : ws.runtimes()) {
    if (rt.missing.empty()) continue;
    for (Row row : {Row::startup, Row::memory, Row::density, Row::cpu, Row::disk}) recorder.fail(row, rt.name, rt.missing);
    std::cerr << "container-rows: " << rt.missing << "\n";
  }
}

struct Step {
  const char* name;
  void (*measure)(Workspace&, Recorder&);
};

constexpr Step kSteps[] = {
    {"startup", measure_startup_row}, {"memory", measure_memory_row}, {"density", measure_density_row},
    {"cpu", measure_cpu_row},         {"disk", measure_disk_row},
};

// Every row in turn, each timed on stderr; an exception from one row empties its cells and the
// next row goes on.
void run_steps(Workspace& ws, Recorder& recorder) {
  for (const Step& step : kSteps) {
    if (interrupted()) return;
    auto start = Clock::now();
    std::cerr << "container-rows: " << step.name << "...\n";
    try {
      step.measure(ws, recorder);
    } catch (const std::exception& e) {
      std::cerr << "container-rows: " << step.name << " failed: " << e.what() << "\n";
      recorder.finish(std::string("failed: ") + e.what());
    }
    recorder.save();
    std::cerr << "container-rows: " << step.name << " took "
              << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
  }
}

}  // namespace

int run_container_rows(const RowsOptions& options) {
  catch_interrupts();
  // Containers whose runtime has exited (after `create`) become our children, and we reap them.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  Recorder recorder = empty_recorder(options);
  std::cerr << "container-rows: " << machine_line() << "; " << load_average_line() << "\n";
  {
    auto ws = Workspace::create(options);
    if (!ws) {
      recorder.finish("container-rows could not set up: " + ws.error().message());
      recorder.save();
      std::cerr << "container-rows: " << ws.error().message() << "\n";
      return 1;
    }
    for (const std::string& line : ws.value()->about()) std::cerr << "container-rows: " << line << "\n";
    mark_missing_runtimes(*ws.value(), recorder);
    recorder.save();
    run_steps(*ws.value(), recorder);
    if (interrupted()) std::cerr << "container-rows: interrupted; deleting containers and removing the scratch directory\n";
  }  // the workspace goes: leftover containers deleted, scratch directory removed
  reap_exited_children();
  recorder.finish(interrupted() ? "interrupted (SIGINT/SIGTERM) before it was measured" : "not measured");
  recorder.save();
  return interrupted() ? kInterruptedExit : 0;
}

int refuse_without_root(const RowsOptions& options) {
  const char* why = "container-rows must run as root (it makes namespaces, mounts and cgroups): sudo container-rows ...";
  std::cerr << why << "\n";
  Recorder recorder = empty_recorder(options);
  recorder.finish(why);
  recorder.save();
  return 1;
}

}  // namespace deploylab::bench
