// hypervisor/devices/serial_uart_test.cpp: tests of the 16550A UART (serial_uart.h), driven the
// way Linux's 8250 driver drives it: through IoAccess structs, with a recorder as the interrupt
// line. No KVM needed.
#include "hypervisor/devices/serial_uart.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace deploylab::hv {
namespace {

using namespace uart;
constexpr std::uint16_t kCom1 = 0x3f8;

std::vector<std::uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

class SerialUartTest : public ::testing::Test {
 protected:
  std::uint8_t read(std::uint8_t offset) { return read_port(kCom1 + offset); }
  std::uint8_t read_port(std::uint64_t port) {
    std::uint8_t byte = 0x5a;
    IoAccess access{Space::port, AccessKind::read, port, std::span<std::uint8_t>(&byte, 1)};
    uart.access(access);
    return byte;
  }
  void write(std::uint8_t offset, std::uint8_t value) {
    IoAccess access{Space::port, AccessKind::write, std::uint64_t{kCom1} + offset, std::span<std::uint8_t>(&value, 1)};
    uart.access(access);
  }
  void type(std::string_view text) { uart.push_input(bytes_of(text)); }
  // Reads RBR while LSR says data is ready, as the driver's receive loop does.
  std::string drain() {
    std::string got;
    while ((read(kLsr) & kLsrDataReady) != 0) got.push_back(static_cast<char>(read(kRbr)));
    return got;
  }

