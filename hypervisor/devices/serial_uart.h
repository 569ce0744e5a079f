// hypervisor/devices/serial_uart.h: SerialUart, a 16550A UART, the serial port COM1 that a Linux
// guest uses as its console (lab 04).
//
// What a UART is. A Universal Asynchronous Receiver/Transmitter turns bytes into a serial bit
// stream on a wire and back: the CPU writes a byte to a register, the chip shifts it out one bit
// at a time at the agreed baud rate, and bytes arriving on the other wire collect in a receive
// register for the CPU to read. The 16550A (1987) added 16-byte FIFOs in each direction; every PC
// since has one at port 0x3f8 (COM1, interrupt line 4), and every OS has a driver for it, which is
// why VMMs emulate it: the kernel's "console=ttyS0" then needs nothing from us but these registers.
//
// The register map: eight byte-wide registers at base + 0..7. Some offsets mean two things: the
// read and write sides differ (RBR/THR, IIR/FCR), and LCR bit 7, the Divisor Latch Access Bit
// (DLAB), turns offsets 0 and 1 into the baud-rate divisor.
//
//   offset  read                            write
//   0       RBR  receive buffer             THR  transmit holding       (DLAB=1: DLL, divisor low)
//   1       IER  interrupt enable           IER                         (DLAB=1: DLM, divisor high)
//   2       IIR  interrupt identification   FCR  FIFO control
//   3       LCR  line control (word length, parity, stop bits, DLAB)
//   4       MCR  modem control (DTR, RTS, OUT1, OUT2, loopback)
//   5       LSR  line status (data ready, overrun, transmitter empty)
//   6       MSR  modem status (CTS, DSR, RI, DCD and their changes)
//   7       SCR  scratch: a spare byte, only for software
//
// Why interrupts matter. The kernel could poll LSR for "transmitter empty" before each byte (its
// early console does), but its real serial driver does not: it fills THR, enables the THR-empty
// interrupt (IER bit 1) and goes to sleep until the UART says "ready for more". A UART that never
// raises that interrupt prints the boot banner and then falls silent at the login prompt. Input
// works the same way: a typed byte raises "received data available" and the interrupt handler
// reads RBR while LSR says data is ready.
//
// The interrupt sources, highest priority first, as IIR reports them (one at a time):
//   receiver line status (an overrun here; cleared by reading LSR)            IIR = 0x06
//   received data available (cleared by reading RBR until empty)              IIR = 0x04
//   THR empty (cleared by reading IIR while it is the one shown, or writing THR) IIR = 0x02
//   modem status (a delta bit in MSR; cleared by reading MSR)                 IIR = 0x00
//   none                                                                      IIR = 0x01
// Bits 7:6 of IIR read 11 while FCR bit 0 has the FIFOs enabled: that is how drivers tell a
// 16550A from the FIFO-less 8250 and 16450. The interrupt line is high exactly while a source that
// IER enables is pending. (On a PC, MCR's OUT2 also gates the line onto the ISA bus; we leave that
// out, as the line goes to KVM's interrupt controller directly.)
//
// What this emulation leaves out, because a VMM has no wire: there is no baud clock, so a byte
// written to THR is "sent" at once (THR and the transmitter are always empty), and the divisor,
// word length and parity are stored for the driver to read back but change nothing. Loopback
// (MCR bit 4) is complete, because Linux's probe depends on it: in loopback a transmitted byte
// comes back to the receiver, and MSR's inputs mirror MCR's outputs.
//
// Received bytes wait in one bounded queue (kInputCapacity, 4 KiB) instead of the chip's 16-byte
// FIFO. The real FIFO is small because the far end sends at the baud rate and the FIFO only has to
// cover the CPU's interrupt latency. Our "far end" is the user's terminal, which delivers a paste
// of hundreds of bytes at once while the vCPU may not run for a while; a 16-byte limit would throw
// most of it away. The guest still drains the queue the way it drains a FIFO (read RBR while LSR
// says data is ready), so the driver cannot tell. When the queue is full, further bytes are
// dropped, counted and reported to the guest as an overrun (LSR bit 1), as the chip would.
//
// Threads: access() runs on vCPU threads (under the bus lock), push_input() on the VMM's console
// thread. One mutex guards the registers and the queue; the IrqLine is set with it held, so the
// level the interrupt controller sees always matches the registers. The output sink is called
// after the mutex is released (so a sink may call push_input, e.g. to answer a prompt); the bus
// lock keeps the bytes in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>

#include "hypervisor/devices/device.h"
#include "hypervisor/devices/irq_line.h"

