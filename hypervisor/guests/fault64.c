/* hypervisor/guests/fault64.c: a page fault with nowhere to go (lab 03). It prints
 * "about to fault\n", then reads from virtual address 0x200000000 (8 GiB). The VMM's page tables
 * identity-map only the first 4 GiB, so the CPU raises a page fault; there is no IDT to handle it,
 * so that becomes a double fault, then a triple fault: KVM_EXIT_SHUTDOWN. If the read somehow
 * succeeds, the guest says so and exits with 1.
 */
#include "hypervisor/guests/lib/guest.h"

#define UNMAPPED_ADDRESS 0x200000000UL

int guest_main(unsigned vcpu, unsigned vcpus) {
    (void)vcpu;
    (void)vcpus;
    guest_print("about to fault\n");
    u64 value = *(volatile u64*)UNMAPPED_ADDRESS;
    (void)value;
    guest_print("the read did not fault\n");
    return 1;
}
