// hypervisor/boot/reset_state.h: test support for the boot tests: the special registers
// KVM_GET_SREGS returns for a fresh vCPU, i.e. the x86 reset state (Intel SDM vol. 3A, "IA-32 and
// Intel 64 Processor States Following Power-up, Reset, or INIT"), so the CPU-mode functions can be
// tested on what they will really be given, without /dev/kvm.
#pragma once

#include <linux/kvm.h>

#include <cstdint>

#include "hypervisor/boot/x86.h"

namespace deploylab::hv {

inline kvm_segment reset_segment(std::uint8_t type) {
  kvm_segment segment{};
  segment.limit = 0xffff;
  segment.type = type;
  segment.present = 1;
  segment.s = 1;
  return segment;
}

inline kvm_sregs reset_sregs() {
  kvm_sregs sregs{};
  sregs.cs = reset_segment(0xb);
  sregs.cs.selector = 0xf000;
  sregs.cs.base = 0xffff0000;  // the first instruction is fetched at 0xfffffff0
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = reset_segment(0x3);
  sregs.tr = reset_segment(0xb);
  sregs.tr.s = 0;
  sregs.ldt = reset_segment(0x2);
  sregs.ldt.s = 0;
  sregs.gdt.limit = 0xffff;
  sregs.idt.limit = 0xffff;
  sregs.cr0 = kCr0CD | kCr0NW | kCr0ET;  // 0x60000010
  sregs.apic_base = 0xfee00900;
  return sregs;
}

}  // namespace deploylab::hv
