// containers/oci/proc_stat.h: is a container's process still there, and is it still ours?
//
// A pid alone cannot say: when a process exits, the kernel hands its number to the next process
// that asks, so a stored pid may now name a stranger. The pair (pid, start time) can: the start
// time (field 22 of /proc/PID/stat, clock ticks after boot) of a recycled pid differs from the one
// recorded when the container started. state.h's observed_status() uses both answers.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

// The fields of /proc/PID/stat (proc(5)) that the runtime needs.
struct ProcStat {
  char state = '?';              // R, S, D, T, Z (zombie: exited, not yet reaped), X (dead)
  std::uint64_t start_time = 0;  // clock ticks after boot (field 22)
};

// Parses the text of /proc/PID/stat. The command name (field 2) sits in parentheses and may
// itself contain spaces and ')' (a process may call itself "a) b"), so the fields are counted
// from the LAST ')' of the line.
Result<ProcStat> parse_proc_stat(std::string_view text);

// Field 22 of /proc/PID/stat; an error if there is no such process.
Result<std::uint64_t> process_start_time(int pid);

// Whether `pid` is a live process. A zombie is not: it has exited and only waits to be reaped.
bool process_alive(int pid);

}  // namespace deploylab::ctr
