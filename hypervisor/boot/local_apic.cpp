// hypervisor/boot/local_apic.cpp: registers of the kvm_lapic_state page and the virtual wire
// setup (see local_apic.h).
#include "hypervisor/boot/local_apic.h"

#include <cstring>

#include "common/error.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

namespace {

void check_offset(std::uint32_t offset) {
  if (offset % 16 != 0 || offset + 4 > sizeof(kvm_lapic_state::regs)) {
    throw ErrorException(Error::invalid(
        "local APIC register offset " + hex(offset), "kvm_lapic_state",
        "registers are 16-byte aligned and below " + hex(sizeof(kvm_lapic_state::regs))));
  }
}

// One LVT entry with its delivery mode replaced and its mask bit cleared.
std::uint32_t unmasked_with_mode(std::uint32_t lvt, std::uint32_t delivery_mode) {
  return (lvt & ~(kLvtDeliveryModeMask | kLvtMasked)) | delivery_mode;
}

}  // namespace

// memcpy, because regs is a char array: the bytes are the register, in the guest's little-endian
// order, which is also the host's.
std::uint32_t lapic_register(const kvm_lapic_state& state, std::uint32_t offset) {
  check_offset(offset);
  std::uint32_t value;
  std::memcpy(&value, state.regs + offset, sizeof value);
  return value;
}

void set_lapic_register(kvm_lapic_state& state, std::uint32_t offset, std::uint32_t value) {
  check_offset(offset);
  std::memcpy(state.regs + offset, &value, sizeof value);
}

std::uint8_t lapic_id(const kvm_lapic_state& state) {
  return static_cast<std::uint8_t>(lapic_register(state, kLapicId) >> 24);
}

kvm_lapic_state virtual_wire_mode(kvm_lapic_state state) {
  const std::uint32_t lint0 = lapic_register(state, kLapicLvtLint0);
  const std::uint32_t lint1 = lapic_register(state, kLapicLvtLint1);
  set_lapic_register(state, kLapicLvtLint0, unmasked_with_mode(lint0, kLvtDeliveryExtInt));
  set_lapic_register(state, kLapicLvtLint1, unmasked_with_mode(lint1, kLvtDeliveryNmi));
  return state;
}

kvm_lapic_state without_legacy_pic(kvm_lapic_state state) {
  const std::uint32_t lint0 = lapic_register(state, kLapicLvtLint0);
  const std::uint32_t lint1 = lapic_register(state, kLapicLvtLint1);
  set_lapic_register(state, kLapicLvtLint0, unmasked_with_mode(lint0, kLvtDeliveryExtInt) | kLvtMasked);
  set_lapic_register(state, kLapicLvtLint1, unmasked_with_mode(lint1, kLvtDeliveryNmi));
  return state;
}

}  // namespace deploylab::hv
