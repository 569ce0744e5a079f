// hypervisor/kvm/vm.cpp: creating a VM, giving it RAM and vCPUs (see vm.h).
#include "hypervisor/kvm/vm.h"

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/kvm/ioctl.h"

namespace deploylab::hv {

Result<Vm> Vm::create(const Kvm& kvm) {
  std::size_t mmap_size = DL_TRY(kvm.vcpu_mmap_size());
  // BEGIN SOLUTION lab 1: create the VM
  // The argument is the machine type; 0 is the default (and only) one on x86.
  int fd = DL_TRY(kvm_ioctl(kvm.fd(), KVM_CREATE_VM, 0, "KVM_CREATE_VM", kvm.device(),
                            "the kernel may be out of memory or too many VMs exist"));
  return Vm(UniqueFd(fd), mmap_size);
  // END SOLUTION
}

Result<void> Vm::add_ram(std::uint64_t guest_address, std::uint64_t size) {
  DL_TRY(memory_->add_region(guest_address, size));
  const MemoryRegion& region = memory_->regions().back();
  // BEGIN SOLUTION lab 1: register the RAM region with KVM as a memory slot
  kvm_userspace_memory_region slot{};
  slot.slot = static_cast<std::uint32_t>(memory_->regions().size() - 1);
  slot.guest_phys_addr = region.guest_address;
  slot.memory_size = region.host.size();
  slot.userspace_addr = reinterpret_cast<std::uint64_t>(region.host.data());
  DL_TRY(kvm_ioctl(fd(), KVM_SET_USER_MEMORY_REGION, &slot, "KVM_SET_USER_MEMORY_REGION",
                   "slot " + std::to_string(slot.slot) + " at guest-physical " + hex(guest_address)));
  return {};
  // END SOLUTION
}

Result<Vcpu> Vm::create_vcpu(int id) {
  std::string object = "vcpu " + std::to_string(id);
  // BEGIN SOLUTION lab 1: create a vCPU and map its kvm_run area
  int fd = DL_TRY(kvm_ioctl(this->fd(), KVM_CREATE_VCPU, id, "KVM_CREATE_VCPU", object,
                            "vCPU ids must be unique and below KVM_CAP_MAX_VCPU_ID"));
  UniqueFd vcpu_fd(fd);
  Mapping run_area = DL_TRY(Mapping::of_fd(vcpu_fd.get(), vcpu_mmap_size_, PROT_READ | PROT_WRITE, object + " kvm_run"));
  return Vcpu(id, std::move(vcpu_fd), std::move(run_area));
  // END SOLUTION
}

Result<int> Vm::check_extension(int capability) const {
  return kvm_ioctl(fd(), KVM_CHECK_EXTENSION, capability, "KVM_CHECK_EXTENSION", "vm");
}

Result<void> Vm::enable_capability(std::uint32_t capability, std::uint64_t arg0) {
  kvm_enable_cap cap{};
  cap.cap = capability;
  cap.args[0] = arg0;
  DL_TRY(kvm_ioctl(fd(), KVM_ENABLE_CAP, &cap, "KVM_ENABLE_CAP", "vm capability " + std::to_string(capability)));
  return {};
}

Result<void> Vm::create_irqchip() {
  // BEGIN SOLUTION lab 4: ask KVM for its in-kernel interrupt controllers
  DL_TRY(kvm_ioctl(fd(), KVM_CREATE_IRQCHIP, 0, "KVM_CREATE_IRQCHIP", "vm",
                   "create the interrupt controller before the first vCPU"));
  return {};
  // END SOLUTION
}

Result<void> Vm::create_pit() {
  kvm_pit_config config{};
  config.flags = KVM_PIT_SPEAKER_DUMMY;  // port 0x61 answered in the kernel too
  DL_TRY(kvm_ioctl(fd(), KVM_CREATE_PIT2, &config, "KVM_CREATE_PIT2", "vm", "it needs KVM_CREATE_IRQCHIP first"));
  return {};
}

Result<void> Vm::set_tss_address(std::uint64_t address) {
  DL_TRY(kvm_ioctl(fd(), KVM_SET_TSS_ADDR, static_cast<unsigned long>(address), "KVM_SET_TSS_ADDR", "vm"));
  return {};
}

Result<void> Vm::set_identity_map_address(std::uint64_t address) {
  std::uint64_t value = address;
  DL_TRY(kvm_ioctl(fd(), KVM_SET_IDENTITY_MAP_ADDR, &value, "KVM_SET_IDENTITY_MAP_ADDR", "vm"));
  return {};
}

Result<void> Vm::set_irq_line(std::uint32_t irq, bool high) {
  // BEGIN SOLUTION lab 4: drive an interrupt line with KVM_IRQ_LINE
  kvm_irq_level level{};
  level.irq = irq;
  level.level = high ? 1 : 0;
  DL_TRY(kvm_ioctl(fd(), KVM_IRQ_LINE, &level, "KVM_IRQ_LINE", "vm interrupt line " + std::to_string(irq)));
  return {};
  // END SOLUTION
}

}  // namespace deploylab::hv
