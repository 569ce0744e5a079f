/* hypervisor/guests/port_hypercalls.S: the VMM's own port-I/O hypercalls (lab 02; the ABI is in
 * abi.h: number in EAX, arguments in EBX, ECX, ..., then any byte to the doorbell port, result in
 * EAX). In order:
 *   - DL_HC_PRINT of "hello via hypercall\n" (address and length, no NUL needed);
 *   - DL_HC_GET_TIME: the low 32 bits of the result stored at mailbox+0;
 *   - number 99, which the VMM does not know: the result (expect 0xffffffff) at mailbox+4;
 *   - DL_HC_EXIT with code 7: the VM stops here and minivmm exits with 7.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000).
 * The 32-bit registers work in real mode (the assembler adds an operand-size prefix); the VMM
 * uses only their low 32 bits outside long mode.
 */
#include "hypervisor/guests/lib/asm_guest.h"

#define MAILBOX DL_MAILBOX_ADDRESS

    .code16
    .text
    .globl _start
_start:
    movl $DL_HC_PRINT, %eax
    movl $message, %ebx
    movl $(message_end - message), %ecx
    outb %al, $DL_PORT_HYPERCALL

    movl $DL_HC_GET_TIME, %eax
    outb %al, $DL_PORT_HYPERCALL
    movl %eax, MAILBOX + 0

    movl $99, %eax
    outb %al, $DL_PORT_HYPERCALL
    movl %eax, MAILBOX + 4

    movl $DL_HC_EXIT, %eax
    movl $7, %ebx
    outb %al, $DL_PORT_HYPERCALL

    halt_forever                /* not reached: DL_HC_EXIT does not return */

message:
    .ascii "hello via hypercall\n"
message_end:
