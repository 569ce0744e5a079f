/* hypervisor/guests/hypercall_unknown.S: a real KVM hypercall that never reaches the VMM (lab 02).
 * EAX = 12345, a number KVM does not know; then VMMCALL or VMCALL. KVM's kernel part handles it:
 * it puts -KVM_ENOSYS in EAX (0xfffffc18, i.e. -1000 as 32 bits) and resumes the guest, with no
 * exit to userspace. The guest stores EAX at mailbox+0 and halts.
 *
 * Built twice: hypercall_unknown_vmmcall.bin (AMD's VMMCALL, 0f 01 d9) and
 * hypercall_unknown_vmcall.bin (Intel's VMCALL, 0f 01 c1). The instruction sits at offset 0x10
 * of the image (guest-physical 0x8010), so after the run a test can read those 3 bytes back and
 * see that KVM rewrote the other vendor's instruction into its own CPU's.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 * Never run it on a machine whose /dev/kvm is kvm_pvm: a hypercall there hangs KVM_RUN.
 */
#include "hypervisor/guests/lib/asm_guest.h"
#ifndef KVM_HYPERCALL
#error "build with -DDL_GUEST_VMMCALL or -DDL_GUEST_VMCALL (see lib/asm_guest.h)"
#endif

#define HYPERCALL_OFFSET 0x10

    .code16
    .text
    .globl _start
_start:
    movl $12345, %eax
    .org HYPERCALL_OFFSET, 0x90  /* NOPs up to offset 0x10 (an error if the code above is longer) */
hypercall:
    KVM_HYPERCALL
    movl %eax, DL_MAILBOX_ADDRESS
    halt_forever
