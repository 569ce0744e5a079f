/* hypervisor/guests/map_gpa_range.S: a real KVM hypercall that KVM may pass on to the VMM
 * (lab 02). KVM_HC_MAP_GPA_RANGE (confidential guests use it to share memory with the host):
 * EAX = DL_KVM_HC_MAP_GPA_RANGE, EBX = the guest-physical address (0x100000, page-aligned),
 * ECX = the number of pages (2), EDX = the attributes (0). If the VMM enabled
 * KVM_CAP_EXIT_HYPERCALL for it, KVM exits to userspace with KVM_EXIT_HYPERCALL and puts the
 * VMM's answer in EAX; otherwise KVM answers -KVM_ENOSYS itself. The guest stores EAX at
 * mailbox+0 and halts.
 *
 * Built twice like hypercall_unknown.S: map_gpa_range_vmmcall.bin and map_gpa_range_vmcall.bin.
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 * Never run it on a machine whose /dev/kvm is kvm_pvm: a hypercall there hangs KVM_RUN.
 */
#include "hypervisor/guests/lib/asm_guest.h"
#ifndef KVM_HYPERCALL
#error "build with -DDL_GUEST_VMMCALL or -DDL_GUEST_VMCALL (see lib/asm_guest.h)"
#endif

    .code16
    .text
    .globl _start
_start:
    movl $DL_KVM_HC_MAP_GPA_RANGE, %eax
    movl $DL_HIGH_RAM_ADDRESS, %ebx  /* 0x100000 */
    movl $2, %ecx
    xorl %edx, %edx
    xorl %esi, %esi                  /* the fourth argument, unused */
    KVM_HYPERCALL
    movl %eax, DL_MAILBOX_ADDRESS
    halt_forever
