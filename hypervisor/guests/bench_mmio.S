/* hypervisor/guests/bench_mmio.S: the cost of an MMIO exit (lab 02's benchmark). Writes 32 bits to
 * the test device's scratch register ECX times, then halts. Unlike OUT, the exit only says "a
 * write to this address": KVM has to decode the instruction to learn the size and the value,
 * which is part of what is measured.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000), and
 * ECX = the number of iterations, set by the VMM (0 means none).
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code16
    .text
    .globl _start
_start:
    movw $(DL_MMIO_TEST_DEVICE >> 4), %ax  /* ES:0 = the device's page, 0xa0000 */
    movw %ax, %es
    testl %ecx, %ecx
    jz done
again:
    movl %ecx, %es:DL_MMIO_REG_SCRATCH
    decl %ecx
    jnz again
done:
    halt_forever
