// hypervisor/minivmm/main.cpp: `minivmm`, the hypervisor students build in labs 01-04, on KVM.
// The library underneath: hypervisor/kvm (the KVM API), devices/, boot/ and vmm/ (the exit loop
// and Machine). Each subcommand lives in its own file (commands.h lists them).
#include "hypervisor/minivmm/commands.h"

int main(int argc, char** argv) {
  using namespace deploylab::hv;
  return deploylab::cli::main("minivmm", "a minimal KVM hypervisor (deploylab labs 01-04)",
                              {run_guest_command(), bench_exits_command(), boot_command()}, argc, argv);
}
