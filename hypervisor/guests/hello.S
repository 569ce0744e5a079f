/* hypervisor/guests/hello.S: the first guest (lab 01). A few real-mode instructions that show
 * the three ways a guest talks to its VMM or leaves results behind:
 *   - port I/O: "Hello from the guest!\n" to the debug console, one OUT (one exit) per byte;
 *   - memory: 0xC0DE0001 stored at the mailbox, which the host reads after the run;
 *   - registers: EAX = 1 + 2 + ... + 100 = 5050 at the HLT, which the host reads with
 *     KVM_GET_REGS.
 * Then HLT, the exit that ends the run.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code16
    .text
    .globl _start
_start:
    debug_print message

    /* A bare number is a memory operand in AT&T syntax: this stores to DS:0x500. */
    movl $0xC0DE0001, DL_MAILBOX_ADDRESS

    /* EAX = 100 + 99 + ... + 1 */
    xorl %eax, %eax
    movl $100, %ecx
sum:
    addl %ecx, %eax
    decl %ecx
    jnz sum

    halt_forever

message:
    .asciz "Hello from the guest!\n"
