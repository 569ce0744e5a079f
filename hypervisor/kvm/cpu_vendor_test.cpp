// hypervisor/kvm/cpu_vendor_test.cpp: the CPU vendor from CPUID's vendor string, and the
// hypercall instruction that follows from it (the guest images are named after it).
#include "hypervisor/kvm/cpu_vendor.h"

#include <gtest/gtest.h>

namespace deploylab::hv {
namespace {

TEST(CpuVendor, KnowsIntelAmdAndHygon) {
  EXPECT_EQ(vendor_from_id("GenuineIntel"), CpuVendor::intel);
  EXPECT_EQ(vendor_from_id("AuthenticAMD"), CpuVendor::amd);
  EXPECT_EQ(vendor_from_id("HygonGenuine"), CpuVendor::amd) << "Hygon's CPUs are AMD's design and use VMMCALL";
}

TEST(CpuVendor, AnythingElseIsOther) {
  for (const char* id : {"", "CentaurHauls", "  Shanghai  ", "genuineintel", "GenuineIntel ", "AuthenticAM"}) {
    EXPECT_EQ(vendor_from_id(id), CpuVendor::other) << "vendor id \"" << id << "\" must be other: the match is exact";
  }
}

TEST(CpuVendor, HypercallInstructionFollowsTheVendor) {
  EXPECT_EQ(native_hypercall_instruction(CpuVendor::intel), "vmcall");
  EXPECT_EQ(native_hypercall_instruction(CpuVendor::amd), "vmmcall");
  EXPECT_EQ(native_hypercall_instruction(CpuVendor::other), "vmmcall");
  EXPECT_EQ(foreign_hypercall_instruction(CpuVendor::intel), "vmmcall");
  EXPECT_EQ(foreign_hypercall_instruction(CpuVendor::amd), "vmcall");
}

}  // namespace
}  // namespace deploylab::hv
