/* hypervisor/guests/vcpus.c: several vCPUs running the same code (lab 03). Each prints
 * "vCPU <id> of <n> reporting\n" in one hypercall (so lines from different vCPUs never mix; their
 * order is up to the scheduler), stores id + 1 as a u64 at mailbox + 8 * id (so the host sees
 * which vCPUs ran: 1, 2, ... and 0 for any that did not) and returns 0, halting. The VM ends when
 * all have halted. The mailbox has room for 8 vCPUs; higher ids only print.
 */
#include "hypervisor/guests/lib/guest.h"

int guest_main(unsigned vcpu, unsigned vcpus) {
    struct guest_line line;
    guest_line_init(&line);
    guest_line_add(&line, "vCPU ");
    guest_line_add_u64(&line, vcpu, 10);
    guest_line_add(&line, " of ");
    guest_line_add_u64(&line, vcpus, 10);
    guest_line_add(&line, " reporting\n");
    guest_line_print(&line);

    if (vcpu < DL_MAILBOX_SIZE / 8) {
        volatile u64* slots = (volatile u64*)DL_MAILBOX_ADDRESS;
        slots[vcpu] = vcpu + 1;
    }
    return 0;
}
