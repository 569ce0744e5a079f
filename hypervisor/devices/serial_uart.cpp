// hypervisor/devices/serial_uart.cpp: the 16550A UART's registers (see serial_uart.h for the map,
// the interrupt priorities and what the emulation leaves out).
#include "hypervisor/devices/serial_uart.h"

#include <fmt/format.h>

#include <algorithm>

namespace deploylab::hv {

using namespace uart;

SerialUart::SerialUart(std::uint16_t base, IrqLine irq, Sink sink)
    : base_(base), sink_(std::move(sink)), irq_(std::move(irq)) {}

std::string SerialUart::name() const { return fmt::format("16550A UART at port {:#x}", base_); }

std::optional<StopRequest> SerialUart::access(IoAccess& access) {
  bool in_range = access.address >= base_ && access.address - base_ < kRegisters;
  if (access.data.size() != 1 || !in_range) {
    // Not a byte access to one of our registers: the driver never does this, so it is a guest
    // bug (or a fuzzer). Answer like an undriven bus and keep count.
    if (access.kind == AccessKind::read) std::fill(access.data.begin(), access.data.end(), 0xff);
    std::lock_guard lock(mutex_);
    ++bad_accesses_;
    return std::nullopt;
  }
  auto offset = static_cast<std::uint8_t>(access.address - base_);
  std::optional<std::uint8_t> sent;
  {
    std::lock_guard lock(mutex_);
    if (access.kind == AccessKind::read) {
      access.data[0] = read_register(offset);
    } else {
      sent = write_register(offset, access.data[0]);
    }
    update_irq();
  }
  // Outside the lock: the sink may be slow (a terminal) or call push_input.
  if (sent && sink_) {
    char byte = static_cast<char>(*sent);
    sink_(std::string_view(&byte, 1));
  }
  return std::nullopt;
}

std::size_t SerialUart::push_input(std::span<const std::uint8_t> bytes) {
  std::lock_guard lock(mutex_);
  std::size_t accepted = 0;
  for (std::uint8_t byte : bytes) {
    if (receive(byte)) ++accepted;
  }
  update_irq();
  return accepted;
}

std::size_t SerialUart::input_dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::size_t SerialUart::input_buffered() const {
  std::lock_guard lock(mutex_);
  return rx_.size();
}

std::uint64_t SerialUart::bad_accesses() const {
  std::lock_guard lock(mutex_);
  return bad_accesses_;
}

bool SerialUart::irq_high() const {
  std::lock_guard lock(mutex_);
  return irq_.high();
}

// --- Register reads -------------------------------------------------------------------------

std::uint8_t SerialUart::read_register(std::uint8_t offset) {
  bool dlab = (lcr_ & kLcrDlab) != 0;
  switch (offset) {
    case kRbr: {
      if (dlab) return dll_;
      if (rx_.empty()) return 0;
      std::uint8_t byte = rx_.front();
      rx_.pop_front();
      return byte;
    }
    case kIer: return dlab ? dlm_ : ier_;
    case kIir: return read_iir();
    case kLcr: return lcr_;
    case kMcr: return mcr_;
    case kLsr: return read_lsr();
    case kMsr: return read_msr();
    default: return scr_;
  }
}

// Reading IIR is how the driver asks "why did you interrupt?". Reading it while THR-empty is the
// answer also acknowledges that interrupt: the one source cleared by being identified.
std::uint8_t SerialUart::read_iir() {
  std::uint8_t source = pending_interrupt();
  if (source == kIirThrEmpty) thr_empty_pending_ = false;
  return source | (fifos_enabled_ ? kIirFifosEnabled : 0);
}

// THR and the transmitter are always empty: a byte leaves the moment it is written.
std::uint8_t SerialUart::read_lsr() {
  std::uint8_t lsr = kLsrThrEmpty | kLsrTransmitterEmpty;
  if (!rx_.empty()) lsr |= kLsrDataReady;
  if (overrun_) lsr |= kLsrOverrun;
  overrun_ = false;  // error bits report once
  return lsr;
}

std::uint8_t SerialUart::read_msr() {
  std::uint8_t msr = modem_inputs() | msr_deltas_;
  msr_deltas_ = 0;
  return msr;
}

// --- Register writes ------------------------------------------------------------------------

std::optional<std::uint8_t> SerialUart::write_register(std::uint8_t offset, std::uint8_t value) {
  bool dlab = (lcr_ & kLcrDlab) != 0;
  switch (offset) {
    case kThr:
      if (dlab) {
        dll_ = value;
        return std::nullopt;
      }
      return transmit(value);
    case kIer:
      if (dlab) {
        dlm_ = value;
      } else {
        write_ier(value);
      }
      return std::nullopt;
    case kFcr: write_fcr(value); return std::nullopt;
    case kLcr: lcr_ = value; return std::nullopt;
    case kMcr: write_mcr(value); return std::nullopt;
    case kLsr:  // LSR and MSR are status: the 16550A ignores writes to them
    case kMsr: return std::nullopt;
    default: scr_ = value; return std::nullopt;
  }
}

// The THR-empty interrupt fires when THR becomes empty, and also when the driver enables it
// while THR is already empty, which here is always. Linux starts every transmission that way:
// it sets IER bit 1 and waits for the interrupt.
void SerialUart::write_ier(std::uint8_t value) {
  bool enabling_thr = (value & kIerThrEmpty) != 0 && (ier_ & kIerThrEmpty) == 0;
  ier_ = value & kIerMask;  // bits 7:4 do not exist on a 16550A; Linux's probe checks that
  if (enabling_thr) thr_empty_pending_ = true;
}

// Bit 0 turns the FIFOs on or off, which empties them; bits 1 and 2 empty one FIFO and act only
// when bit 0 is set in the same write. The trigger level (bits 7:6) does not matter here: data
// available is reported as soon as there is one byte.
void SerialUart::write_fcr(std::uint8_t value) {
  bool enable = (value & kFcrEnable) != 0;
  if (enable != fifos_enabled_) rx_.clear();
  fifos_enabled_ = enable;
  if (enable && (value & kFcrClearRx) != 0) rx_.clear();
  // kFcrClearTx: the transmit side is always empty, so there is nothing to clear.
}

// MCR drives the modem control outputs. In loopback (bit 4) they are wired back to the modem
// status inputs, so a change here can change MSR and set its delta bits.
void SerialUart::write_mcr(std::uint8_t value) {
  std::uint8_t before = modem_inputs();
  mcr_ = value & kMcrMask;
  std::uint8_t after = modem_inputs();
  std::uint8_t changed = before ^ after;
  if (changed & kMsrCts) msr_deltas_ |= kMsrDeltaCts;
  if (changed & kMsrDsr) msr_deltas_ |= kMsrDeltaDsr;
  if (changed & kMsrDcd) msr_deltas_ |= kMsrDeltaDcd;
  if ((before & kMsrRi) != 0 && (after & kMsrRi) == 0) msr_deltas_ |= kMsrTrailingRi;  // RI's falling edge only
}

// A written byte leaves at once, so THR is empty again and (if enabled) asks for the next one.
// In loopback it goes to our own receiver instead of the wire.
std::optional<std::uint8_t> SerialUart::transmit(std::uint8_t byte) {
  thr_empty_pending_ = true;
  if ((mcr_ & kMcrLoop) != 0) {
    receive(byte);
    return std::nullopt;
  }
  return byte;
}

// --- Receiving and interrupts ---------------------------------------------------------------

// One byte into the receive queue, or an overrun when it is full. (In loopback the chip ignores
// its input wire; we keep queueing what the user types, as a real terminal would keep sending.)
bool SerialUart::receive(std::uint8_t byte) {
  if (rx_.size() >= kInputCapacity) {
    ++dropped_;
    overrun_ = true;
    return false;
  }
  rx_.push_back(byte);
  return true;
}

// Out of loopback there is no modem: report the lines a connected terminal would hold up
// (carrier detect, data set ready, clear to send), so the driver never waits for them.
std::uint8_t SerialUart::modem_inputs() const {
  if ((mcr_ & kMcrLoop) == 0) return kMsrDcd | kMsrDsr | kMsrCts;
  std::uint8_t inputs = 0;
  if (mcr_ & kMcrDtr) inputs |= kMsrDsr;
  if (mcr_ & kMcrRts) inputs |= kMsrCts;
  if (mcr_ & kMcrOut1) inputs |= kMsrRi;
  if (mcr_ & kMcrOut2) inputs |= kMsrDcd;
  return inputs;
}

// The highest-priority source that is both pending and enabled in IER.
std::uint8_t SerialUart::pending_interrupt() const {
  if ((ier_ & kIerLineStatus) != 0 && overrun_) return kIirLineStatus;
  if ((ier_ & kIerRxData) != 0 && !rx_.empty()) return kIirRxData;
  if ((ier_ & kIerThrEmpty) != 0 && thr_empty_pending_) return kIirThrEmpty;
  if ((ier_ & kIerModemStatus) != 0 && msr_deltas_ != 0) return kIirModemStatus;
  return kIirNone;
}

void SerialUart::update_irq() { irq_.set(pending_interrupt() != kIirNone); }

}  // namespace deploylab::hv
