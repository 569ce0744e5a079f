// hypervisor/devices/serial_uart_fuzz.cpp: fuzz target for the 16550A UART's register handler
// (serial_uart.h), the code every IN and OUT of a guest's serial driver reaches. A hostile guest
// controls all of those accesses, so they must never crash the VMM or break the device's rules.
// Built and run as described in cmake/DeploylabFuzz.cmake.
//
// The input is a program for one UART, two bytes per step, `op value`:
//   op 0x00-0xcf  register access: offset = op & 7, write if op & 8 (of `value`), else a read
//   op 0xd0-0xdf  a bad access: a 2- or 4-byte access, or a port outside the eight (value picks)
//   op 0xe0-0xef  the user pastes copies of the byte `value`: enough to fill the queue, and
//                 `value` more, which must be dropped
//   op 0xf0-0xff  the user types value & 0x3f bytes, taken from the input that follows
// After every step it checks what must always hold, against a small model of the registers that
// simply read back what was written:
//  - the interrupt line is high exactly when IIR (read next) reports a pending interrupt, and the
//    line's recorded level agrees with the device;
//  - IIR, LSR, IER and MCR never show bits a 16550A does not have; LSR's data-ready bit matches
//    the queue; THR is always empty;
//  - LCR, SCR and the divisor latch read back what was written;
//  - the queue stays within kInputCapacity and every byte typed is either accepted or counted as
//    dropped; bytes reach the sink only from THR writes outside loopback.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "cmake/fuzz_check.h"
#include "hypervisor/devices/serial_uart.h"

namespace {

using namespace deploylab::hv;
constexpr std::uint64_t kBase = 0x3f8;


// What the registers that simply store a byte must read back.
struct Model {
  std::uint8_t lcr = 0, scr = 0, dll = 0, dlm = 0, mcr = 0;
  std::size_t typed = 0, sent_to_wire = 0;
};

struct Harness {
  bool line = false;  // the level the recording IrqLine last reported
  std::string wire;   // what reached the sink
  Model model;
  SerialUart uart{static_cast<std::uint16_t>(kBase), IrqLine(4, [this](std::uint32_t, bool high) { line = high; }),
                  [this](std::string_view bytes) { wire.append(bytes); }};

  std::uint8_t read(std::uint8_t offset) {
    std::uint8_t byte = 0;
    IoAccess access{Space::port, AccessKind::read, kBase + offset, std::span<std::uint8_t>(&byte, 1)};
    uart.access(access);
    return byte;
  }
  void write(std::uint8_t offset, std::uint8_t value) {
    IoAccess access{Space::port, AccessKind::write, kBase + offset, std::span<std::uint8_t>(&value, 1)};
    uart.access(access);
  }
  bool dlab() const { return (model.lcr & uart::kLcrDlab) != 0; }
  bool loopback() const { return (model.mcr & uart::kMcrLoop) != 0; }
};

void check_read(Harness& h, std::uint8_t offset) {
  bool irq_before = h.uart.irq_high();
  std::size_t queued_before = h.uart.input_buffered();
  std::uint8_t value = h.read(offset);
  switch (offset) {
    case uart::kRbr: if (h.dlab()) FUZZ_CHECK(value == h.model.dll); break;
    case uart::kIer: FUZZ_CHECK(h.dlab() ? value == h.model.dlm : (value & 0xf0) == 0); break;
    case uart::kIir: {
      FUZZ_CHECK((value & 0x30) == 0);
      FUZZ_CHECK((value & 0xc0) == 0 || (value & 0xc0) == 0xc0);
      std::uint8_t id = value & 0x0f;
      FUZZ_CHECK(id == 0x01 || id == 0x06 || id == 0x04 || id == 0x02 || id == 0x00);
      FUZZ_CHECK(irq_before == (id != uart::kIirNone));
      break;
    }
    case uart::kLcr: FUZZ_CHECK(value == h.model.lcr); break;
    case uart::kMcr: FUZZ_CHECK(value == h.model.mcr); break;
    case uart::kLsr:
      FUZZ_CHECK((value & 0x9c) == 0);
      FUZZ_CHECK((value & 0x60) == 0x60);
      FUZZ_CHECK(((value & uart::kLsrDataReady) != 0) == (queued_before > 0));
      break;
    case uart::kMsr: if (!h.loopback()) FUZZ_CHECK((value & 0xf0) == 0xb0); break;
    default: FUZZ_CHECK(value == h.model.scr); break;
  }
}

void register_write(Harness& h, std::uint8_t offset, std::uint8_t value) {
  bool transmits = offset == uart::kThr && !h.dlab() && !h.loopback();
  h.write(offset, value);
  if (transmits) ++h.model.sent_to_wire;
  if (offset == uart::kDll && h.dlab()) h.model.dll = value;
  if (offset == uart::kDlm && h.dlab()) h.model.dlm = value;
  if (offset == uart::kLcr) h.model.lcr = value;
  if (offset == uart::kMcr) h.model.mcr = value & uart::kMcrMask;
  if (offset == uart::kScr) h.model.scr = value;
}

void bad_access(Harness& h, std::uint8_t value) {
  std::uint8_t bytes[4] = {value, value, value, value};
  std::size_t size = (value & 1) ? 2 : 4;
  std::uint64_t port = kBase + (value >> 1) % 8;
  if (value & 0x80) {  // a byte access outside the eight ports instead
    size = 1;
    port = (value & 0x40) ? kBase + 8 + (value & 0x3f) : kBase - 1 - (value & 0x3f);
  }
  auto kind = (value & 0x20) ? AccessKind::write : AccessKind::read;
  IoAccess access{Space::port, kind, port, std::span<std::uint8_t>(bytes, size)};
  std::uint64_t bad_before = h.uart.bad_accesses();
  h.uart.access(access);
  FUZZ_CHECK(h.uart.bad_accesses() == bad_before + 1);
  if (kind == AccessKind::read) FUZZ_CHECK(bytes[0] == 0xff && bytes[size - 1] == 0xff);
}

void type(Harness& h, std::span<const std::uint8_t> bytes) {
  std::size_t dropped_before = h.uart.input_dropped();
  std::size_t accepted = h.uart.push_input(bytes);
  FUZZ_CHECK(accepted <= bytes.size());
  FUZZ_CHECK(h.uart.input_dropped() == dropped_before + (bytes.size() - accepted));
  h.model.typed += bytes.size();
}

void check_always(Harness& h) {
  FUZZ_CHECK(h.line == h.uart.irq_high());
  FUZZ_CHECK(h.uart.input_buffered() <= SerialUart::kInputCapacity);
  FUZZ_CHECK(h.wire.size() == h.model.sent_to_wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness h;
  std::size_t i = 0;
  while (i + 2 <= size) {
    std::uint8_t op = data[i], value = data[i + 1];
    i += 2;
    if (op >= 0xf0) {
      std::size_t count = std::min<std::size_t>(value & 0x3f, size - i);
      type(h, std::span<const std::uint8_t>(data + i, count));
      i += count;
    } else if (op >= 0xe0) {
      std::vector<std::uint8_t> burst(SerialUart::kInputCapacity - h.uart.input_buffered() + value, value);
      type(h, burst);
    } else if (op >= 0xd0) {
      bad_access(h, value);
    } else if (op & 0x08) {
      register_write(h, op & 7, value);
    } else {
      check_read(h, op & 7);
    }
    check_always(h);
  }
  return 0;
}
