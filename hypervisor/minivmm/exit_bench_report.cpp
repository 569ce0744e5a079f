// hypervisor/minivmm/exit_bench_report.cpp: rendering the exit benchmark (see exit_bench_report.h).
#include "hypervisor/minivmm/exit_bench_report.h"

#include <fmt/format.h>

#include <cmath>

#include "common/text_table.h"

namespace deploylab::hv {

namespace {

constexpr double kOverheadGoal = 0.10;

const BenchRow* find_row(const BenchReport& report, const std::string& what) {
  for (const auto& row : report.rows) {
    if (row.what == what && row.skipped.empty()) return &row;
  }
  return nullptr;
}

TextTable make_table(const BenchReport& report) {
  TextTable table({"round trip", "median", "p10", "p90", "cycles", "x getpid", "per batch"});
  for (std::size_t column = 1; column < 7; ++column) table.set_alignment(column, Align::right);
  const BenchRow* syscall = find_row(report, kRowSyscall);
  for (const auto& row : report.rows) {
    if (!row.skipped.empty()) {
      table.add_row({row.what, "skipped", "", "", "", "", ""});
      continue;
    }
    std::string ratio = syscall == nullptr ? "-" : fmt::format("{:.2f}", row.nanoseconds.median / syscall->nanoseconds.median);
    table.add_row({row.what, format_duration_ns(row.nanoseconds.median), format_duration_ns(row.nanoseconds.p10),
                   format_duration_ns(row.nanoseconds.p90), fmt::format("{:.0f}", row.cycles.median), ratio,
                   std::to_string(row.iterations)});
  }
  return table;
}

std::string header(const BenchReport& report) {
  return fmt::format("CPU: {}\nvirtualization: {}\nTSC: {:.2f} GHz; {} batches per row, interleaved\n", report.cpu_model,
                     report.virtualization, report.tsc_ghz, report.repeats);
}

std::string footer(const BenchReport& report) {
  std::string text;
  for (const auto& row : report.rows) {
    if (!row.skipped.empty()) text += "skipped " + row.what + ": " + row.skipped + "\n";
  }
  if (find_row(report, kRowPortExit) == nullptr || find_row(report, kRowBarePortExit) == nullptr) return text;
  bool within = report.dispatch_overhead <= kOverheadGoal;
  text += fmt::format("minivmm's exit dispatch adds {:+.1f}% to a bare KVM_RUN loop (goal: at most {:.0f}%): {}\n",
                      100 * report.dispatch_overhead, 100 * kOverheadGoal, within ? "met" : "NOT met");
  return text;
}

// The record's metric and column for a row's name ("hypercall answered inside KVM (vmmcall)").
struct CrossingKind {
  const char* row_prefix;
  const char* metric;
  bench::Column column;
};

constexpr CrossingKind kCrossingKinds[] = {
    {kRowFunctionCall, "function_call", bench::Column::host},
    {kRowSyscall, "syscall", bench::Column::host},
    {kRowKernelHypercall, "hypercall", bench::Column::vm},
    {kRowPortExit, "pio_exit", bench::Column::vm},
    {kRowMmioExit, "mmio_exit", bench::Column::vm},
    {kRowBarePortExit, "bare_pio_exit", bench::Column::vm},
};

}  // namespace

std::vector<bench::Measurement> exit_bench_measurements(const BenchReport& report, const std::string& place) {
  std::vector<bench::Measurement> out;
  for (const auto& row : report.rows) {
    for (const CrossingKind& kind : kCrossingKinds) {
      if (row.what.rfind(kind.row_prefix, 0) != 0) continue;
      bench::Measurement m;
      m.row = bench::Row::crossing;
      m.metric = kind.metric;
      m.label = row.what + ", one round trip";
      m.column = kind.column;
      m.contender = kind.column == bench::Column::host ? "host" : "minivmm";
      m.place = place;
      m.unit = "ns";
      m.better = bench::Better::lower;
      m.samples = row.samples_ns;
      m.text = report.virtualization + "; " + std::to_string(row.iterations) + " round trips per batch";
      m.missing = row.skipped;
      out.push_back(std::move(m));
      break;
    }
  }
  return out;
}

std::string render_bench_report(const BenchReport& report) {
  return header(report) + "\n" + make_table(report).render() + "\n" + footer(report);
}

std::string render_bench_markdown(const BenchReport& report) {
  return header(report) + "\n" + make_table(report).render_markdown() + "\n" + footer(report);
}

}  // namespace deploylab::hv
