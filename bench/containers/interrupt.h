// bench/containers/interrupt.h: Ctrl-C (SIGINT) and SIGTERM for container-rows.
//
// A signal must not kill the benchmark in the middle: containers, overlay mounts and cgroups
// would be left behind. The handler only notes the signal; the rows check interrupted() between
// steps (no step takes more than a few seconds), stop, and return through the normal way out,
// where RAII owners delete the containers, unmount, remove the cgroups and the scratch
// directory. Then main writes what was measured and exits 130, as a shell expects after Ctrl-C.
// The handler is installed without SA_RESTART, so a blocking wait returns EINTR early.
#pragma once

namespace deploylab::bench {

// Installs the handlers for SIGINT and SIGTERM.
void catch_interrupts();

// Whether SIGINT or SIGTERM has arrived since catch_interrupts().
bool interrupted();

// The exit code after an interrupt: 130, 128 + SIGINT, for either signal.
inline constexpr int kInterruptedExit = 130;

}  // namespace deploylab::bench