  std::vector<bool> irq_changes;  // every level the line was set to, in order
  std::string wire;               // what the guest transmitted
  SerialUart uart{kCom1, IrqLine(4, [this](std::uint32_t irq, bool high) {
                    EXPECT_EQ(irq, 4u) << "COM1's interrupt line is 4";
                    irq_changes.push_back(high);
                  }),
                  [this](std::string_view bytes) { wire.append(bytes); }};
};

TEST_F(SerialUartTest, WritingThrSendsTheByteToTheSink) {
  for (char c : std::string("hi\n")) write(kThr, static_cast<std::uint8_t>(c));
  EXPECT_EQ(wire, "hi\n");
  EXPECT_EQ(read(kLsr) & (kLsrThrEmpty | kLsrTransmitterEmpty), kLsrThrEmpty | kLsrTransmitterEmpty)
      << "transmission is instantaneous: THR and the transmitter are always empty";
}

TEST_F(SerialUartTest, DlabTurnsOffsetsZeroAndOneIntoTheDivisorLatch) {
  write(kIer, kIerRxData);
  write(kLcr, kLcrDlab | 0x03);  // DLAB + 8N1, as Linux sets the baud rate
  write(kDll, 0x01);             // divisor 1 = 115200 baud
  write(kDlm, 0x02);
  EXPECT_EQ(read(kDll), 0x01) << "DLL reads back what was written";
  EXPECT_EQ(read(kDlm), 0x02) << "DLM reads back what was written";
  EXPECT_TRUE(wire.empty()) << "a write to offset 0 with DLAB set is DLL, not a transmitted byte";
  write(kLcr, 0x03);
  EXPECT_EQ(read(kIer), kIerRxData) << "with DLAB clear, offset 1 is IER again, unchanged by the DLM write";
  EXPECT_EQ(read(kLcr), 0x03);
  write(kLcr, kLcrDlab);
  EXPECT_EQ(read(kDll), 0x01) << "the divisor survives DLAB being cleared and set again";
}

// serial8250's autoconfig(), step by step: the IER existence test, the loopback test, the FIFO
// test that identifies a 16550A, and the probes for later chips that must all say "no".
TEST_F(SerialUartTest, PassesLinuxAutoconfigAsA16550A) {
  std::uint8_t saved_ier = read(kIer);
  write(kIer, 0);
  EXPECT_EQ(read(kIer) & 0x0f, 0);
  write(kIer, 0x0f);
  EXPECT_EQ(read(kIer) & 0x0f, 0x0f) << "IER must hold all four enable bits";
  write(kIer, saved_ier);

  std::uint8_t saved_mcr = read(kMcr), saved_lcr = read(kLcr);
  write(kMcr, kMcrLoop | 0x0a);  // loopback, RTS, OUT2
  EXPECT_EQ(read(kMsr) & 0xf0, 0x90) << "in loopback RTS shows as CTS and OUT2 as DCD";
  write(kMcr, saved_mcr);

  write(kFcr, kFcrEnable);
  EXPECT_EQ(read(kIir) >> 6, 3) << "IIR bits 7:6 = 11 with FIFOs on: this is how Linux finds a 16550A";
  write(kLcr, 0xbf);
  EXPECT_NE(read(kIir), 0) << "with LCR=0xbf a 16650 shows EFR (0) here; a 16550A still shows IIR";
  write(kLcr, 0);
  write(kFcr, kFcrEnable | 0x20);  // the 16750's 64-byte FIFO bit
  EXPECT_EQ(read(kIir) >> 5, 6) << "IIR bit 5 stays 0: not a 16750";
  write(kIer, 0x40);
  EXPECT_EQ(read(kIer) & 0x40, 0) << "IER bit 6 does not exist: not an XScale UART";
  write(kLcr, saved_lcr);
  EXPECT_NE(read(kLsr), 0xff) << "Linux refuses a UART whose LSR reads 0xff";
}

TEST_F(SerialUartTest, LoopbackReturnsTransmittedBytesToTheReceiver) {
  write(kMcr, kMcrLoop);
  write(kThr, 'x');
  write(kThr, 'y');
  EXPECT_TRUE(wire.empty()) << "in loopback nothing reaches the wire";
  EXPECT_EQ(drain(), "xy");
  write(kMcr, 0);
  write(kThr, 'z');
  EXPECT_EQ(wire, "z") << "out of loopback bytes go to the sink again";
  EXPECT_EQ(uart.input_buffered(), 0u);
}

TEST_F(SerialUartTest, LoopbackWiresEachModemOutputToItsInput) {
  struct Wire { std::uint8_t mcr, msr; const char* name; };
  for (Wire w : {Wire{kMcrDtr, kMsrDsr, "DTR -> DSR"}, Wire{kMcrRts, kMsrCts, "RTS -> CTS"},
                 Wire{kMcrOut1, kMsrRi, "OUT1 -> RI"}, Wire{kMcrOut2, kMsrDcd, "OUT2 -> DCD"}}) {
    write(kMcr, kMcrLoop | w.mcr);
    EXPECT_EQ(read(kMsr) & 0xf0, w.msr) << w.name;
  }
}

TEST_F(SerialUartTest, OutOfLoopbackACarrierIsAlwaysThere) {
  EXPECT_EQ(read(kMsr), kMsrDcd | kMsrDsr | kMsrCts) << "DCD, DSR and CTS asserted, no deltas";
}

TEST_F(SerialUartTest, MsrDeltaBitsReportChangesOnceAndRiOnlyOnItsFallingEdge) {
  write(kMcr, kMcrLoop | kMcrOut1);  // DSR and CTS drop, DCD drops (OUT2 clear), RI rises
  EXPECT_EQ(read(kMsr), kMsrRi | kMsrDeltaCts | kMsrDeltaDsr | kMsrDeltaDcd)
      << "RI rising is not a delta; the three lines that fell are";
  EXPECT_EQ(read(kMsr), kMsrRi) << "reading MSR clears its delta bits";
  write(kMcr, kMcrLoop);
  EXPECT_EQ(read(kMsr), kMsrTrailingRi) << "RI falling sets TERI";
}

TEST_F(SerialUartTest, IirReportsSourcesInPriorityOrder) {
  write(kFcr, kFcrEnable);
  uart.push_input(std::vector<std::uint8_t>(SerialUart::kInputCapacity + 1, 'a'));  // data + overrun
  write(kMcr, kMcrLoop);  // modem status deltas
  write(kThr, 'b');       // dropped (queue full), but THR empties: THRE pending
  write(kIer, kIerMask);
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirLineStatus) << "receiver line status comes first";
  read(kLsr);
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirRxData) << "then received data available";
  EXPECT_EQ(drain().size(), SerialUart::kInputCapacity);
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirThrEmpty) << "then THR empty";
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirModemStatus) << "reading IIR cleared THR empty; modem status is last";
  read(kMsr);
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirNone);
  EXPECT_FALSE(uart.irq_high());
}

