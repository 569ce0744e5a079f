/* hypervisor/guests/segments64.c: checks the VMM's GDT (lab 03). The VMM sets the segment
 * registers directly (KVM_SET_SREGS), so a wrong GDT in memory goes unnoticed until the guest
 * loads a selector itself. This guest does: DS, ES and SS get DL_GDT_DATA, and CS gets
 * DL_GDT_CODE64 through a far return (CS cannot be loaded with MOV). Then it prints
 * "segments reloaded\n" and returns 0. With a bad descriptor the CPU faults instead (no IDT, so
 * a triple fault: KVM_EXIT_SHUTDOWN) and the line never appears.
 */
#include "hypervisor/guests/lib/guest.h"

static void reload_segments(void) {
    __asm__ volatile(
        "mov %w[data], %%ds\n\t"
        "mov %w[data], %%es\n\t"
        "mov %w[data], %%ss\n\t"
        /* LRETQ pops RIP, then CS: push CS first, then the address of label 1. */
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:"
        :
        : [data] "r"((u64)DL_GDT_DATA), [code] "i"(DL_GDT_CODE64)
        : "rax", "memory");
}

int guest_main(unsigned vcpu, unsigned vcpus) {
    (void)vcpu;
    (void)vcpus;
    reload_segments();
    guest_print("segments reloaded\n");
    return 0;
}
