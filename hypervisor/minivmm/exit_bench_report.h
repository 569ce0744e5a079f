// hypervisor/minivmm/exit_bench_report.h: the numbers `minivmm bench-exits` measured, and the
// table it prints. Pure (no KVM): the measuring is in exit_bench.h.
//
// The point of the table is the lecture's claim that entering and leaving guest mode is
// expensive: each row is one round trip, next to a plain function call and a system call on the
// same machine in the same run, so the ratios hold even where the absolute numbers do not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"
#include "common/stats.h"

namespace deploylab::hv {

struct BenchRow {
  std::string what;             // "port I/O exit to minivmm (OUT)"
  Summary nanoseconds;          // per round trip, one sample per batch
  Summary cycles;               // the same in TSC cycles
  std::vector<double> samples_ns;  // one per batch: the batch's time over its round trips
  std::uint64_t iterations = 0; // round trips per batch
  std::string skipped;          // non-empty: not measured, and why
};

struct BenchReport {
  std::string cpu_model;
  std::string virtualization;   // "kvm_pvm", "hardware KVM", "nested hardware KVM inside vmhost ..."
  double tsc_ghz = 0;
  int repeats = 0;
  std::vector<BenchRow> rows;
  // The median of (dispatch batch time / bare batch time - 1), paired batch by batch.
  double dispatch_overhead = 0;
};

// The names of the rows, shared by the measuring code and the tests.
inline constexpr const char* kRowFunctionCall = "host function call";
inline constexpr const char* kRowSyscall = "host syscall (getpid)";
inline constexpr const char* kRowKernelHypercall = "hypercall answered inside KVM";
inline constexpr const char* kRowPortExit = "port I/O exit to minivmm (OUT)";
inline constexpr const char* kRowMmioExit = "MMIO exit to minivmm (write)";
inline constexpr const char* kRowBarePortExit = "port I/O exit, bare KVM_RUN loop";

// The report as a text table with a header (CPU, mode) and a footer (dispatch overhead against
// the 10% goal). Ratios are to the getpid row when it was measured.
std::string render_bench_report(const BenchReport& report);
// The same as Markdown, for slides and READMEs.
std::string render_bench_markdown(const BenchReport& report);

// The rows as the tradeoff table's records (bench/tradeoff/measurement.h, row "crossing", unit
// ns, the per-batch figures as samples): function call and syscall in column host (contender
// "host"), the VM round trips in column vm (contender "minivmm") with metrics hypercall, pio_exit,
// mmio_exit and bare_pio_exit; a skipped row is a record with `missing` = why. `place` is
// "native" or "vmhost".
std::vector<bench::Measurement> exit_bench_measurements(const BenchReport& report, const std::string& place);

}  // namespace deploylab::hv
