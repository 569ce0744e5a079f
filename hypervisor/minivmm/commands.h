// hypervisor/minivmm/commands.h: the subcommands of `minivmm`, one file each (like kvmtool's
// builtin-*.c):
//   minivmm run-guest FILE     run_guest_command.cpp    run a guest program, report how it ended
//   minivmm bench-exits        bench_exits_command.cpp  time VM exits next to a call and a syscall
//   minivmm boot               boot_command.cpp         boot a Linux bzImage to a shell (lab 04)
#pragma once

#include "common/cli.h"

namespace deploylab::hv {

cli::Command run_guest_command();
cli::Command bench_exits_command();
cli::Command boot_command();

}  // namespace deploylab::hv
