// hypervisor/boot/cpu_mode.h: the special registers (kvm_sregs) that put a vCPU in real mode,
// 32-bit protected mode or 64-bit long mode (lab 03).
//
// Part of boot/: gdt.h and page_tables.h put the GDT and the page tables in guest memory; this
// file sets the registers that point at them. Everything is pure: the functions take the sregs
// KVM_GET_SREGS returned and give back the sregs to pass to KVM_SET_SREGS (hypervisor/kvm/
// vcpu.h), so the tests check every bit without /dev/kvm. The caller sets RIP, RSP and RFLAGS.
//
// How a real PC gets to long mode, and why in this order. It starts in real mode (CR0.PE = 0).
//   1. Load GDTR, set CR0.PE and far-jump to a 32-bit code segment: protected mode. The far jump
//      is what reloads CS, hidden part included (gdt.h); until then the CPU still runs the old
//      16-bit CS.
//   2. Set CR4.PAE. Long mode walks tables of 8-byte entries, the format PAE introduced; the
//      CPU refuses (#GP) to turn paging on for long mode with the 4-byte 32-bit format selected.
//   3. Point CR3 at the PML4 (page_tables.h).
//   4. Set EFER.LME (Long Mode Enable) with WRMSR. Nothing happens yet: LME is a request.
//   5. Set CR0.PG. Turning paging on is the moment the CPU picks the paging mode, so LME and PAE
//      must be in place before: with them it activates 4-level paging and sets EFER.LMA (Long
//      Mode Active). Software never writes LMA; it is the CPU's report that LME + PG took effect.
//   6. Far-jump to a code segment with L = 1: only now does the CPU decode 64-bit instructions.
//      Until then it runs in "compatibility mode" (long mode, 32-bit code).
//
// KVM_SET_SREGS skips the walk: it loads all the registers at once, hidden parts of the segment
// registers included, so the vCPU's first instruction already runs in the final mode. There is
// no moment at which CR0.PG goes from 0 to 1, so nothing sets LMA for us: we hand KVM the value
// the CPU would have computed (LMA = LME and PG), and KVM refuses (EINVAL) combinations no CPU
// could be in, such as LME + PG without PAE or LMA, or CS.L = 1 outside long mode.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

enum class CpuMode {
  real,         // CR0.PE = 0: 16-bit code, address = segment * 16 + offset, no protection
  protected32,  // CR0.PE = 1, not in 64-bit mode: segments from the GDT, 32-bit code
  long64,       // EFER.LMA = 1 and CS.L = 1: 64-bit code, 4-level paging
};

// The mode the vCPU with these registers executes in. Compatibility mode (EFER.LMA = 1 but a
// CS with L = 0) runs 32-bit code, so it counts as protected32.
CpuMode mode_of(const kvm_sregs& sregs);

// "real mode", "32-bit protected mode", "64-bit long mode": for messages and logs.
std::string describe_mode(CpuMode mode);

// The size build_identity_map() maps for long-mode guests: all of the 32-bit address space, so
// the guest reaches its RAM and the MMIO devices under 4 GiB at their physical addresses.
inline constexpr std::uint64_t kIdentityMapSize = 4ull << 30;

// Real mode with CS = DS = ES = SS = FS = GS = 0 (base 0, selector 0, 64 KiB limits), so a guest
// address is a physical address; paging and long mode off, the IDT at 0 as after reset. Labs
// 01-02's guests run like this.
kvm_sregs real_mode_sregs(const kvm_sregs& current);

// 32-bit protected mode on the standard GDT at DL_GDT_ADDRESS (gdt.h): CR0.PE set, paging and
// long mode off, CS = DL_GDT_CODE32 and the data segments DL_GDT_DATA, all flat.
kvm_sregs protected_mode_sregs(const kvm_sregs& current);

// 64-bit long mode: CR0.PE and PG, CR4.PAE, EFER.LME and LMA, CR3 = `cr3`, CS = DL_GDT_CODE64
// (L = 1), the data segments DL_GDT_DATA, GDTR at the standard GDT at DL_GDT_ADDRESS.
kvm_sregs long_mode_sregs(const kvm_sregs& current, std::uint64_t cr3);

// Both of these also turn on caching (reset leaves CR0.CD and NW set), the x87 FPU and SSE
// (CR0.MP and NE on, EM and TS off, CR4.OSFXSR and OSXMMEXCPT on: compilers use SSE registers
// in ordinary C code, and without these every such instruction faults), and load an empty IDT
// (limit 0). A guest that faults before it loads its own IDT then triple-faults at once, which
// KVM reports as KVM_EXIT_SHUTDOWN, instead of jumping through whatever bytes sit at address 0.
// TR and LDTR are kept as reset left them: our guests switch neither tasks nor privilege levels.

// Writes the standard GDT at DL_GDT_ADDRESS and returns protected_mode_sregs(current).
Result<kvm_sregs> prepare_protected_mode(const GuestMemory& memory, const kvm_sregs& current);

// Writes the standard GDT at DL_GDT_ADDRESS and an identity map of kIdentityMapSize at
// DL_PAGE_TABLES_ADDRESS, and returns long_mode_sregs(current, <their CR3>).
Result<kvm_sregs> prepare_long_mode(const GuestMemory& memory, const kvm_sregs& current);

}  // namespace deploylab::hv
