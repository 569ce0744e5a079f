/* hypervisor/guests/spin.S: a guest that never stops (lab 02, minivmm's --timeout). It prints
 * "spinning\n", then jumps to itself forever: no exit ever comes back to the VMM, so only a
 * timeout (a signal that kicks the vCPU out of KVM_RUN) ends the run.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code16
    .text
    .globl _start
_start:
    debug_print message
forever:
    jmp forever

message:
    .asciz "spinning\n"
