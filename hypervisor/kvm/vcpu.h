// hypervisor/kvm/vcpu.h: Vcpu, one virtual CPU: the third kind of KVM fd (system -> VM -> vCPU).
//
// A vCPU is a register file plus the `kvm_run` area, a page shared with the kernel through mmap.
// run_once() is the KVM_RUN ioctl: the kernel loads the guest's state into the CPU and executes
// VMLAUNCH/VMRESUME (Intel) or VMRUN (AMD). The CPU runs guest code natively until something the
// hypervisor must handle happens (a VM exit). KVM handles most exits itself and re-enters the
// guest without us noticing; the rest end KVM_RUN, and kvm_run says why (exit_reason) and with
// what data. The exit loop (hypervisor/kvm/exit_loop.h) decides what to do next.
//
// One thread runs one vCPU. The only thing another thread may do to a running vCPU is kick() it.
#pragma once

#include <linux/kvm.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "common/mapping.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::hv {

// How KVM_RUN ended: the guest exited (see kvm_run::exit_reason), or it ended without an exit to
// handle and the vCPU can simply run again: a signal or kick() stopped it (EINTR), or a vCPU that
// was waiting for its start-up IPI got one (EAGAIN).
enum class RunStatus { exited, interrupted };

class Vcpu {
 public:
  // Vm::create_vcpu() makes these; `run_area` is the mmap of the vCPU fd.
  Vcpu(int id, UniqueFd fd, Mapping run_area);
  Vcpu(Vcpu&&) noexcept;
  Vcpu& operator=(Vcpu&&) = delete;

  int id() const { return id_; }
  int fd() const { return fd_.get(); }
  kvm_run* run() const { return static_cast<kvm_run*>(run_area_.data()); }
  std::size_t run_size() const { return run_area_.size(); }
  const std::string& name() const { return name_; }

  Result<kvm_regs> regs() const;
  Result<void> set_regs(const kvm_regs& regs);
  Result<kvm_sregs> sregs() const;
  Result<void> set_sregs(const kvm_sregs& sregs);
  Result<void> set_cpuid(const std::vector<kvm_cpuid_entry2>& entries);
  // Lab 04. KVM_SET_MSRS sets the entries in order and returns how many it set; fewer than all
  // means the next one was refused (the caller names it). Build `msrs` with KvmMsrs
  // (hypervisor/boot/guest_msrs.h): the struct's array cannot be used from C++ (kvm/flex_array.h).
  Result<int> set_msrs(const kvm_msrs* msrs);
  Result<void> set_fpu(const kvm_fpu& fpu);
  Result<kvm_lapic_state> lapic() const;  // the local APIC's register page (in-kernel IRQCHIP)
  Result<void> set_lapic(const kvm_lapic_state& lapic);

  // Lab 01: the state of an x86 CPU just out of reset, but starting at `entry` with every
  // segment at 0 (so guest addresses are physical ones) and the stack at `stack_top`.
  Result<void> enter_real_mode(std::uint64_t entry, std::uint64_t stack_top);

  // Asks KVM to copy the general registers into kvm_run at every exit (KVM_CAP_SYNC_REGS), so the
  // exit handler reads and writes them there instead of paying two ioctls per exit.
  void sync_registers_through_kvm_run(bool on) { sync_regs_ = on; }

  // KVM_RUN: enter the guest and come back at the next exit KVM leaves to userspace.
  Result<RunStatus> run_once();

  // From another thread: make the current or next run_once() return `interrupted` promptly.
  // Safe to call at any time after this vCPU's thread has called run_once() once.
  void kick();

 private:
  int id_;
  std::string name_;
  UniqueFd fd_;
  Mapping run_area_;
  bool sync_regs_ = false;
  std::atomic<pthread_t> thread_{};  // the thread in run_once(), for kick()
  std::atomic<bool> thread_known_{false};
};

}  // namespace deploylab::hv
