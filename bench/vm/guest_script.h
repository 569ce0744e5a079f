// bench/vm/guest_script.h: what the guest runs. vm-rows puts the workloads and a script on an
// ext4 disk image (guest_disk.h); the guest's init mounts it at /mnt and, because the kernel
// command line says deploylab.run=run.sh (scripts/assets/initramfs-init.sh), runs
// `sh /mnt/run.sh` and powers off. The script prints the guest's facts and runs the workloads,
// each reporting one "deploylab-bench:" line (workload_lines.h):
//
//   cd /mnt
//   echo "deploylab-bench: uname $(uname -r)"
//   echo "deploylab-bench: boot_id $(cat /proc/sys/kernel/random/boot_id)"
//   ./compute-kernel --millions 10
//   ./io-probe --dir /mnt --mebibytes 8 --random-ops 100
//   ./syscall-census                      (when it was built)
//   attack mount                          (ctr_attack, when it was built; see below)
//   net-probe rr HOST PORT COUNT          (when the VM has a virtio-net device: QEMU here),
//   net-probe stream HOST PORT MIB         each as one line, its error message if it failed
//
// The attacks are the container escape tests (tests/containers/attack/ctr_attack.cpp). Inside a
// VM they meet the guest's own kernel: root there may mount or load modules, but only into the
// guest; the host file and host PID they look for do not exist in it. Pure: options in, text out.
#pragma once

#include <string>
#include <vector>

namespace deploylab::bench {

struct GuestScript {
  long compute_millions = 50;
  long io_mebibytes = 64;
  long io_random_ops = 2000;
  bool syscall_census = false;  // /mnt/syscall-census is on the disk
  bool attacks = false;         // /mnt/ctr_attack is on the disk
  std::string host_only_file;   // a file that exists on the host only (the escape tests look for it)
  int host_pid = 1;             // a PID of the host (the kill test signals it)
  // The network test: /mnt/net-probe and /mnt/modules/{failover,net_failover,virtio_net}.ko are
  // on the disk (the initramfs has no network modules). Runs only in a guest with a virtio-net
  // device (virtio device ID 1); the host end (a tap) answers at net_host.
  bool network = false;
  std::string net_host = "10.0.2.1";  // where the guest finds the server (guest_net.h)
  int net_port = 0;
  int net_round_trips = 200;
  long net_mebibytes = 16;            // net-probe stream's bulk transfer
};

// The guest's address, and the host's on a tap between them (guest_net.h).
inline constexpr const char* kGuestIp = "10.0.2.15";
inline constexpr const char* kHostIp = "10.0.2.1";
// The modules a virtio-net guest needs, dependencies first (from the kernel's modules.dep).
inline constexpr const char* kNetModules[] = {"failover", "net_failover", "virtio_net"};

// The file names on the disk.
inline constexpr const char* kRunScript = "run.sh";

// The attacks with their arguments, in the order the script runs them: {"mount"}, {"read", FILE}...
std::vector<std::vector<std::string>> guest_attacks(const GuestScript& script);

// The text of /mnt/run.sh.
std::string guest_run_script(const GuestScript& script);

}  // namespace deploylab::bench
