# cmake/DeploylabGuests.cmake: builds the guest programs that minivmm runs (hypervisor/guests/,
# labs 01-03) into flat binaries, BUILD/guests/NAME.bin: raw bytes the VMM copies into guest
# memory at the load address and jumps to, no ELF headers. Included by
# hypervisor/guests/CMakeLists.txt.
#
# Guests are not host programs, so they do not go through the project's C++ toolchain settings
# (flags, sanitizers, ccache): custom commands call gcc, ld and objcopy directly.
#
#   deploylab_real_mode_guest(NAME SOURCE [DEFINES D ...])
#       A GNU as source (.S, through the C preprocessor with -DD for each D) linked at
#       DL_REAL_MODE_LOAD_ADDRESS: the real-mode guests and protected32.
#   deploylab_long_mode_guest(NAME SOURCES file.c ...)
#       Freestanding 64-bit C linked at DL_LONG_MODE_LOAD_ADDRESS with the guest library
#       (hypervisor/guests/lib/: start.S calls guest_main()).
#   deploylab_guests        custom target, part of ALL, that builds every guest.
#   deploylab_guest_paths   INTERFACE library for host code (the VMM, tests): linking it defines
#                           DEPLOYLAB_GUEST_DIR="BUILD/guests" and makes the linking target build
#                           after deploylab_guests (a dependency of an INTERFACE library is passed
#                           on to the targets that link it).
#
# Intermediate files (NAME.o, NAME.elf with symbols, the preprocessed linker scripts) stay in the
# build directory of hypervisor/guests/. Each guest is rebuilt when its sources, abi.h, the guest
# library or a linker script change.

find_program(DEPLOYLAB_GUEST_GCC gcc REQUIRED)
find_program(DEPLOYLAB_GUEST_LD ld REQUIRED)
find_program(DEPLOYLAB_GUEST_OBJCOPY objcopy REQUIRED)

set(DEPLOYLAB_GUEST_DIR ${CMAKE_BINARY_DIR}/guests)
set(DEPLOYLAB_GUEST_SOURCE_DIR ${PROJECT_SOURCE_DIR}/hypervisor/guests)
set(DEPLOYLAB_GUEST_WORK_DIR ${CMAKE_CURRENT_BINARY_DIR})
file(MAKE_DIRECTORY ${DEPLOYLAB_GUEST_DIR})

set(DEPLOYLAB_GUEST_ABI ${DEPLOYLAB_GUEST_SOURCE_DIR}/abi.h)
set(DEPLOYLAB_GUEST_ASM_HEADERS
    ${DEPLOYLAB_GUEST_ABI} ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/asm_guest.h)
set(DEPLOYLAB_GUEST_LIBRARY
    ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/start.S
    ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/guest.c)
set(DEPLOYLAB_GUEST_LIBRARY_HEADERS
    ${DEPLOYLAB_GUEST_ABI} ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/guest.h)

# Assembly guests: -m32 gives 32-bit ELF objects; .code16 in the source makes the code 16-bit.
set(DEPLOYLAB_GUEST_ASM_FLAGS -m32 -Wa,--noexecstack -I${PROJECT_SOURCE_DIR})
# A flat image is one blob of code and data, so the "RWX segment" warning means nothing here.
set(DEPLOYLAB_GUEST_LD_FLAGS --build-id=none --no-warn-rwx-segments --fatal-warnings)

# Long-mode C guests. Each group is there for a reason:
#   no C library or startup files, no builtins assumed (-ffreestanding implies -fno-builtin);
#   absolute addresses, linked at a fixed place (no PIC/PIE);
#   no red zone (an interrupt or our own asm may push below RSP), no SSE (the VMM does not
#   enable it);
#   no stack protector (no canary setup), no unwind tables, no CET instructions;
#   warnings are errors, as in the rest of the kit; min-pagesize=0 because GCC 12 takes any
#   access to a fixed address below 4 KiB for a null-pointer bug, and our mailbox (0x500) is not.
set(DEPLOYLAB_GUEST_C_FLAGS
    -m64 -ffreestanding -nostdlib -static
    -fno-pic -fno-pie -no-pie
    -mno-red-zone -mgeneral-regs-only
    -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none
    -O2 -Wall -Wextra -Werror --param=min-pagesize=0
    -Wa,--noexecstack -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,--fatal-warnings
    -I${PROJECT_SOURCE_DIR})

