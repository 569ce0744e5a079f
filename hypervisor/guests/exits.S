/* hypervisor/guests/exits.S: a tour of the exit kinds (lab 02). In order:
 *   - port output: "exits\n" to the debug console (KVM_EXIT_IO, out);
 *   - port input: a byte from the null device DL_PORT_NULL (KVM_EXIT_IO, in), stored
 *     zero-extended as 32 bits at mailbox+0 (the VMM answers 0);
 *   - MMIO write: 0x1234ABCD to the test device's scratch register (KVM_EXIT_MMIO, write);
 *   - MMIO read: the scratch register back, stored at mailbox+4 (expect 0x1234ABCD);
 *   - MMIO read: the device's access counter, stored at mailbox+8;
 *   - HLT (KVM_EXIT_HLT).
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 * The device page at 0xa0000 is past what a 16-bit offset reaches from segment 0, so the MMIO
 * accesses go through ES = 0xa000 (real-mode address = segment * 16 + offset).
 */
#include "hypervisor/guests/lib/asm_guest.h"

#define MAILBOX DL_MAILBOX_ADDRESS

    .code16
    .text
    .globl _start
_start:
    debug_print message

    inb $DL_PORT_NULL, %al
    movzbl %al, %eax
    movl %eax, MAILBOX + 0

    movw $(DL_MMIO_TEST_DEVICE >> 4), %ax
    movw %ax, %es
    movl $0x1234ABCD, %es:DL_MMIO_REG_SCRATCH
    movl %es:DL_MMIO_REG_SCRATCH, %eax
    movl %eax, MAILBOX + 4
    movl %es:DL_MMIO_REG_COUNTER, %eax
    movl %eax, MAILBOX + 8

    halt_forever

message:
    .asciz "exits\n"
