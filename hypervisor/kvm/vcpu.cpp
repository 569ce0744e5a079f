// hypervisor/kvm/vcpu.cpp: registers, KVM_RUN and kicking a vCPU (see vcpu.h).
#include "hypervisor/kvm/vcpu.h"

#include <signal.h>

#include <cerrno>
#include <memory>
#include <mutex>

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/kvm/flex_array.h"
#include "hypervisor/kvm/ioctl.h"

namespace deploylab::hv {

namespace {

// kick() interrupts KVM_RUN with this signal. Its handler does nothing: the point is that the
// ioctl returns EINTR. It is installed without SA_RESTART so the ioctl is not silently retried.
// Firecracker uses a real-time signal for the same job, so it cannot clash with SIGUSR1/2 users.
int kick_signal() { return SIGRTMIN + 1; }

void install_kick_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action{};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    ::sigaction(kick_signal(), &action, nullptr);
  });
}

}  // namespace

Vcpu::Vcpu(int id, UniqueFd fd, Mapping run_area)
    : id_(id), name_("vcpu " + std::to_string(id)), fd_(std::move(fd)), run_area_(std::move(run_area)) {
  install_kick_handler();
}

Vcpu::Vcpu(Vcpu&& other) noexcept
    : id_(other.id_),
      name_(std::move(other.name_)),
      fd_(std::move(other.fd_)),
      run_area_(std::move(other.run_area_)),
      sync_regs_(other.sync_regs_) {}

Result<kvm_regs> Vcpu::regs() const {
  kvm_regs regs{};
  DL_TRY(kvm_ioctl(fd(), KVM_GET_REGS, &regs, "KVM_GET_REGS", name_));
  return regs;
}

Result<void> Vcpu::set_regs(const kvm_regs& regs) {
  DL_TRY(kvm_ioctl(fd(), KVM_SET_REGS, &regs, "KVM_SET_REGS", name_));
  return {};
}

Result<kvm_sregs> Vcpu::sregs() const {
  kvm_sregs sregs{};
  DL_TRY(kvm_ioctl(fd(), KVM_GET_SREGS, &sregs, "KVM_GET_SREGS", name_));
  return sregs;
}

Result<void> Vcpu::set_sregs(const kvm_sregs& sregs) {
  DL_TRY(kvm_ioctl(fd(), KVM_SET_SREGS, &sregs, "KVM_SET_SREGS", name_,
                   "KVM refuses inconsistent control registers, e.g. EFER.LME without CR4.PAE"));
  return {};
}

Result<void> Vcpu::set_cpuid(const std::vector<kvm_cpuid_entry2>& entries) {
  KvmFlexArray<kvm_cpuid2, kvm_cpuid_entry2> cpuid(entries.size());
  std::copy(entries.begin(), entries.end(), cpuid.entries().begin());
  DL_TRY(kvm_ioctl(fd(), kRequestSetCpuid2, cpuid.get(), "KVM_SET_CPUID2", name_));
  return {};
}

Result<int> Vcpu::set_msrs(const kvm_msrs* msrs) {
  return kvm_ioctl(fd(), kRequestSetMsrs, msrs, "KVM_SET_MSRS", name_);
}

Result<void> Vcpu::set_fpu(const kvm_fpu& fpu) {
  DL_TRY(kvm_ioctl(fd(), KVM_SET_FPU, &fpu, "KVM_SET_FPU", name_));
  return {};
}

Result<kvm_lapic_state> Vcpu::lapic() const {
  kvm_lapic_state lapic{};
  DL_TRY(kvm_ioctl(fd(), KVM_GET_LAPIC, &lapic, "KVM_GET_LAPIC", name_, "the VM needs KVM_CREATE_IRQCHIP"));
  return lapic;
}

Result<void> Vcpu::set_lapic(const kvm_lapic_state& lapic) {
  DL_TRY(kvm_ioctl(fd(), KVM_SET_LAPIC, &lapic, "KVM_SET_LAPIC", name_));
  return {};
}

Result<void> Vcpu::enter_real_mode(std::uint64_t entry, std::uint64_t stack_top) {
  // BEGIN SOLUTION lab 1: put the vCPU in real mode at `entry` with flat zero segments
  // After reset CS is F000 with base FFFF0000 (the BIOS entry point). We have no BIOS: point every
  // segment at 0, so a guest address is segment * 16 + offset = offset, the physical address.
  kvm_sregs sregs = DL_TRY(this->sregs());
  for (kvm_segment* segment : {&sregs.cs, &sregs.ds, &sregs.es, &sregs.fs, &sregs.gs, &sregs.ss}) {
    segment->base = 0;
    segment->selector = 0;
  }
  DL_TRY(set_sregs(sregs));
  kvm_regs regs{};
  regs.rip = entry;
  regs.rsp = stack_top;
  regs.rflags = 0x2;  // bit 1 of RFLAGS is reserved and always 1; interrupts stay off
  DL_TRY(set_regs(regs));
  return {};
  // END SOLUTION
}

Result<RunStatus> Vcpu::run_once() {
  if (!thread_known_.load()) {
    thread_.store(::pthread_self());
    thread_known_.store(true);
  }
  kvm_run* area = run();
  area->kvm_valid_regs = sync_regs_ ? KVM_SYNC_X86_REGS : 0;
  // BEGIN SOLUTION lab 1: enter the guest with KVM_RUN
  if (::ioctl(fd(), KVM_RUN, 0) == 0) return RunStatus::exited;
  if (errno == EINTR) {
    area->immediate_exit = 0;  // a kick sets it; clear it so the next run enters the guest again
    return RunStatus::interrupted;
  }
  // A Linux guest's other vCPUs wait for the boot CPU's INIT and STARTUP IPIs inside KVM_RUN; when
  // one arrives, KVM returns EAGAIN and expects to be called again (lab 04).
  if (errno == EAGAIN) return RunStatus::interrupted;
  return Error::os("KVM_RUN", name_, errno);
  // END SOLUTION
}

void Vcpu::kick() {
  // immediate_exit covers a kick that lands just before KVM_RUN: KVM then returns EINTR at once.
  // The signal covers a kick while the guest runs: it forces a VM exit, and KVM returns EINTR.
  run()->immediate_exit = 1;
  if (thread_known_.load()) ::pthread_kill(thread_.load(), kick_signal());
}

}  // namespace deploylab::hv
