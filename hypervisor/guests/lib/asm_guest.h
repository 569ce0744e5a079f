/* hypervisor/guests/lib/asm_guest.h: helpers shared by the assembly guests (the real-mode ones of
 * labs 01-02 and protected32.S of lab 03). Included from .S files, which go through the C
 * preprocessor first, so this holds cpp macros and GNU as macros, no C.
 */
#ifndef DEPLOYLAB_HYPERVISOR_GUESTS_LIB_ASM_GUEST_H
#define DEPLOYLAB_HYPERVISOR_GUESTS_LIB_ASM_GUEST_H

#include "hypervisor/guests/abi.h"

/* The hypercall instruction KVM itself handles. AMD calls it VMMCALL (0f 01 d9), Intel VMCALL
 * (0f 01 c1); each CPU raises #UD on the other's, which KVM catches and patches in memory into
 * its own. The build makes two images of each hypercall guest, one per instruction, with
 * -DDL_GUEST_VMMCALL or -DDL_GUEST_VMCALL (cmake/DeploylabGuests.cmake). */
#if defined(DL_GUEST_VMMCALL)
#define KVM_HYPERCALL vmmcall
#elif defined(DL_GUEST_VMCALL)
#define KVM_HYPERCALL vmcall
#endif

/* debug_print label: writes the NUL-terminated string at `label` to the debug console, one OUT
 * (one VM exit) per character. Works in 16- and 32-bit code: the address goes into ESI, and
 * LODSB reads DS:SI in real mode, DS:ESI in protected mode. Clobbers EAX and ESI. */
.macro debug_print label
    cld                            /* LODSB walks forward */
    mov $\label, %esi
1:  lodsb                          /* AL = next byte, advance SI */
    test %al, %al
    jz 2f
    outb %al, $DL_PORT_DEBUG_CONSOLE
    jmp 1b
2:
.endm

/* halt_forever: HLT exits to the VMM, which normally stops the guest there. Should the VMM run
 * the vCPU again, halt again rather than run into whatever bytes follow. */
.macro halt_forever
3:  hlt
    jmp 3b
.endm

#endif
