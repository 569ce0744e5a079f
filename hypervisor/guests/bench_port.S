/* hypervisor/guests/bench_port.S: the cost of a port-I/O exit (lab 02's benchmark). Writes a byte
 * to the null device DL_PORT_NULL ECX times, then halts. Every OUT leaves the guest, goes through
 * KVM to the VMM in userspace and back: divide the run time by ECX.
 *
 * Entry: real mode, CS = DS = ES = SS = 0, IP = SP = DL_REAL_MODE_LOAD_ADDRESS (0x8000), and
 * ECX = the number of iterations, set by the VMM (0 means none).
 */
#include "hypervisor/guests/lib/asm_guest.h"

    .code16
    .text
    .globl _start
_start:
    testl %ecx, %ecx
    jz done
again:
    outb %al, $DL_PORT_NULL
    decl %ecx
    jnz again
done:
    halt_forever
