/* hypervisor/guests/unmapped.S: a read from memory that nobody claims (lab 02). It prints
 * "touching the hole\n", then reads 32 bits from guest-physical 0xb0000, in the hole between low
 * RAM and 1 MiB where no RAM and no device sits. KVM exits with KVM_EXIT_MMIO like for any
 * device; what the VMM answers (an error, or all ones like an empty PC bus) is its decision. If
 * the VMM lets the guest go on, the value is in EAX at the HLT.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 */
#include "hypervisor/guests/lib/asm_guest.h"

#define HOLE_ADDRESS 0xb0000

    .code16
    .text
    .globl _start
_start:
    debug_print message
    movw $(HOLE_ADDRESS >> 4), %ax  /* ES:0 = 0xb000 * 16 + 0 = 0xb0000 */
    movw %ax, %es
    movl %es:0, %eax
    halt_forever

message:
    .asciz "touching the hole\n"
