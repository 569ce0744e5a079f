// hypervisor/boot/fpu_state.h: the x87/SSE state a vCPU starts a Linux guest with, for
// KVM_SET_FPU (lab 04).
//
// Part of boot/, next to guest_msrs.h (the MSRs) and local_apic.h (the interrupt controller): the
// pieces of CPU state that firmware would have set up and minivmm sets instead. Pure code.
//
// Two control registers decide how floating-point code behaves:
//   FCW, the x87 control word: which exceptions are masked (bits 5:0), the precision (bits 9:8)
//       and the rounding mode (bits 11:10). 0x37f is what the FNINIT instruction loads: every
//       exception masked, 64-bit (extended) precision, round to nearest.
//   MXCSR, the SSE control/status register: 0x1f80 masks every SIMD exception and rounds to
//       nearest; it is the power-up value and what every ABI expects on entry.
// A PC's firmware has run FNINIT before the kernel starts. Power-up instead leaves FCW = 0x0040,
// with the exceptions *unmasked*, so the first x87 instruction that produces, say, an inexact
// result would raise #MF in a kernel that has not set up its handlers yet. Current KVM already
// resets vCPUs to FNINIT's state; setting it here makes the starting state ours and explicit
// (and right again after a vCPU reset for a reboot). Everything else, the x87 and XMM registers
// and the tag word (ftwx = 0 in FXSAVE's abridged format: all eight x87 registers empty), is zero.
#pragma once

#include <linux/kvm.h>

#include <cstdint>

namespace deploylab::hv {

inline constexpr std::uint16_t kFcwAfterFninit = 0x37f;
inline constexpr std::uint32_t kMxcsrDefault = 0x1f80;

// The kvm_fpu to pass to KVM_SET_FPU for every vCPU before it first runs.
kvm_fpu initial_fpu();

}  // namespace deploylab::hv
