// cmake/fuzz_check.h: FUZZ_CHECK, the assertion of deploylab's fuzz targets (hypervisor/fuzz.cmake).
//
// A fuzz target states what must hold after every input. A failed check must crash the process,
// because a crash is what libFuzzer (and the gcc-built stand-in, cmake/fuzz_driver.cpp) records,
// together with the input that caused it; so FUZZ_CHECK prints the file, line and condition and
// calls abort(). Unlike assert() it stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                  \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)
