// bench/vm/vm_rows.h: `vm-rows`, the VM column of the tradeoff table (bench/vm/README.md).
//
// The steps of one run (vm_rows.cpp):
//   1. where we are: "vmhost" inside the KVM test host, else "native"; whether each contender
//      can run here (minivmm needs a KVM that boots Linux, QEMU must be installed);
//   2. the guest's disk: the workloads and run.sh on an ext4 image in a scratch directory;
//   3. rounds: every contender boots once per round (order rotating), the guest runs run.sh and
//      powers off; the same workloads run on this machine beside the image (column host);
//   4. density: idle instances in one memory cgroup until one fails (density_run.h);
//   5. network: the QEMU guest's virtio-net NIC on a tap (guest_net.h); its run.sh measures round
//      trips and bulk throughput to net-probe's server on the host side of the tap, in the same
//      boot as the other rows; the host's baseline is the same over loopback. minivmm has no NIC:
//      its cells say so (as do QEMU's when something failed, with the error).
// After every contender the file is rewritten (write_measurements), so an interrupted run keeps
// its samples. SIGINT/SIGTERM: the VMs are killed, the cgroup and scratch directory removed, what
// was measured written, exit 130.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "bench/boot/contenders.h"

namespace deploylab::bench {

struct VmRowsOptions {
  std::filesystem::path json;
  bool quick = false;
  int rounds = 3;
  std::vector<Contender> contenders{Contender::minivmm, Contender::qemu};
  std::filesystem::path kernel, initrd;
  std::filesystem::path bin_dir;            // minivmm and the workloads: BUILD/bin
  std::uint64_t guest_mib = 256;            // the measured boots
  std::uint64_t density_budget_mib = 320;
  std::string density_skipped;              // non-empty: no density run, and this is why
  // Who runs the density row; the others get `density_left_out` as their reason.
  std::vector<Contender> density_contenders{Contender::minivmm, Contender::qemu};
  std::string density_left_out;
  std::uint64_t density_guest_mib = 128;    // minivmm needs at least 114 MiB for this kernel
  long compute_millions = 50;
  long io_mebibytes = 32;
  long io_random_ops = 500;
  std::chrono::seconds boot_timeout{300};
  // A virtio-net NIC for the QEMU guest (guest_net.h) and net-probe from it; --no-network: off.
  bool network = true;
};

// The sizes --quick and a full run use (rounds, workloads, density budget). Inside vmhost a boot
// takes 15-35 s, so --quick there runs density for minivmm alone, in a budget that holds one
// instance (two boots: the one that fits and the one that does not); `in_vmhost` says where we are.
VmRowsOptions default_options(bool quick, bool in_vmhost);

// True inside the KVM test host (vmhost sets DEPLOYLAB_IN_VMHOST=1): the records' place "vmhost".
bool in_vmhost();

// Runs everything; returns the exit code (0, 1 when the file could not be written, 130 when
// interrupted).
int run_vm_rows(const VmRowsOptions& options);

}  // namespace deploylab::bench
