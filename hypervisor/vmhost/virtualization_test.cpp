// hypervisor/vmhost/virtualization_test.cpp: the KVM verdict on made-up machines.
#include "hypervisor/vmhost/virtualization.h"

#include <gtest/gtest.h>

namespace deploylab::vmhost {
namespace {

// A laptop with Intel VT-x on bare metal.
VirtFacts laptop() {
  VirtFacts f;
  f.dev_kvm_exists = true;
  f.cpu_flags = {"fpu", "vmx", "lm"};
  f.kvm_modules = {"kvm", "kvm_intel"};
  f.nested = {{"kvm_intel", "Y"}};
  return f;
}

TEST(ClassifyVirtualization, HardwareAndNestedRunNatively) {
  VirtFacts f = laptop();
  Virtualization v = classify_virtualization(f);
  EXPECT_EQ(v.mode, VirtMode::hardware);
  EXPECT_EQ(v.finding, "Intel VT-x via kvm_intel, nested=Y");
  EXPECT_EQ(v.place, Place::native);
  f.cpu_flags.insert("hypervisor");
  v = classify_virtualization(f);
  EXPECT_EQ(v.mode, VirtMode::nested);
  EXPECT_EQ(v.place, Place::native);
  EXPECT_EQ(v.plan, "hypervisor labs run natively");
}

TEST(ClassifyVirtualization, KvmPvmRunsInVmhost) {
  VirtFacts f = laptop();
  f.cpu_flags = {"hypervisor", "lm"};  // no vmx/svm, as on this CI machine
  f.kvm_modules = {"kvm", "kvm_pvm"};
  Virtualization v = classify_virtualization(f);
  EXPECT_EQ(v.mode, VirtMode::kvm_pvm);
  EXPECT_EQ(v.place, Place::vmhost);
  EXPECT_NE(v.finding.find("VMCALL at CPL0 hangs KVM_RUN"), std::string::npos);
  EXPECT_NE(v.plan.find("vmhost"), std::string::npos);
}

TEST(ClassifyVirtualization, NoKvmButCapableCpuSaysWhichModule) {
  VirtFacts f = laptop();
  f.dev_kvm_exists = false;
  f.kvm_modules.clear();
  f.cpu_flags = {"svm"};
  Virtualization v = classify_virtualization(f);
  EXPECT_EQ(v.mode, VirtMode::none);
  EXPECT_EQ(v.place, Place::vmhost);
  EXPECT_NE(v.finding.find("modprobe kvm_amd"), std::string::npos) << v.finding;
}

TEST(ChoosePlace, DeploylabKvmOverridesAndSaysSo) {
  Virtualization forced = choose_place(laptop(), "vmhost");
  EXPECT_EQ(forced.place, Place::vmhost);
  EXPECT_NE(forced.plan.find("DEPLOYLAB_KVM=vmhost"), std::string::npos);
  EXPECT_EQ(choose_place(laptop(), "").place, Place::native);
}

}  // namespace
}  // namespace deploylab::vmhost
