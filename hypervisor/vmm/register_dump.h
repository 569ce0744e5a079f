// hypervisor/vmm/register_dump.h: a vCPU's registers as text, for the report of a guest that
// crashed (the dump Linux prints on an oops, in miniature). Pure: formats what KVM_GET_REGS and
// KVM_GET_SREGS returned.
#pragma once

#include <linux/kvm.h>

#include <string>

namespace deploylab::hv {

std::string format_register_dump(const kvm_regs& regs, const kvm_sregs& sregs);

}  // namespace deploylab::hv
