// bench/tradeoff/plan.h: what `make bench` runs, in order: one step per row benchmark, each a
// command of its own that writes JSON, with the time it is expected to take (for the progress
// bar) and a limit. Quick runs (`make bench QUICK=1`, a classroom's two minutes) take few samples
// of small workloads; full runs take enough for a stable median. Pure: make_plan() builds argv.
//
//   containers  container-bench: each runtime's `run` of /bin/true (start-up; full: memory floor)
//   container-rows  first output, memory per instance, density, CPU, disk (minictr, crun, runc, host)
//   isolation   isolation-rows: kernel, boot id, syscall census and escape tests per runtime
//   network     net-bench: loopback, host -> container, container -> container, published port
//   exits       minivmm bench-exits on this machine's own KVM (row 3, natively)
//   vms         vm-rows (every VM row, minivmm and QEMU microvm), natively on hardware KVM, else
//               inside vmhost together with a second bench-exits there
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"

namespace deploylab::bench {

enum class OutputFormat { measurements, container_bench, net_bench };

struct StepOutput {
  std::filesystem::path path;
  OutputFormat format = OutputFormat::measurements;
};

// Who a step measures, so a step that fails outright still leaves an empty cell with the reason.
struct Contender {
  Column column;
  std::string name;
  std::string place;
};

struct StepSpec {
  std::string name;  // "container-rows"
  std::string what;  // for the progress line: "containers: memory, density, CPU, disk"
  std::vector<std::string> argv;
  std::vector<StepOutput> outputs;
  double estimate_s = 10;
  std::chrono::seconds timeout{600};
  std::string skip_reason;  // not empty: the step is not run, and this says why
  std::vector<Row> rows;
  std::vector<Contender> contenders;
};

struct PlanOptions {
  bool quick = false;
  int rounds = 0;                     // 0: each benchmark's own count for the mode
  std::filesystem::path build;        // the build directory (binaries in build/bin)
  std::filesystem::path raw;          // where the steps write their JSON (inside `build`)
  std::string vm_place = "native";    // "native" or "vmhost" (results.h MachineInfo::vm_place)
  bool kvm_device = true;             // /dev/kvm exists
  std::vector<std::string> only;      // step names to run; empty: all
};

std::vector<StepSpec> make_plan(const PlanOptions& options);

// The names make_plan() knows, for --only's error message.
std::vector<std::string> step_names();

}  // namespace deploylab::bench
