// grading/machine_facts.h: what `grade doctor` reads off this machine, as plain data.
//
// Gathering (gather_machine_facts, I/O: /proc, /sys, /dev/kvm, trial unshare and overlay mounts)
// is kept apart from judging (grading/doctor.h, pure), so the judgement is unit-tested with
// made-up machines: a laptop with VT-x, a cloud VM with nested SVM, this CI machine's kvm_pvm.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::grading {

struct MachineFacts {
  std::string arch;                       // uname -m
  std::string kernel_release;             // uname -r
  bool is_root = false;
  std::uint64_t cap_effective = 0;        // CapEff from /proc/self/status
  vmhost::VirtFacts virt;                 // /dev/kvm, cpu flags, kvm modules
  std::string mounts;                     // /proc/self/mounts
  std::map<std::string, int> namespaces;  // "net" -> 0 if unshare worked, else errno
  bool overlay_listed = false;            // in /proc/filesystems
  int overlay_mount_errno = -1;           // 0: a trial overlay mount worked; -1: not tried
  bool seccomp_filter = false;            // the kernel has seccomp filters (Seccomp: in status)
  std::map<std::string, bool> tools;      // program -> found on PATH
  std::map<std::string, bool> assets;     // asset path (relative to the build dir) -> present
};

// Reads everything above. `build_dir` is where `make deps` put the assets.
MachineFacts gather_machine_facts(const std::filesystem::path& build_dir);

}  // namespace deploylab::grading
