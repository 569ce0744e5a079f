/* hypervisor/guests/time64.c: the VMM's clock hypercall from C (lab 03). Reads guest_time_ns()
 * (DL_HC_GET_TIME) twice, prints both ("time0=<ns>\n", "time1=<ns>\n") and returns 0 if time
 * went forward, 3 if it did not (a nonzero return exits the VM with that code, see guest.h).
 */
#include "hypervisor/guests/lib/guest.h"

static void print_time(const char* name, u64 ns) {
    struct guest_line line;
    guest_line_init(&line);
    guest_line_add(&line, name);
    guest_line_add(&line, "=");
    guest_line_add_u64(&line, ns, 10);
    guest_line_add(&line, "\n");
    guest_line_print(&line);
}

int guest_main(unsigned vcpu, unsigned vcpus) {
    (void)vcpu;
    (void)vcpus;
    u64 first = guest_time_ns();
    u64 second = guest_time_ns();
    print_time("time0", first);
    print_time("time1", second);
    return second > first ? 0 : 3;
}
