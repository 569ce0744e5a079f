// hypervisor/vmm/exit_stats.cpp: counting exits by kind and printing the table (see exit_stats.h).
#include "hypervisor/vmm/exit_stats.h"

#include <fmt/format.h>

#include "common/text_table.h"

namespace deploylab::hv {

std::string to_string(ExitKind kind) {
  switch (kind) {
    case ExitKind::io_in: return "port read (IN)";
    case ExitKind::io_out: return "port write (OUT)";
    case ExitKind::mmio_read: return "MMIO read";
    case ExitKind::mmio_write: return "MMIO write";
    case ExitKind::hlt: return "HLT";
    case ExitKind::hypercall: return "hypercall (KVM_EXIT_HYPERCALL)";
    case ExitKind::shutdown: return "shutdown (triple fault)";
    case ExitKind::fail_entry: return "failed VM entry";
    case ExitKind::internal_error: return "KVM internal error";
    case ExitKind::system_event: return "system event";
    case ExitKind::interrupted: return "interrupted (signal or kick)";
    case ExitKind::other: return "other";
    case ExitKind::count_: break;
  }
  return "?";
}

std::uint64_t ExitStats::total() const {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (static_cast<ExitKind>(i) != ExitKind::interrupted) sum += counts[i];
  }
  return sum;
}

ExitStats& ExitStats::operator+=(const ExitStats& other) {
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  return *this;
}

std::string render_exit_table(const ExitStats& stats) {
  if (stats.total() == 0 && stats[ExitKind::interrupted] == 0) return "no exits\n";
  TextTable table({"exit", "count", "share"});
  table.set_alignment(1, Align::right);
  table.set_alignment(2, Align::right);
  double total = static_cast<double>(stats.total());
  for (std::size_t i = 0; i < stats.counts.size(); ++i) {
    auto kind = static_cast<ExitKind>(i);
    if (stats[kind] == 0) continue;
    std::string share = kind == ExitKind::interrupted || total == 0
                            ? "-"
                            : fmt::format("{:.1f}%", 100.0 * static_cast<double>(stats[kind]) / total);
    table.add_row({to_string(kind), std::to_string(stats[kind]), share});
  }
  table.add_row({"total", std::to_string(stats.total()), total == 0 ? "-" : "100.0%"});
  return table.render();
}

}  // namespace deploylab::hv
