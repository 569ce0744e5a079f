// hypervisor/kvm/ioctl.h: the one place minivmm calls ioctl(2). Every KVM request goes through
// kvm_ioctl(), which turns a failure into an Error naming the request ("KVM_CREATE_VCPU"), the
// object it was sent to ("vm", "vcpu 1") and errno, so no caller can forget to check.
#pragma once

#include <sys/ioctl.h>

#include <cerrno>
#include <string>

#include "common/result.h"

namespace deploylab::hv {

// ioctl(fd, request, arg); its non-negative result, or an Error. `name` is the request's name as
// the KVM API documentation spells it.
template <class Arg>
Result<int> kvm_ioctl(int fd, unsigned long request, Arg arg, const char* name, const std::string& object,
                      std::string hint = {}) {
  int result = ::ioctl(fd, request, arg);
  if (result < 0) return Error::os(name, object, errno, std::move(hint));
  return result;
}

}  // namespace deploylab::hv
