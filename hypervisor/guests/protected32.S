/* hypervisor/guests/protected32.S: a guest in 32-bit protected mode (lab 03). The VMM enters it
 * there directly, as a boot loader would: CR0.PE set, CS = DL_GDT_CODE32 and flat 4 GiB data
 * segments from its GDT, EIP = DL_REAL_MODE_LOAD_ADDRESS (0x8000; same place and same linker
 * script as the real-mode guests, but the code is 32-bit). It prints "protected mode\n", stores
 * CR0 at mailbox+0 (bit 0, PE, is set; PG, bit 31, is not) and halts.
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code32
    .text
    .globl _start
_start:
    debug_print message
    movl %cr0, %eax
    movl %eax, DL_MAILBOX_ADDRESS
    halt_forever

message:
    .asciz "protected mode\n"
