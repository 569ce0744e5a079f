// bench/isolation/census_report.h: what syscall-census found and the lines it prints, and the
// parsers isolation-rows (and the VM rows) use to read those lines back. Pure and plain C++ (no
// deploylab library): the static census links it as it is.
//
// The output of `syscall-census --list`, one line per blocked call, then the summary line that
// the plain `syscall-census` prints alone:
//   blocked keyctl 250 EPERM
//   blocked clone3 435 ENOSYS
//   deploylab-bench: syscalls reachable=324 blocked=53 total=377
// reachable + blocked = total unless a probe got no answer (then stderr says which and the exit
// status is 1).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace deploylab::bench::isolation {

// How one probed call fared against the filters already in force.
enum class Outcome {
  reachable,  // our notification arrived: every existing filter let the call through
  refused,    // it failed without a notification: an existing filter returned ERRNO
  trapped,    // SIGSYS reached our handler: SECCOMP_RET_TRAP
  killed,     // the probe died of a signal: SECCOMP_RET_KILL_PROCESS / _THREAD
  no_answer,  // neither within the time allowed (should not happen; counted in total only)
};

struct ProbeResult {
  int number = 0;
  Outcome outcome = Outcome::reachable;
  int detail = 0;  // refused: the errno (0: the filter faked success); killed: the signal
};

struct CensusCounts {
  int reachable = 0;
  int blocked = 0;  // refused + trapped + killed
  int total = 0;    // calls probed: the x86_64 calls this kernel has (syscall_table.h)
  friend bool operator==(const CensusCounts&, const CensusCounts&) = default;
};

CensusCounts count_outcomes(std::span<const ProbeResult> results);

// "deploylab-bench: syscalls reachable=324 blocked=53 total=377"
std::string summary_line(const CensusCounts& counts);
// The counts of the first summary line in `output` (any lines around it are skipped).
std::optional<CensusCounts> find_summary(std::string_view output);

// How a blocked call was blocked, in one word or phrase: "EPERM", "ENOSYS", "faked-success",
// "trap", "kill:SIGSYS". No spaces, so a list line stays four fields.
std::string describe_block(const ProbeResult& result);

// One line of --list: "blocked keyctl 250 EPERM" (an unnamed number is "#NUMBER").
std::string blocked_line(const ProbeResult& result);

struct BlockedCall {
  std::string name;
  int number = 0;
  std::string how;
  friend bool operator==(const BlockedCall&, const BlockedCall&) = default;
};
std::optional<BlockedCall> parse_blocked_line(std::string_view line);
// Every "blocked ..." line of `output`, in order.
std::vector<BlockedCall> find_blocked(std::string_view output);

}  // namespace deploylab::bench::isolation
