/* hypervisor/guests/lib/guest.h: the guest library of the long-mode C guests (lab 03). There is no
 * C library inside the guest: these few functions are all a guest has, and each is a thin wrapper
 * over one instruction or one hypercall of the ABI in hypervisor/guests/abi.h.
 *
 * Entry (lib/start.S): the VMM starts every vCPU at the load address with RDI = its id and
 * RSI = the number of vCPUs; start.S calls
 *
 *     int guest_main(unsigned vcpu, unsigned vcpus);
 *
 * which each guest defines. The return value decides what happens next:
 *   - nonzero: the whole VM exits with that code (the DL_HC_EXIT hypercall), whichever vCPU
 *     returned it;
 *   - zero: this vCPU halts (HLT in a loop) and the others run on; the VMM stops the VM once
 *     every vCPU has halted.
 * So a guest with several vCPUs returns 0 on all of them, or has one vCPU decide the exit code.
 *
 * Memory is identity-mapped (virtual address == guest-physical address), so a pointer can be
 * passed to the VMM as it is. The VMM zero-fills RAM, so .bss and zero globals start at zero.
 */
#ifndef DEPLOYLAB_HYPERVISOR_GUESTS_LIB_GUEST_H
#define DEPLOYLAB_HYPERVISOR_GUESTS_LIB_GUEST_H

#include "hypervisor/guests/abi.h"

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;

/* Defined by each guest; see above. */
int guest_main(unsigned vcpu, unsigned vcpus);

/* Port-I/O hypercall (abi.h): number in RAX, arguments in RBX, RCX, RDX, RSI, result in RAX. */
u64 guest_hypercall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3);

/* DL_HC_PRINT of a NUL-terminated string: the VMM prints it in one piece, so lines printed by
 * different vCPUs never mix within a call. */
void guest_print(const char* text);
/* Prints `value` in `base` (2..16), without a prefix: guest_print_u64(255, 16) prints "ff". */
void guest_print_u64(u64 value, unsigned base);
/* Nanoseconds since the VM started (DL_HC_GET_TIME). */
u64 guest_time_ns(void);
/* Stops the whole VM with `code` (DL_HC_EXIT). */
__attribute__((noreturn)) void guest_exit(int code);
/* HLT: exits to the VMM until it runs this vCPU again. */
void guest_halt(void);

/* A line of text built up in pieces and printed with one hypercall (so it stays in one piece
 * when several vCPUs print). Text beyond the buffer is dropped. Start with guest_line_init(). */
struct guest_line {
    unsigned length;
    char text[120];
};
void guest_line_init(struct guest_line* line);
void guest_line_add(struct guest_line* line, const char* text);
void guest_line_add_u64(struct guest_line* line, u64 value, unsigned base);
void guest_line_print(struct guest_line* line); /* prints, then empties the line */

/* Port I/O: each IN or OUT to a port the VMM emulates is one VM exit. */
void guest_outb(u32 port, u8 value);
u8 guest_inb(u32 port);

/* MMIO: a load or store to guest-physical memory that has no RAM behind it exits to the VMM,
 * which emulates the device. volatile, so the compiler makes exactly one access per call. */
u32 guest_mmio_read32(u64 address);
void guest_mmio_write32(u64 address, u32 value);

#endif
