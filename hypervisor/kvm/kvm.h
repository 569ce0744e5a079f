// hypervisor/kvm/kvm.h: Kvm, the open /dev/kvm: the first of the three kinds of KVM file
// descriptor (system -> VM -> vCPU). Lab 01 starts here.
//
// The system fd answers questions about the host's KVM (API version, capabilities, the size of
// a vCPU's kvm_run area, the CPUID it supports) and creates VMs (hypervisor/kvm/vm.h). The
// checks that decide (is this API version usable? what does this errno mean?) are pure
// functions so they are unit-tested without /dev/kvm.
#pragma once

#include <linux/kvm.h>

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::hv {

inline constexpr const char* kDefaultKvmDevice = "/dev/kvm";

// The API version KVM has reported since Linux 2.6.22; anything else is not the API we speak.
Result<void> check_api_version(int version, const std::string& device);

// What to do when opening the KVM device failed with `code` (errno), in one sentence.
std::string hint_for_open_error(int code);

class Kvm {
 public:
  // Opens `device` read-write and checks its API version.
  static Result<Kvm> open(const std::string& device = kDefaultKvmDevice);

  int fd() const { return fd_.get(); }
  const std::string& device() const { return device_; }

  // KVM_CHECK_EXTENSION: 0 when the capability is missing; otherwise a positive value whose
  // meaning depends on the capability (often 1, sometimes a count or a bit mask).
  Result<int> check_extension(int capability) const;

  // KVM_GET_VCPU_MMAP_SIZE: how many bytes of a vCPU fd to mmap for its kvm_run area.
  Result<std::size_t> vcpu_mmap_size() const;

  // KVM_GET_SUPPORTED_CPUID: the CPUID leaves this host's KVM can offer a guest.
  Result<std::vector<kvm_cpuid_entry2>> supported_cpuid() const;

 private:
  Kvm(UniqueFd fd, std::string device) : fd_(std::move(fd)), device_(std::move(device)) {}
  UniqueFd fd_;
  std::string device_;
};

}  // namespace deploylab::hv
