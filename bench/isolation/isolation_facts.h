// bench/isolation/isolation_facts.h: turns what isolation-rows saw on the host and in each
// container into the tradeoff table's Measurements (bench/tradeoff/measurement.h), row
// "isolation". Pure: facts in, records out.
//
// Per contender, five metrics:
//   kernel              text: `uname -r` seen from inside
//   boot_id             text: /proc/sys/kernel/random/boot_id seen from inside
//   shares_kernel       text: "yes"/"no", from comparing that boot id with the host's (the same
//                       boot id means the same running kernel: a VM guest has its own)
//   syscalls_reachable  count (lower is a smaller attack surface): syscall-census's reachable
//   escapes_stopped     count (higher is better) + text "stopped 8/8: chroot-escape, ..."; the
//                       host has no boundary, so its cell says so and has no number
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/isolation/attacks.h"
#include "bench/isolation/census_report.h"
#include "bench/tradeoff/measurement.h"
#include "common/result.h"

namespace deploylab::bench::isolation {

// What syscall-census said, or why it said nothing.
struct CensusFacts {
  std::optional<CensusCounts> counts;
  std::vector<BlockedCall> blocked;
  std::string problem;  // set when counts is empty: what went wrong
};

// The census's stdout and exit code read back (census_report.h's lines; exit 2 = cannot count).
CensusFacts read_census(const std::string& output, std::optional<int> exit_code);

struct Observation {
  std::string contender;  // "host", "minictr", "crun", "runc"
  Column column = Column::container;
  std::string kernel;
  std::string boot_id;
  std::string host_boot_id;
  CensusFacts census;
  std::optional<std::vector<AttackResult>> attacks;  // std::nullopt: no boundary, none were made
};

std::vector<Measurement> isolation_measurements(const Observation& seen);

// The same five cells, empty, with `reason` ("crun is not installed: apt install crun").
std::vector<Measurement> missing_measurements(const std::string& contender, Column column, const std::string& reason);

// "311 of 364 reachable; 53 blocked (52 EPERM, 1 ENOSYS)"
std::string census_text(const CensusFacts& census);
// "yes: same boot id as the host" / "no: ..." / "is the host"
std::string shares_kernel_text(const Observation& seen);

// --only's list ("host,crun"): the contenders in table order (host, minictr, crun, runc), each once.
Result<std::vector<std::string>> parse_contenders(const std::string& list);

}  // namespace deploylab::bench::isolation
