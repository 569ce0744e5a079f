// hypervisor/vmhost/virtualization.h: what kind of KVM this machine has, and so where the
// hypervisor labs run. Used by `vmhost auto`, the grader (lab.yaml `runs_on: kvm`) and
// `grade doctor`.
//
//   hardware   VT-x or AMD-V, kvm_intel/kvm_amd loaded: the labs run natively;
//   nested     the same, but this machine is itself a VM (cpu flag `hypervisor`): natively too;
//   kvm_pvm    software nested virtualization: guest kernel code is emulated (~1 us per
//              instruction), VMCALL at CPL0 hangs KVM_RUN and Linux never finishes booting,
//              so the labs run inside `vmhost` (QEMU with an emulated AMD-V);
//   none       no /dev/kvm: the labs run inside `vmhost` too (full emulation, slow).
//
// Gathering (gather_virt_facts: /proc/cpuinfo, /sys/module, /dev/kvm) is apart from judging
// (classify_virtualization, pure) so the judgement is unit-tested on made-up machines.
#pragma once

#include <map>
#include <set>
#include <string>

namespace deploylab::vmhost {

struct VirtFacts {
  std::set<std::string> cpu_flags;            // the `flags` line of /proc/cpuinfo
  std::set<std::string> kvm_modules;          // loaded: kvm, kvm_intel, kvm_amd, kvm_pvm
  std::map<std::string, std::string> nested;  // module -> its `nested` parameter (Y/N/1/0)
  bool dev_kvm_exists = false;
  int dev_kvm_open_errno = 0;                 // 0: opened read-write
};

VirtFacts gather_virt_facts();

enum class VirtMode { hardware, nested, kvm_pvm, unknown_kvm, none };
enum class Place { native, vmhost };

struct Virtualization {
  VirtMode mode = VirtMode::none;
  std::string finding;  // one line: what this machine has
  Place place = Place::vmhost;
  std::string plan;     // what the kit does about it, and why
};

Virtualization classify_virtualization(const VirtFacts& facts);
std::string to_string(VirtMode mode);

// Where KVM code runs: classify_virtualization's answer, unless DEPLOYLAB_KVM is `native` or
// `vmhost` (`override` is its value; empty for none), which forces it and says so.
Virtualization choose_place(const VirtFacts& facts, const std::string& override);

}  // namespace deploylab::vmhost
