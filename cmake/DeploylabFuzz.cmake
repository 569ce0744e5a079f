# cmake/DeploylabFuzz.cmake: fuzz targets, built two ways. Included by the top-level CMakeLists
# before the layers are added, because the fuzz build changes how the whole tree is compiled.
#
# A fuzz target is one .cpp file that defines
#     extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
# which feeds `data` to the code under test (a parser, a device's register handler) and aborts if
# an invariant breaks. A fuzzer calls it millions of times with inputs it mutates, keeping those
# that reach new code, until something crashes. The target does not know who drives it:
#
#  - the normal build (gcc or clang, DEPLOYLAB_FUZZ=OFF): the target is linked with our small
#    driver (cmake/fuzz_driver.cpp), which replays files given on the command line or, with none,
#    a fixed pseudo-random set of inputs for a bounded count and time. CTest runs that as
#    NAME_smoke (label fuzz, at most 3 s), so every `make test` proves the targets
#    still build and run. It finds little by itself: it is blind, libFuzzer is guided.
#  - the fuzz build (-DDEPLOYLAB_FUZZ=ON, clang only): libFuzzer is the driver
#    (-fsanitize=fuzzer) and the whole tree is compiled with coverage instrumentation
#    (-fsanitize=fuzzer-no-link) and AddressSanitizer + UBSan, so a bad read crashes at once
#    instead of going unnoticed. scripts/fuzz.sh configures that build and runs each target.
#
# Usage (hypervisor/fuzz.cmake lists the hypervisor's targets):
#   deploylab_fuzz_target(NAME serial_uart_fuzz SOURCES devices/serial_uart_fuzz.cpp
#                         LIBS deploylab_devices [LABEL hypervisor])
# builds BUILD/bin/fuzz/NAME, registers NAME_smoke with the labels LABEL (default hypervisor) and
# fuzz, and adds the target to the custom target deploylab_fuzz_targets, which builds
# them all (scripts/fuzz.sh builds that target only, so a file elsewhere in the tree that does not
# compile under clang does not stop the fuzzers).

option(DEPLOYLAB_FUZZ "Build the fuzz targets with libFuzzer, ASan and UBSan (needs clang)" OFF)

if(DEPLOYLAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DEPLOYLAB_FUZZ=ON needs clang (libFuzzer is part of clang), but the C++ "
                        "compiler is ${CMAKE_CXX_COMPILER_ID} (${CMAKE_CXX_COMPILER}). Configure a "
                        "separate build directory with -DCMAKE_CXX_COMPILER=clang++, or run "
                        "scripts/fuzz.sh, which does.")
  endif()
  if(DEPLOYLAB_SANITIZE)
    message(FATAL_ERROR "DEPLOYLAB_FUZZ=ON already turns on ASan and UBSan; drop DEPLOYLAB_SANITIZE.")
  endif()
  # Every object file gets coverage hooks (what guides libFuzzer) and the sanitizers. Executables
  # that are not fuzz targets (the unit tests) still link, with the sanitizer runtimes only.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
else()
  # The stand-in for libFuzzer, compiled once and linked into every target.
  add_library(deploylab_fuzz_driver STATIC ${CMAKE_CURRENT_LIST_DIR}/fuzz_driver.cpp)
  deploylab_target_defaults(deploylab_fuzz_driver)
endif()

add_custom_target(deploylab_fuzz_targets)

# deploylab_fuzz_target(NAME name SOURCES file.cpp ... LIBS lib ... [LABEL label])
function(deploylab_fuzz_target)
  cmake_parse_arguments(ARG "" "NAME;LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_SOURCES)
    message(FATAL_ERROR "deploylab_fuzz_target: NAME and SOURCES are required")
  endif()
  if(NOT ARG_LABEL)
    set(ARG_LABEL hypervisor)
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  deploylab_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS})
  set_target_properties(${ARG_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/fuzz)
  add_dependencies(deploylab_fuzz_targets ${ARG_NAME})

  if(DEPLOYLAB_FUZZ)
    target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(${ARG_NAME} PRIVATE deploylab_fuzz_driver)
  endif()

  # The smoke test. Both drivers understand -runs and -max_total_time; no corpus directory is
  # passed, because libFuzzer writes the inputs it finds into the first one it is given.
  add_test(NAME ${ARG_NAME}_smoke COMMAND ${ARG_NAME} -runs=20000 -max_total_time=3)
  set_tests_properties(${ARG_NAME}_smoke PROPERTIES LABELS "${ARG_LABEL};fuzz" TIMEOUT 60)
endfunction()
