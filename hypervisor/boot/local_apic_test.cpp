// hypervisor/boot/local_apic_test.cpp: register access in the kvm_lapic_state page, and virtual
// wire mode on a page that looks like KVM_GET_LAPIC's answer for a fresh vCPU.
#include "hypervisor/boot/local_apic.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {
namespace {

// A vCPU's local APIC right after reset, as KVM reports it: id n << 24, version 0x14 with 6 LVT
// entries, APIC software-disabled (spurious vector 0xff, enable bit clear), every LVT masked.
kvm_lapic_state reset_lapic(std::uint8_t id) {
  kvm_lapic_state state{};
  set_lapic_register(state, kLapicId, std::uint32_t{id} << 24);
  set_lapic_register(state, kLapicVersion, 0x00050014);
  set_lapic_register(state, kLapicSpuriousVector, 0xff);
  for (std::uint32_t lvt = 0x320; lvt <= 0x370; lvt += 0x10) {
    set_lapic_register(state, lvt, kLvtMasked);
  }
  return state;
}

TEST(LocalApic, RegistersAreLittleEndianWordsAtTheirOffset) {
  kvm_lapic_state state{};
  set_lapic_register(state, kLapicLvtLint0, 0x12345678);
  EXPECT_EQ(static_cast<unsigned char>(state.regs[0x350]), 0x78u) << "low byte first";
  EXPECT_EQ(static_cast<unsigned char>(state.regs[0x353]), 0x12u);
  EXPECT_EQ(lapic_register(state, kLapicLvtLint0), 0x12345678u);
  EXPECT_EQ(lapic_register(state, kLapicLvtLint1), 0u) << "the neighbour must be untouched";
}

TEST(LocalApic, ReadsTheXapicId) {
  EXPECT_EQ(lapic_id(reset_lapic(3)), 3) << "the id is in bits 31:24 of register 0x20";
}

TEST(LocalApic, VirtualWireUnmasksLint0AsExtIntAndLint1AsNmi) {
  const kvm_lapic_state wired = virtual_wire_mode(reset_lapic(0));
  EXPECT_EQ(lapic_register(wired, kLapicLvtLint0), 0x700u)
      << "LINT0: delivery mode ExtINT (111 in bits 10:8), mask bit 16 clear";
  EXPECT_EQ(lapic_register(wired, kLapicLvtLint1), 0x400u)
      << "LINT1: delivery mode NMI (100 in bits 10:8), mask bit 16 clear";
}

TEST(LocalApic, VirtualWireKeepsTheOtherLvtBits) {
  kvm_lapic_state state = reset_lapic(0);
  // Vector 0x31, level-triggered (bit 15), active low (bit 13), masked, fixed delivery.
  set_lapic_register(state, kLapicLvtLint0, kLvtMasked | (1u << 15) | (1u << 13) | 0x31);
  // Masked, delivery mode SMI (010): the mode must be replaced, not ORed into.
  set_lapic_register(state, kLapicLvtLint1, kLvtMasked | (0x2u << 8));
  const kvm_lapic_state wired = virtual_wire_mode(state);
  EXPECT_EQ(lapic_register(wired, kLapicLvtLint0), 0x0000a731u)
      << "vector, polarity and trigger bits must survive; only mode and mask change";
  EXPECT_EQ(lapic_register(wired, kLapicLvtLint1), 0x400u)
      << "SMI (010) must become NMI (100), not 110";
}

TEST(LocalApic, VirtualWireChangesNoOtherRegister) {
  const kvm_lapic_state before = reset_lapic(0);
  const kvm_lapic_state after = virtual_wire_mode(before);
  for (std::uint32_t offset = 0; offset < sizeof before.regs; offset += 16) {
    if (offset == kLapicLvtLint0 || offset == kLapicLvtLint1) continue;
    EXPECT_EQ(lapic_register(after, offset), lapic_register(before, offset))
        << "register " << hex(offset) << " changed; only LINT0 and LINT1 may";
  }
  EXPECT_EQ(lapic_register(after, kLapicSpuriousVector), 0xffu)
      << "the APIC software-enable bit is Linux's to set";
}

TEST(LocalApic, WithoutALegacyPicLint0IsMaskedExtIntAndLint1StaysNmi) {
  const kvm_lapic_state state = without_legacy_pic(reset_lapic(0));
  EXPECT_EQ(lapic_register(state, kLapicLvtLint0), 0x10700u) << "LINT0: ExtINT (111 in bits 10:8), masked (bit 16)";
  EXPECT_EQ(lapic_register(state, kLapicLvtLint1), 0x400u) << "LINT1: NMI (100 in bits 10:8), unmasked";
}

TEST(LocalApic, RefusesOffsetsThatAreNotRegisters) {
  kvm_lapic_state state{};
  EXPECT_THROW((void)lapic_register(state, 0x354), ErrorException) << "not 16-byte aligned";
  EXPECT_THROW((void)lapic_register(state, 0x400), ErrorException) << "past the 1 KiB KVM returns";
  EXPECT_THROW(set_lapic_register(state, 0x1000, 1), ErrorException);
  EXPECT_NO_THROW((void)lapic_register(state, 0x3f0)) << "the last register of the page is fine";
}

}  // namespace
}  // namespace deploylab::hv