add_custom_target(deploylab_guests ALL)
add_library(deploylab_guest_paths INTERFACE)
target_compile_definitions(deploylab_guest_paths
  INTERFACE DEPLOYLAB_GUEST_DIR="${DEPLOYLAB_GUEST_DIR}")
add_dependencies(deploylab_guest_paths deploylab_guests)

# Linker scripts cannot include a header, so they go through the C preprocessor (like Linux's
# vmlinux.lds.S) to take the load addresses from abi.h. -undef: no predefined macros such as
# `linux` or `i386` replacing words of the script.
function(_deploylab_guest_linker_script script)
  add_custom_command(
    OUTPUT ${DEPLOYLAB_GUEST_WORK_DIR}/${script}
    COMMAND ${DEPLOYLAB_GUEST_GCC} -E -P -undef -x c -I${PROJECT_SOURCE_DIR}
            -o ${DEPLOYLAB_GUEST_WORK_DIR}/${script} ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/${script}
    DEPENDS ${DEPLOYLAB_GUEST_SOURCE_DIR}/lib/${script} ${DEPLOYLAB_GUEST_ABI}
    COMMENT "Preprocessing guest linker script ${script}"
    VERBATIM)
endfunction()
_deploylab_guest_linker_script(real_mode.ld)
_deploylab_guest_linker_script(guest.ld)

function(deploylab_real_mode_guest name source)
  cmake_parse_arguments(ARG "" "" "DEFINES" ${ARGN})
  cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  list(TRANSFORM ARG_DEFINES PREPEND -D)
  set(work ${DEPLOYLAB_GUEST_WORK_DIR}/${name})
  set(script ${DEPLOYLAB_GUEST_WORK_DIR}/real_mode.ld)
  add_custom_command(
    OUTPUT ${DEPLOYLAB_GUEST_DIR}/${name}.bin ${work}.o ${work}.elf
    COMMAND ${DEPLOYLAB_GUEST_GCC} ${DEPLOYLAB_GUEST_ASM_FLAGS} ${ARG_DEFINES}
            -c -o ${work}.o ${source}
    COMMAND ${DEPLOYLAB_GUEST_LD} -m elf_i386 ${DEPLOYLAB_GUEST_LD_FLAGS}
            -T ${script} -o ${work}.elf ${work}.o
    COMMAND ${DEPLOYLAB_GUEST_OBJCOPY} -O binary ${work}.elf ${DEPLOYLAB_GUEST_DIR}/${name}.bin
    DEPENDS ${source} ${DEPLOYLAB_GUEST_ASM_HEADERS} ${script}
    COMMENT "Building guest ${name}.bin (assembly, at DL_REAL_MODE_LOAD_ADDRESS)"
    VERBATIM)
  target_sources(deploylab_guests PRIVATE ${DEPLOYLAB_GUEST_DIR}/${name}.bin)
endfunction()

function(deploylab_long_mode_guest name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  list(TRANSFORM ARG_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  set(work ${DEPLOYLAB_GUEST_WORK_DIR}/${name})
  set(script ${DEPLOYLAB_GUEST_WORK_DIR}/guest.ld)
  add_custom_command(
    OUTPUT ${DEPLOYLAB_GUEST_DIR}/${name}.bin ${work}.elf
    COMMAND ${DEPLOYLAB_GUEST_GCC} ${DEPLOYLAB_GUEST_C_FLAGS} -T ${script} -o ${work}.elf
            ${DEPLOYLAB_GUEST_LIBRARY} ${ARG_SOURCES}
    COMMAND ${DEPLOYLAB_GUEST_OBJCOPY} -O binary ${work}.elf ${DEPLOYLAB_GUEST_DIR}/${name}.bin
    DEPENDS ${ARG_SOURCES} ${DEPLOYLAB_GUEST_LIBRARY} ${DEPLOYLAB_GUEST_LIBRARY_HEADERS} ${script}
    COMMENT "Building guest ${name}.bin (C, long mode, at DL_LONG_MODE_LOAD_ADDRESS)"
    VERBATIM)
  target_sources(deploylab_guests PRIVATE ${DEPLOYLAB_GUEST_DIR}/${name}.bin)
endfunction()