TEST_F(SerialUartTest, IirHasNoFifoBitsWhileFifosAreOff) {
  EXPECT_EQ(read(kIir), kIirNone);
  write(kFcr, kFcrEnable);
  EXPECT_EQ(read(kIir), kIirFifosEnabled | kIirNone);
  write(kFcr, 0);
  EXPECT_EQ(read(kIir), kIirNone);
}

// What keeps Linux transmitting: enable the interrupt, get it, fill THR, get it again.
TEST_F(SerialUartTest, ThrEmptyInterruptRearmsAfterEveryWrite) {
  write(kIer, kIerThrEmpty);
  EXPECT_TRUE(uart.irq_high()) << "enabling ETBEI while THR is empty raises the interrupt";
  EXPECT_EQ(read(kIir), kIirThrEmpty);
  EXPECT_FALSE(uart.irq_high()) << "reading IIR acknowledged THR empty";
  EXPECT_EQ(read(kIir), kIirNone);
  write(kThr, 'a');
  EXPECT_TRUE(uart.irq_high()) << "THR emptied again after the write";
  write(kThr, 'b');  // a second write before the IIR read keeps it pending
  EXPECT_EQ(read(kIir), kIirThrEmpty);
  write(kIer, 0);
  EXPECT_EQ(irq_changes, (std::vector<bool>{true, false, true, false}));
}

// serial8250_do_startup's test for UARTs that do not re-assert THRE (UART_BUG_THRE).
TEST_F(SerialUartTest, ReenablingThrEmptyReassertsIt) {
  write(kIer, kIerThrEmpty);
  EXPECT_EQ(read(kIir) & kIirNone, 0) << "first enable: interrupt pending";
  write(kIer, 0);
  write(kIer, kIerThrEmpty);
  EXPECT_EQ(read(kIir) & kIirNone, 0) << "a real 16550 re-asserts THRE when it is enabled again";
  write(kIer, kIerThrEmpty | kIerRxData);
  EXPECT_EQ(read(kIir), kIirNone) << "writing IER with ETBEI already set is not a new enable";
}

TEST_F(SerialUartTest, TypedBytesRaiseTheReceiveInterruptUntilRead) {
  write(kIer, kIerRxData);
  type("ab");
  EXPECT_TRUE(uart.irq_high());
  EXPECT_EQ(read(kIir), kIirRxData);
  EXPECT_EQ(read(kRbr), 'a');
  EXPECT_TRUE(uart.irq_high()) << "one byte is still waiting";
  EXPECT_EQ(read(kRbr), 'b');
  EXPECT_FALSE(uart.irq_high()) << "the queue is empty";
  EXPECT_EQ(read(kLsr) & kLsrDataReady, 0);
  EXPECT_EQ(irq_changes, (std::vector<bool>{true, false}));
}

TEST_F(SerialUartTest, InputWaitsUntilTheGuestEnablesTheInterrupt) {
  type("x");
  EXPECT_FALSE(uart.irq_high()) << "IER is 0: nothing is enabled";
  EXPECT_EQ(read(kLsr) & kLsrDataReady, kLsrDataReady) << "but a polling driver sees it";
  write(kIer, kIerRxData);
  EXPECT_TRUE(uart.irq_high());
}

TEST_F(SerialUartTest, FcrClearRxAndFifoModeChangesEmptyTheQueue) {
  write(kFcr, kFcrEnable);
  type("abc");
  write(kFcr, kFcrEnable | kFcrClearRx | kFcrClearTx);
  EXPECT_EQ(uart.input_buffered(), 0u);
  EXPECT_EQ(read(kLsr) & kLsrDataReady, 0);
  type("de");
  write(kFcr, 0);
  EXPECT_EQ(uart.input_buffered(), 0u) << "turning the FIFOs off empties them";
  type("f");
  write(kFcr, kFcrClearTx);
  EXPECT_EQ(drain(), "f") << "with FIFOs off and staying off, FCR's clear bits do nothing";
}