namespace deploylab::hv {

// Register offsets and bits, named as in the 16550A data sheet.
namespace uart {
inline constexpr std::uint8_t kRbr = 0, kThr = 0, kDll = 0;
inline constexpr std::uint8_t kIer = 1, kDlm = 1;
inline constexpr std::uint8_t kIir = 2, kFcr = 2;
inline constexpr std::uint8_t kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7;
inline constexpr std::uint8_t kRegisters = 8;

inline constexpr std::uint8_t kIerRxData = 0x01, kIerThrEmpty = 0x02, kIerLineStatus = 0x04,
                              kIerModemStatus = 0x08, kIerMask = 0x0f;
inline constexpr std::uint8_t kIirNone = 0x01, kIirLineStatus = 0x06, kIirRxData = 0x04,
                              kIirThrEmpty = 0x02, kIirModemStatus = 0x00, kIirFifosEnabled = 0xc0;
inline constexpr std::uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02, kFcrClearTx = 0x04;
inline constexpr std::uint8_t kLcrDlab = 0x80;
inline constexpr std::uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08,
                              kMcrLoop = 0x10, kMcrMask = 0x1f;
inline constexpr std::uint8_t kLsrDataReady = 0x01, kLsrOverrun = 0x02, kLsrThrEmpty = 0x20,
                              kLsrTransmitterEmpty = 0x40;
inline constexpr std::uint8_t kMsrDeltaCts = 0x01, kMsrDeltaDsr = 0x02, kMsrTrailingRi = 0x04,
                              kMsrDeltaDcd = 0x08, kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40,
                              kMsrDcd = 0x80;
}  // namespace uart

class SerialUart : public Device {
 public:
  // What the guest transmits, a byte at a time (Linux writes THR one byte per OUT).
  using Sink = std::function<void(std::string_view)>;
  static constexpr std::size_t kInputCapacity = 4096;

  // `base` is the first of the eight ports (0x3f8 for COM1); `irq` is the line to raise.
  SerialUart(std::uint16_t base, IrqLine irq, Sink sink);

  std::string name() const override;
  // Byte-wide accesses at base + 0..7. Wider accesses and other addresses are not the UART's:
  // writes are ignored, reads return all ones (an undriven bus), and both are counted.
  std::optional<StopRequest> access(IoAccess& access) override;

  // Bytes from the user's terminal: they join the receive queue and raise "received data
  // available" if the guest enabled it. Returns how many fit; the rest are dropped and counted.
  std::size_t push_input(std::span<const std::uint8_t> bytes);

  std::size_t input_dropped() const;   // bytes lost because the receive queue was full
  std::size_t input_buffered() const;  // bytes waiting for the guest to read them
  std::uint64_t bad_accesses() const;  // wide or out-of-range accesses, for diagnostics
  bool irq_high() const;               // the interrupt line's level now

 private:
  std::uint8_t read_register(std::uint8_t offset);
  // Returns the byte to hand to the sink when the write transmitted one.
  std::optional<std::uint8_t> write_register(std::uint8_t offset, std::uint8_t value);
  void write_ier(std::uint8_t value);
  void write_fcr(std::uint8_t value);
  void write_mcr(std::uint8_t value);
  std::optional<std::uint8_t> transmit(std::uint8_t byte);
  std::uint8_t read_iir();
  std::uint8_t read_lsr();
  std::uint8_t read_msr();
  bool receive(std::uint8_t byte);
  std::uint8_t modem_inputs() const;   // MSR bits 7:4 as the lines are now
  std::uint8_t pending_interrupt() const;  // IIR bits 3:0 of the highest enabled source
  void update_irq();

  const std::uint16_t base_;
  const Sink sink_;

  mutable std::mutex mutex_;
  // Everything below is guarded by mutex_.
  IrqLine irq_;
  std::deque<std::uint8_t> rx_;       // the receive queue (RBR is its front)
  std::uint8_t ier_ = 0;
  std::uint8_t lcr_ = 0;
  std::uint8_t mcr_ = 0;
  std::uint8_t scr_ = 0;
  std::uint8_t dll_ = 0, dlm_ = 0;
  std::uint8_t msr_deltas_ = 0;       // MSR bits 3:0, cleared when MSR is read
  bool fifos_enabled_ = false;        // FCR bit 0
  bool overrun_ = false;              // LSR bit 1, cleared when LSR is read
  bool thr_empty_pending_ = false;    // the THR-empty interrupt is armed
  std::size_t dropped_ = 0;
  std::uint64_t bad_accesses_ = 0;
};

}  // namespace deploylab::hv
