/* hypervisor/guests/bench_hypercall.S: the cost of a hypercall KVM answers without leaving the
 * kernel (lab 02's benchmark). ECX times: EAX = 12345 (unknown to KVM), then VMMCALL or VMCALL,
 * which KVM answers with -KVM_ENOSYS in EAX (so EAX is set again every time). Then HLT. Compare
 * with bench_port: same loop, but no trip to the VMM in userspace.
 *
 * Built twice like hypercall_unknown.S: bench_hypercall_vmmcall.bin and bench_hypercall_vmcall.bin.
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000), and
 * ECX = the number of iterations, set by the VMM (0 means none).
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
    testl %ecx, %ecx
    jz done
again:
    movl $12345, %eax
    KVM_HYPERCALL
    decl %ecx
    jnz again
done:
    halt_forever