TEST_F(SerialUartTest, AFullQueueDropsCountsAndReportsAnOverrun) {
  write(kIer, kIerLineStatus);
  std::vector<std::uint8_t> paste(SerialUart::kInputCapacity + 10, 'p');
  EXPECT_EQ(uart.push_input(paste), SerialUart::kInputCapacity);
  EXPECT_EQ(uart.input_dropped(), 10u);
  EXPECT_EQ(uart.input_buffered(), SerialUart::kInputCapacity);
  EXPECT_EQ(read(kIir), kIirLineStatus);
  EXPECT_EQ(read(kLsr) & kLsrOverrun, kLsrOverrun);
  EXPECT_EQ(read(kLsr) & kLsrOverrun, 0) << "LSR reports an overrun once";
  EXPECT_FALSE(uart.irq_high());
  write(kMcr, kMcrLoop);
  write(kThr, 'q');
  EXPECT_EQ(uart.input_dropped(), 11u) << "a looped-back byte into a full queue is dropped too";
}

TEST_F(SerialUartTest, WideAccessesAreNotTheUarts) {
  type("k");
  std::uint8_t word[2] = {0, 0};
  IoAccess in16{Space::port, AccessKind::read, kCom1, std::span<std::uint8_t>(word, 2)};
  uart.access(in16);
  EXPECT_EQ(word[0], 0xff);
  EXPECT_EQ(word[1], 0xff) << "a 16-bit IN reads an undriven bus";
  std::uint8_t dword[4] = {'a', 'b', 'c', 'd'};
  IoAccess out32{Space::port, AccessKind::write, kCom1, std::span<std::uint8_t>(dword, 4)};
  uart.access(out32);
  EXPECT_TRUE(wire.empty()) << "a 32-bit OUT to THR transmits nothing";
  EXPECT_EQ(uart.input_buffered(), 1u) << "the wide read did not consume RBR";
  EXPECT_EQ(uart.bad_accesses(), 2u);
}

TEST_F(SerialUartTest, PortsOutsideTheEightRegistersAreNotTheUarts) {
  EXPECT_EQ(read_port(kCom1 + 8), 0xff);
  EXPECT_EQ(read_port(kCom1 - 1), 0xff);
  EXPECT_EQ(uart.bad_accesses(), 2u);
}

TEST_F(SerialUartTest, StorageRegistersReadBack) {
  write(kScr, 0xa5);
  EXPECT_EQ(read(kScr), 0xa5) << "SCR is a plain byte of storage";
  write(kLcr, 0x1b);
  EXPECT_EQ(read(kLcr), 0x1b);
  write(kMcr, 0xff);
  EXPECT_EQ(read(kMcr), kMcrMask) << "MCR has five bits";
  write(kLsr, 0x00);
  write(kMsr, 0x00);
  EXPECT_EQ(read(kLsr), kLsrThrEmpty | kLsrTransmitterEmpty) << "writes to LSR are ignored";
}

TEST_F(SerialUartTest, ReadingAnEmptyRbrGivesZero) {
  EXPECT_EQ(read(kRbr), 0);
  EXPECT_EQ(uart.name(), "16550A UART at port 0x3f8");
}

TEST_F(SerialUartTest, InputFromAnotherThreadArrivesWholeAndInOrder) {
  std::string expected;
  for (int i = 0; i < 2000; ++i) expected.push_back(static_cast<char>('a' + i % 26));
  std::thread console([&] {
    for (char c : expected) uart.push_input(bytes_of(std::string_view(&c, 1)));
  });
  std::string got;
  while (got.size() < expected.size()) got += drain();
  console.join();
  EXPECT_EQ(got, expected);
  EXPECT_EQ(uart.input_dropped(), 0u);
}

TEST(SerialUart, ASinkMayTypeBackWithoutDeadlock) {
  SerialUart* self = nullptr;
  SerialUart uart(kCom1, IrqLine(), [&](std::string_view bytes) {
    self->push_input(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));  // an echoing terminal
  });
  self = &uart;
  std::uint8_t byte = '$';
  IoAccess out{Space::port, AccessKind::write, kCom1, std::span<std::uint8_t>(&byte, 1)};
  uart.access(out);
  EXPECT_EQ(uart.input_buffered(), 1u) << "the sink runs outside the UART's lock";
}

}  // namespace
}  // namespace deploylab::hv
