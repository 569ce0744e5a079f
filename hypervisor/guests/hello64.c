/* hypervisor/guests/hello64.c: the first C guest (lab 03). Proves the VMM switched the vCPU to
 * 64-bit long mode: it prints "hello from long mode\n", then the control registers that say so,
 * one line each in hex (like "cr4=0x20\n"): CR0 (PE and PG set), CR4 (PAE set) and the
 * EFER MSR (LME and LMA set). It stores EFER at mailbox+0 (64 bits) and returns 0 (halts).
 */
#include "hypervisor/guests/lib/guest.h"

#define MSR_EFER 0xC0000080

static u64 read_cr0(void) {
    u64 value;
    __asm__ volatile("mov %%cr0, %0" : "=r"(value));
    return value;
}

static u64 read_cr4(void) {
    u64 value;
    __asm__ volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}

/* RDMSR: ECX names the register, the value comes back split in EDX:EAX. */
static u64 read_msr(u32 msr) {
    u32 low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((u64)high << 32) | low;
}

static void print_register(const char* name, u64 value) {
    struct guest_line line;
    guest_line_init(&line);
    guest_line_add(&line, name);
    guest_line_add(&line, "=0x");
    guest_line_add_u64(&line, value, 16);
    guest_line_add(&line, "\n");
    guest_line_print(&line);
}

int guest_main(unsigned vcpu, unsigned vcpus) {
    (void)vcpu;
    (void)vcpus;
    guest_print("hello from long mode\n");
    u64 efer = read_msr(MSR_EFER);
    print_register("cr0", read_cr0());
    print_register("cr4", read_cr4());
    print_register("efer", efer);
    *(volatile u64*)DL_MAILBOX_ADDRESS = efer;
    return 0;
}
