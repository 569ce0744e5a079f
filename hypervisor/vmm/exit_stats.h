// hypervisor/vmm/exit_stats.h: ExitStats, how many VM exits of each kind a vCPU took (the table
// `minivmm run-guest --stats` prints). Exits are the cost of virtualization: each one is a trip
// from guest mode to the host kernel and, for these, on to us. Counting them by kind is the first
// thing to do when a guest is slow.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace deploylab::hv {

// The exits minivmm tells apart. Port hypercalls are port writes, counted on their own as well.
enum class ExitKind {
  io_in, io_out, mmio_read, mmio_write, hlt, hypercall, shutdown, fail_entry, internal_error,
  system_event, interrupted, other, count_  // count_ is not a kind: it is the number of kinds
};

std::string to_string(ExitKind kind);

struct ExitStats {
  std::array<std::uint64_t, static_cast<std::size_t>(ExitKind::count_)> counts{};

  void add(ExitKind kind) { ++counts[static_cast<std::size_t>(kind)]; }
  std::uint64_t operator[](ExitKind kind) const { return counts[static_cast<std::size_t>(kind)]; }
  std::uint64_t total() const;  // every exit except `interrupted` (which is not a guest exit)
  ExitStats& operator+=(const ExitStats& other);
};

// A table, one row per kind that happened, with counts and shares of the total; ends with a
// `total` row. Empty stats give a one-line "no exits".
std::string render_exit_table(const ExitStats& stats);

}  // namespace deploylab::hv
