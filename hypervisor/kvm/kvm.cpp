// hypervisor/kvm/kvm.cpp: opening /dev/kvm and asking it questions (see kvm.h).
#include "hypervisor/kvm/kvm.h"

#include <fcntl.h>

#include <cerrno>
#include <memory>

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/kvm/flex_array.h"
#include "hypervisor/kvm/ioctl.h"

namespace deploylab::hv {

Result<void> check_api_version(int version, const std::string& device) {
  // BEGIN SOLUTION lab 1: accept only KVM API version 12
  if (version == KVM_API_VERSION) return {};
  return Error::invalid("KVM API version is " + std::to_string(version) + ", expected " +
                            std::to_string(KVM_API_VERSION),
                        device, "this kernel's KVM speaks an API minivmm does not know; use a Linux newer than 2.6.22");
  // END SOLUTION
}

std::string hint_for_open_error(int code) {
  switch (code) {
    case ENOENT:
      return "there is no KVM here: load kvm_intel or kvm_amd (modprobe), enable virtualization in the "
             "firmware, or run inside the test host: build/bin/vmhost run -- COMMAND";
    case EACCES:
    case EPERM:
      return "you may not use KVM: run as root or add yourself to the `kvm` group";
    case ENXIO:
    case ENODEV:
      return "the KVM module is loaded but the CPU's virtualization is off or taken; check the firmware "
             "settings and `make doctor`";
    default:
      return "see `make doctor` for what this machine's KVM can do";
  }
}

Result<Kvm> Kvm::open(const std::string& device) {
  // BEGIN SOLUTION lab 1: open the KVM device and check its API version
  UniqueFd fd(::open(device.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return Error::os("open", device, errno, hint_for_open_error(errno));
  int version = DL_TRY(kvm_ioctl(fd.get(), KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION", device,
                                 "is this a KVM device? /dev/kvm is a character device with major 10, minor 232"));
  DL_TRY(check_api_version(version, device));
  return Kvm(std::move(fd), device);
  // END SOLUTION
}

Result<int> Kvm::check_extension(int capability) const {
  return kvm_ioctl(fd(), KVM_CHECK_EXTENSION, capability, "KVM_CHECK_EXTENSION", device_);
}

Result<std::size_t> Kvm::vcpu_mmap_size() const {
  // BEGIN SOLUTION lab 1: ask KVM how large a vCPU's kvm_run area is
  int size = DL_TRY(kvm_ioctl(fd(), KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE", device_));
  return static_cast<std::size_t>(size);
  // END SOLUTION
}

Result<std::vector<kvm_cpuid_entry2>> Kvm::supported_cpuid() const {
  // kvm_cpuid2 ends in a variable-length array (flex_array.h): make room for it, and grow while
  // KVM says E2BIG.
  for (std::size_t capacity = 64;; capacity *= 2) {
    KvmFlexArray<kvm_cpuid2, kvm_cpuid_entry2> cpuid(capacity);
    if (::ioctl(fd(), kRequestGetSupportedCpuid, cpuid.get()) == 0) {
      auto entries = cpuid.entries();
      return std::vector<kvm_cpuid_entry2>(entries.begin(), entries.end());
    }
    if (errno != E2BIG || capacity >= 4096) return Error::os("KVM_GET_SUPPORTED_CPUID", device_, errno);
  }
}

}  // namespace deploylab::hv
