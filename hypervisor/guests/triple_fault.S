/* hypervisor/guests/triple_fault.S: a guest that kills its own CPU (lab 02). It prints "fault\n"
 * (so a test sees it got this far), loads an interrupt table of size zero, then raises
 * interrupt 3. The CPU cannot find a handler (#GP), nor one for that (#DF, double fault): a
 * triple fault, which on a PC resets the machine and under KVM ends the run with
 * KVM_EXIT_SHUTDOWN.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code16
    .text
    .globl _start
_start:
    debug_print message
    lidt empty_idt
    int $3
    halt_forever                /* not reached */

empty_idt:                      /* the 6 bytes LIDT loads: limit 0, base 0 */
    .word 0
    .long 0
message:
    .asciz "fault\n"
