// bench/tradeoff/interrupt.h: Ctrl-C (SIGINT) and SIGTERM for the row benchmarks (container-rows,
// isolation-rows, vm-rows) and for tradeoff-bench itself, which passes Ctrl-C on to them
// (step_runner.h).
//
// A signal must not kill the benchmark in the middle: containers, overlay mounts and cgroups
// would be left behind. The handler only notes the signal; the rows check interrupted() between
// steps (no step takes more than a few seconds), stop, and return through the normal way out,
// where RAII owners delete the containers, unmount, remove the cgroups and the scratch
// directory. Then main writes what was measured and exits 130, as a shell expects after Ctrl-C.
// The handler is installed without SA_RESTART, so a blocking wait returns EINTR early.
#pragma once

#include <atomic>

namespace deploylab::bench {

// Installs the handlers for SIGINT and SIGTERM (once; later calls change nothing).
void catch_interrupts();

// Whether SIGINT or SIGTERM has arrived since catch_interrupts().
bool interrupted();

// The flag itself, for code that waits on its own and takes a pointer to look at (boot_probe.h,
// bench/vm/density_run.h). A lock-free atomic: safe to set from a signal handler.
const std::atomic<bool>& interrupt_flag();

// A descriptor that becomes readable when the signal comes, for a poll() that must wake at once
// (tradeoff-bench's step runner); -1 before catch_interrupts().
int interrupt_wake_fd();

// The exit code after an interrupt: 130, 128 + SIGINT, for either signal.
inline constexpr int kInterruptedExit = 130;

}  // namespace deploylab::bench
