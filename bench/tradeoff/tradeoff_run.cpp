// bench/tradeoff/tradeoff_run.cpp: the whole `make bench` run (tradeoff_run.h).
#include "bench/tradeoff/tradeoff_run.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "bench/tradeoff/adapters.h"
#include "bench/tradeoff/interrupt.h"
#include "bench/tradeoff/plan.h"
#include "bench/tradeoff/plots.h"
#include "bench/tradeoff/report.h"
#include "bench/tradeoff/results.h"
#include "bench/tradeoff/step_runner.h"
#include "common/cpu_info.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

Result<std::vector<Measurement>> read_output(const StepOutput& output) {
  if (output.format == OutputFormat::measurements) return read_measurements(output.path.string());
  std::string text = DL_TRY(read_file(output.path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error::invalid("not valid JSON", output.path.string(), "run the step again");
  return output.format == OutputFormat::container_bench ? from_container_bench(j) : from_net_bench(j);
}

// What a finished step measured. A step that wrote nothing leaves an empty cell per contender
// and row, saying why, so the table shows the gap instead of hiding it.
std::vector<Measurement> collect(const StepSpec& step, const std::string& why_empty, std::vector<std::string>& problems) {
  std::vector<Measurement> out;
  bool any = false;
  for (const StepOutput& output : step.outputs) {
    if (!fs::exists(output.path)) continue;
    auto ms = read_output(output);
    if (!ms.ok()) {
      problems.push_back(ms.error().message());
      continue;
    }
    any = true;
    out.insert(out.end(), ms.value().begin(), ms.value().end());
  }
  if (!any)
    for (const Contender& c : step.contenders) {
      auto cells = missing_cells(step.rows, c.column, c.name, c.place, why_empty);
      out.insert(out.end(), cells.begin(), cells.end());
    }
  return out;
}

Result<void> save(const Results& results, const fs::path& out) {
  return write_file_atomic(out / "results.json", results_to_json(results).dump(1) + "\n");
}

// Runs a step (or notes why it cannot) and adds what it measured to `measurements`.
StepOutcome run_one(const StepSpec& step, const fs::path& out, ProgressState progress, Display display,
                    std::vector<Measurement>& measurements) {
  StepOutcome outcome{step.name, StepStatus::skipped, 0, step.skip_reason, (out / "logs" / (step.name + ".log")).string()};
  if (!step.skip_reason.empty()) {
  } else if (::access(step.argv[0].c_str(), X_OK) != 0) {
    outcome.status = StepStatus::failed;
    outcome.detail = step.argv[0] + " is missing: build it with `make build`";
  } else if (auto run = run_step(step, outcome.log, progress, display); !run.ok()) {
    outcome.status = StepStatus::failed;
    outcome.detail = run.error().message();
  } else {
    const StepRun& r = run.value();
    outcome.seconds = r.seconds;
    outcome.status = r.interrupted ? StepStatus::interrupted : r.status.success() ? StepStatus::ok : StepStatus::failed;
    if (r.timed_out) outcome.detail = "stopped at its time limit of " + std::to_string(step.timeout.count()) + " s";
    else if (outcome.status != StepStatus::ok) outcome.detail = r.status.describe() + ": " + r.last_line;
  }
  std::string why = outcome.status == StepStatus::skipped
                        ? outcome.detail
                        : step.name + " " + to_string(outcome.status) + (outcome.detail.empty() ? "" : " (" + outcome.detail + ")") +
                              "; its output is in " + outcome.log;
  std::vector<std::string> problems;
  auto got = collect(step, why, problems);
  measurements.insert(measurements.end(), got.begin(), got.end());
  for (const std::string& p : problems) outcome.detail += (outcome.detail.empty() ? "" : "; ") + p;
  return outcome;
}

void announce(const StepSpec& step, int number, int steps, Display display) {
  if (display == Display::lines)
    std::cerr << "==> " << number << "/" << steps << " " << step.name << ": " << step.what << " (about "
              << format_minutes(step.estimate_s) << ")\n" << std::flush;
}

void report_step(const StepOutcome& outcome, Display display) {
  if (display == Display::bar) std::cerr << "\r\x1b[K";
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f s", outcome.seconds);
  std::cerr << "    " << outcome.name << ": " << to_string(outcome.status) << (outcome.seconds > 0 ? " in " + std::string(secs) : "")
            << (outcome.detail.empty() ? "" : " - " + outcome.detail) << "\n" << std::flush;
}

// tradeoff.md, tradeoff.csv and the plots, from `results` alone.
int render(const Results& results, const fs::path& out) {
  std::vector<std::string> plots;
  auto made = write_plots(results.measurements, out / "plots");
  if (made.ok()) plots = made.value();
  else std::cerr << "plots: " << made.error().message() << "\n";
  auto md = write_file_atomic(out / "tradeoff.md", render_markdown(results, plots));
  auto csv = write_file_atomic(out / "tradeoff.csv", render_csv(results));
  for (const auto* r : {&md, &csv})
    if (!r->ok()) {
      std::cerr << "tradeoff-bench: " << r->error().message() << "\n";
      return 1;
    }
  std::cout << "\nThe lecture's tradeoff table, checked on this machine:\n\n" << render_console_summary(results)
            << "\nThe table: " << (out / "tradeoff.md").string() << "\nThe figures: " << (out / "tradeoff.csv").string()
            << " and " << (out / "results.json").string() << " (every sample)\n";
  if (!plots.empty()) std::cout << "The plots: " << (out / "plots").string() << "/ (" << plots.size() << " PNG and SVG files)\n";
  return 0;
}

// On a machine whose KVM cannot boot Linux, the VM rows ran inside vmhost: the native line of each
// says so, so the VM columns show both places and never look as if the native run was forgotten.
std::vector<Measurement> native_vm_gaps(const MachineInfo& machine) {
  if (machine.vm_place != "vmhost") return {};
  std::string reason = "not measurable natively: " + machine.virt_finding +
                       ". The VM figures of this row were measured inside vmhost (the lines marked so).";
  std::vector<Measurement> out;
  for (const char* vmm : {"minivmm", "qemu"}) {
    auto cells = missing_cells({Row::startup, Row::memory, Row::density, Row::cpu, Row::disk, Row::network, Row::isolation},
                               Column::vm, vmm, "native", reason);
    for (Measurement& m : cells) m.label = "(natively, on this machine's KVM)";
    out.insert(out.end(), cells.begin(), cells.end());
  }
  return out;
}

Result<Results> load_results(const fs::path& out) {
  std::string text = DL_TRY(read_file(out / "results.json"));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error::invalid("not valid JSON", (out / "results.json").string(), "run `make bench` again");
  return results_from_json(j);
}

}  // namespace

int run_tradeoff(const TradeoffOptions& o) {
  if (o.report_only) {
    auto results = load_results(o.out);
    if (!results.ok()) {
      std::cerr << "tradeoff-bench: " << results.error().message() << "\n";
      return 1;
    }
    return render(results.value(), o.out);
  }
  std::error_code ec;
  fs::remove_all(o.out / "raw", ec);  // a step that fails must not leave an older run's figures in
  for (const char* dir : {"raw", "logs"}) fs::create_directories(o.out / dir, ec);
  Results results;
  results.quick = o.quick;
  results.machine = gather_machine_info();
  PlanOptions plan_options{o.quick, o.rounds, o.build, o.out / "raw", results.machine.vm_place, fs::exists("/dev/kvm"), o.only};
  std::vector<StepSpec> plan = make_plan(plan_options);
  results.measurements = native_vm_gaps(results.machine);
  Display display = ::isatty(STDERR_FILENO) ? Display::bar : Display::lines;
  ProgressState progress;
  progress.steps = static_cast<int>(plan.size());
  for (const StepSpec& s : plan) progress.total_estimate += s.skip_reason.empty() ? s.estimate_s : 0;
  auto started = std::chrono::steady_clock::now();
  catch_interrupts();
  int status = 0;
  for (const StepSpec& step : plan) {
    if (interrupted()) break;
    ++progress.step;
    progress.name = step.name;
    progress.step_estimate = step.skip_reason.empty() ? step.estimate_s : 0;
    progress.run_elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    announce(step, progress.step, progress.steps, display);
    StepOutcome outcome = run_one(step, o.out, progress, display, results.measurements);
    report_step(outcome, display);
    if (outcome.status == StepStatus::failed) status = 1;
    results.interrupted = results.interrupted || outcome.status == StepStatus::interrupted;
    results.steps.push_back(outcome);
    progress.done_estimate += progress.step_estimate;
    if (auto saved = save(results, o.out); !saved.ok()) std::cerr << "tradeoff-bench: " << saved.error().message() << "\n";
  }
  results.interrupted = results.interrupted || interrupted();
  results.machine.load_after = load_average_line();
  if (auto saved = save(results, o.out); !saved.ok()) {
    std::cerr << "tradeoff-bench: " << saved.error().message() << "\n";
    return 1;
  }
  int rendered = render(results, o.out);
  if (results.interrupted) {
    std::cerr << "\nInterrupted: every step has cleaned up after itself; what was measured is above.\n";
    return 130;
  }
  return status != 0 ? status : rendered;
}

}  // namespace deploylab::bench
