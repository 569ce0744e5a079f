/* hypervisor/guests/lib/start.S: where every long-mode C guest begins (lab 03). The linker
 * script (guest.ld) puts this code first, at DL_LONG_MODE_LOAD_ADDRESS, where the VMM points RIP.
 *
 * The VMM has already done what a boot loader would: the CPU is in 64-bit long mode with paging
 * on (4 GiB identity-mapped), RSP is the top of this vCPU's stack, RDI is the vCPU id and RSI
 * the number of vCPUs, which are exactly the first two arguments of a C call in the System V
 * ABI. So _start only tidies up and calls guest_main(vcpu, vcpus); what its return value means
 * is documented in guest.h.
 */
#include "hypervisor/guests/abi.h"

    .code64
    .section .text.start, "ax"
    .globl _start
_start:
    andq $-16, %rsp             /* the ABI wants RSP 16-byte aligned at a call */
    xorl %ebp, %ebp             /* no caller frame: stops a backtrace here */
    cld                         /* the ABI promises C code the direction flag is clear */
    call guest_main             /* EAX = its return value */
    testl %eax, %eax
    jz halt                     /* 0: this vCPU is done; the others may still run */
    movl %eax, %ebx             /* nonzero: exit the whole VM with that code */
    movl $DL_HC_EXIT, %eax
    outb %al, $DL_PORT_HYPERCALL
halt:
    hlt                         /* the VMM stops the VM once every vCPU has halted */
    jmp halt
