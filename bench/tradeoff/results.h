// bench/tradeoff/results.h: everything one `make bench` run produced, as results.json holds it:
// the machine's facts, each step's outcome and every Measurement with all its samples. The report
// (tradeoff.md, tradeoff.csv, plots) is rendered from this alone, so `tradeoff-bench --report-only`
// re-renders an old run and an interrupted run still has a report of what it measured.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/tradeoff/measurement.h"
#include "common/result.h"

namespace deploylab::bench {

struct MachineInfo {
  std::string cpu_model;     // "AMD EPYC 9B14"
  int cores = 0;
  std::string kernel;        // uname -r
  std::string virt_mode;     // hardware, nested, kvm_pvm, unknown_kvm, none
  std::string virt_finding;  // one line from vmhost::classify_virtualization
  std::string vm_place;      // where the VM rows ran: native or vmhost
  std::string cgroup_mode;   // legacy, hybrid, unified
  std::string load_before, load_after;
  std::string started;       // ISO 8601, UTC
};

enum class StepStatus { ok, failed, skipped, interrupted };
std::string to_string(StepStatus status);

struct StepOutcome {
  std::string name;
  StepStatus status = StepStatus::skipped;
  double seconds = 0;
  std::string detail;  // why it failed or was skipped; the log's last lines
  std::string log;     // the step's full output
};

struct Results {
  MachineInfo machine;
  bool quick = false;
  bool interrupted = false;
  std::vector<StepOutcome> steps;
  std::vector<Measurement> measurements;
};

nlohmann::ordered_json results_to_json(const Results& results);
Result<Results> results_from_json(const nlohmann::json& j);

// The machine's facts (I/O: /proc, /sys, uname; machine_info.cpp).
MachineInfo gather_machine_info();

}  // namespace deploylab::bench
