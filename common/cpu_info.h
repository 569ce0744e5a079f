// common/cpu_info.h: which CPU we run on and its time-stamp counter (TSC), for benchmarks.
//
// `minivmm bench-exits` times VM exits in TSC ticks (a few hundred cycles each: too short for
// clock_gettime to resolve well) and converts ticks to nanoseconds with measure_tsc_hz(); its
// report names the CPU, because exit costs differ a lot between CPU generations. The parsers of
// /proc/cpuinfo are pure and unit-tested; cpu_model_name() and cpu_tsc_is_invariant() read the
// real file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace deploylab {

// The value of the first "model name" line of /proc/cpuinfo text, e.g. "AMD EPYC 7763 64-Core
// Processor", or "unknown CPU" when there is none (some architectures and VMs omit it).
std::string parse_cpu_model(const std::string& cpuinfo_text);
// parse_cpu_model() of this machine's /proc/cpuinfo ("unknown CPU" if it cannot be read).
std::string cpu_model_name();

// For the lines above a benchmark's table: "machine: AMD EPYC 7763 ..., 2 cpus, Linux 6.1.0",
// and "load average (1, 5, 15 min) 1.20 0.80 0.50" (how busy others kept the machine).
std::string machine_line();
std::string load_average_line();

// Whether the first "flags" line lists both `constant_tsc` (the TSC ticks at a fixed rate, not
// the current core frequency) and `nonstop_tsc` (it keeps ticking in deep C-states). Only then
// do TSC ticks convert to time with one constant factor; together they are what Intel and AMD
// call an "invariant TSC".
bool tsc_is_invariant(const std::string& cpuinfo_text);
// tsc_is_invariant() of this machine's /proc/cpuinfo (false if it cannot be read).
bool cpu_tsc_is_invariant();

// The time-stamp counter, ordered against the surrounding code: LFENCE before RDTSC waits for
// earlier instructions to finish, so the timed code is not still running when we read; LFENCE
// after it keeps later instructions from starting before the read. (On AMD, LFENCE serializes
// dispatch because Linux sets the MSR bit that makes it so, as a Spectre mitigation.)
std::uint64_t read_tsc();

// TSC ticks per second, estimated by counting ticks across `window` of std::chrono::steady_clock
// (which sleeps in between). An estimate, not the nominal frequency: the two clocks are read at
// slightly different instants, the kernel may deschedule us between the reads, and under a
// hypervisor the guest's TSC may be scaled or offset. A longer window (100 ms or more) shrinks
// the error; without an invariant TSC (see tsc_is_invariant) the rate may not even be constant.
// Throws std::invalid_argument for a window that is not positive.
double measure_tsc_hz(std::chrono::milliseconds window);

}  // namespace deploylab
