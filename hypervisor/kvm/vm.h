// hypervisor/kvm/vm.h: Vm, one virtual machine: the second kind of KVM fd (system -> VM -> vCPU).
//
// A VM is an address space plus vCPUs. Its memory is ordinary host memory (GuestMemory, an mmap
// per region) that KVM_SET_USER_MEMORY_REGION tells the kernel about: from then on the guest's
// loads and stores to those guest-physical addresses go straight to our mapping, with no exit.
// Addresses no region covers are not RAM; touching them is an MMIO exit.
//
// Lifetime: the Vm owns the guest memory, so it must outlive its vCPUs' runs.
#pragma once

#include <cstdint>
#include <memory>

#include "common/result.h"
#include "common/unique_fd.h"
#include "hypervisor/kvm/guest_memory.h"
#include "hypervisor/kvm/kvm.h"
#include "hypervisor/kvm/vcpu.h"

namespace deploylab::hv {

class Vm {
 public:
  // KVM_CREATE_VM on an open /dev/kvm.
  static Result<Vm> create(const Kvm& kvm);

  // Allocates `size` bytes of RAM and makes it guest-physical [guest_address, + size): one
  // memory slot per call, numbered in order.
  Result<void> add_ram(std::uint64_t guest_address, std::uint64_t size);

  // KVM_CREATE_VCPU with this `id`, and its kvm_run area mapped.
  Result<Vcpu> create_vcpu(int id);

  // KVM_CHECK_EXTENSION on the VM fd (some answers depend on the VM) and KVM_ENABLE_CAP.
  Result<int> check_extension(int capability) const;
  Result<void> enable_capability(std::uint32_t capability, std::uint64_t arg0);

  // Lab 04: the PC pieces a real kernel expects, which KVM emulates inside the kernel when asked.
  // KVM_CREATE_IRQCHIP: the two 8259 PICs, the I/O APIC and a local APIC per vCPU (before any
  // vCPU is created). KVM_CREATE_PIT2: the 8254 timer on ports 0x40-0x43 (and a dummy speaker
  // port 0x61). KVM_SET_TSS_ADDR / KVM_SET_IDENTITY_MAP_ADDR: three pages and one page below 4 GiB
  // that Intel's VMX needs to run real-mode code (application processors start in real mode).
  Result<void> create_irqchip();
  Result<void> create_pit();
  Result<void> set_tss_address(std::uint64_t address);
  Result<void> set_identity_map_address(std::uint64_t address);
  // KVM_IRQ_LINE: drive interrupt line `irq` of the in-kernel PIC and I/O APIC high or low.
  // Safe from any thread.
  Result<void> set_irq_line(std::uint32_t irq, bool high);

  const GuestMemory& memory() const { return *memory_; }
  int fd() const { return fd_.get(); }

 private:
  Vm(UniqueFd fd, std::size_t vcpu_mmap_size)
      : fd_(std::move(fd)), vcpu_mmap_size_(vcpu_mmap_size), memory_(std::make_unique<GuestMemory>()) {}
  UniqueFd fd_;
  std::size_t vcpu_mmap_size_ = 0;
  std::unique_ptr<GuestMemory> memory_;  // on the heap: its address stays put when the Vm moves
};

}  // namespace deploylab::hv
