// hypervisor/boot/fpu_state_test.cpp: the starting FPU state is FNINIT's control word, the
// default MXCSR, and zeros everywhere else.
#include "hypervisor/boot/fpu_state.h"

#include <gtest/gtest.h>

#include <cstring>

namespace deploylab::hv {
namespace {

TEST(InitialFpu, ControlWordsAreFninitsAndSsesDefaults) {
  const kvm_fpu fpu = initial_fpu();
  EXPECT_EQ(fpu.fcw, 0x37f) << "FCW after FNINIT: all x87 exceptions masked, extended precision, "
                               "round to nearest";
  EXPECT_EQ(fpu.mxcsr, 0x1f80u) << "MXCSR: all SIMD exceptions masked, round to nearest";
}

TEST(InitialFpu, EverythingElseIsZero) {
  kvm_fpu expected{};
  expected.fcw = 0x37f;
  expected.mxcsr = 0x1f80;
  const kvm_fpu fpu = initial_fpu();
  EXPECT_EQ(fpu.fsw, 0) << "no exception pending, stack top 0";
  EXPECT_EQ(fpu.ftwx, 0) << "abridged tag word 0: every x87 register empty";
  EXPECT_EQ(std::memcmp(&fpu, &expected, sizeof fpu), 0)
      << "x87 and XMM registers, last instruction and data pointers must all be zero";
}

}  // namespace
}  // namespace deploylab::hv
