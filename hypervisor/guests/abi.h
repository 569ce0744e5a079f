/* hypervisor/guests/abi.h: the contract between minivmm (the host side, hypervisor/) and the
 * guest programs it runs (hypervisor/guests/). Both sides include this file, so it is plain C
 * that compiles freestanding: constants only, no functions.
 *
 * Guest-physical memory map. It follows the PC's: RAM below 640 KiB, a hole up to 1 MiB where
 * devices live, RAM again from 1 MiB. Real-mode guests (labs 01-02) live in low RAM; long-mode
 * guests (lab 03) are loaded at 1 MiB like a Linux kernel.
 *
 *   0x000500  mailbox: 64 bytes where guests leave values for the host (tests read them)
 *   0x001000  GDT (lab 03)
 *   0x002000  identity page tables: PML4, PDPT, then 4 page directories (4 GiB in 2 MiB pages)
 *   0x008000  real-mode guests are loaded here; their stack grows down from here
 *   0x0a0000  MMIO test device (one page); the rest of the hole up to 0x100000 is unclaimed
 *   0x100000  long-mode guests are loaded here; each vCPU's stack is at the top of high RAM
 *
 * I/O ports:
 *   0xe9  debug console: every byte written is one character of guest output (the port that
 *         Bochs and QEMU's -debugcon use)
 *   0xea  hypercall doorbell: `out %al, $0xea` asks the VMM for a service; see below
 *   0xeb  null device: writes are accepted and dropped, reads return 0 (the exit benchmark)
 *
 * Port-I/O hypercall ABI (lab 02): the guest puts the call number in RAX and the arguments in
 * RBX, RCX, RDX, RSI, then writes any byte to the doorbell port. The VMM reads the registers,
 * does the work and puts the result in RAX before the guest runs on. Guest addresses passed to
 * hypercalls are guest-physical (our long-mode guests identity-map memory, so theirs are too).
 *
 * Long-mode entry (lab 03): RIP = the load address, RDI = this vCPU's id (0, 1, ...),
 * RSI = the number of vCPUs, RSP = the top of this vCPU's stack.
 */
#ifndef DEPLOYLAB_HYPERVISOR_GUESTS_ABI_H
#define DEPLOYLAB_HYPERVISOR_GUESTS_ABI_H

#define DL_MAILBOX_ADDRESS 0x500
#define DL_MAILBOX_SIZE 64
#define DL_GDT_ADDRESS 0x1000
#define DL_PAGE_TABLES_ADDRESS 0x2000
#define DL_REAL_MODE_LOAD_ADDRESS 0x8000
#define DL_LOW_RAM_SIZE 0xa0000
#define DL_MMIO_TEST_DEVICE 0xa0000
#define DL_MMIO_TEST_DEVICE_SIZE 0x1000
#define DL_HIGH_RAM_ADDRESS 0x100000
#define DL_LONG_MODE_LOAD_ADDRESS 0x100000
#define DL_STACK_SIZE_PER_VCPU 0x4000

#define DL_PORT_DEBUG_CONSOLE 0xe9
#define DL_PORT_HYPERCALL 0xea
#define DL_PORT_NULL 0xeb

/* Selectors of the GDT the VMM writes at DL_GDT_ADDRESS (lab 03): entry index * 8. */
#define DL_GDT_NULL 0x00
#define DL_GDT_CODE64 0x08 /* 64-bit code (L=1), ring 0 */
#define DL_GDT_DATA 0x10   /* flat 4 GiB read/write data, ring 0 */
#define DL_GDT_CODE32 0x18 /* 32-bit code (D=1), ring 0, for protected mode */
#define DL_GDT_ENTRIES 4

/* MMIO test device registers (offsets in its page, 32 bits each). */
#define DL_MMIO_REG_SCRATCH 0x0 /* reads return the last value written */
#define DL_MMIO_REG_COUNTER 0x4 /* reads return how many accesses the device has seen */

/* Port-I/O hypercall numbers (RAX). */
#define DL_HC_PRINT 1    /* RBX = address of the text, RCX = its length; RAX = 0 */
#define DL_HC_GET_TIME 2 /* RAX = nanoseconds since the VM started */
#define DL_HC_EXIT 3     /* RBX = exit code; the whole VM stops, minivmm exits with it */
/* Any other number: RAX = DL_HC_ERROR_UNKNOWN. */
#define DL_HC_ERROR_UNKNOWN ((unsigned long)-1)

/* The real VMCALL/VMMCALL (lab 02): numbers KVM itself knows (include/uapi/linux/kvm_para.h).
 * KVM answers a number it does not know with -KVM_ENOSYS in RAX. */
#define DL_KVM_HC_MAP_GPA_RANGE 12
#define DL_KVM_ENOSYS 1000

#endif
