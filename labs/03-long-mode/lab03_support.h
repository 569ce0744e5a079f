// labs/03-long-mode/lab03_support.h: what lab 03's KVM tests share: running a guest on a Machine
// (hypervisor/vmm/machine.h) in a given CPU mode on N vCPUs, describing how a run ended for failure
// messages, and two tiny long-mode guests written out as machine code, for the cases no guest in
// hypervisor/guests/ covers (vCPUs that must run at the same time, one vCPU exiting while the
// others loop).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hypervisor/boot/cpu_mode.h"
#include "hypervisor/guests/abi.h"
#include "hypervisor/guests/guest_files.h"
#include "hypervisor/vmm/machine.h"

namespace deploylab::hv {

// Generous: inside the vmhost test host every guest instruction is emulated, and a run that
// should take milliseconds can take a second. A guest that has not stopped by then never will.
inline constexpr std::chrono::milliseconds kGuestTimeout{20'000};

// A Machine for `mode` with `vcpus` vCPUs and the timeout above, the rest as MachineConfig has it.
inline MachineConfig machine_config(CpuMode mode, int vcpus) {
  MachineConfig config;
  config.mode = mode;
  config.vcpus = vcpus;
  config.timeout = kGuestTimeout;
  return config;
}

struct GuestRun {
  std::unique_ptr<Machine> machine;  // kept, so a test can look at memory and registers after
  MachineReport report;
};

// Creates a Machine for `mode` with `vcpus` vCPUs, loads `image` and runs it to its end.
inline GuestRun run_image(std::span<const std::uint8_t> image, CpuMode mode, int vcpus = 1) {
  std::unique_ptr<Machine> machine = Machine::create(machine_config(mode, vcpus)).value();
  machine->load(image).value();
  MachineReport report = machine->run().value();
  return GuestRun{std::move(machine), std::move(report)};
}

// The same for the built guest BUILD/guests/NAME.bin (hypervisor/guests/NAME.c or NAME.S).
inline GuestRun run_guest(const std::string& name, CpuMode mode, int vcpus = 1) {
  return run_image(guest_image(name).value(), mode, vcpus);
}

// How a run ended, in one paragraph for a failure message: the end, the VMM's message, what the
// guest printed, and the register dump of a crash.
inline std::string describe(const MachineReport& report) {
  std::string text = "the run ended: " + to_string(report.end);
  if (report.end == MachineReport::End::guest_exit) text += " with code " + std::to_string(report.exit_code);
  if (!report.message.empty()) text += "\n  message: " + report.message;
  text += "\n  guest output: \"" + report.console + "\"";
  if (!report.register_dump.empty()) text += "\n  registers:\n" + report.register_dump;
  return text;
}

// How many times `line` occurs in `text` as a whole line.
inline int count_lines(const std::string& text, const std::string& line) {
  int count = 0;
  for (std::size_t at = text.find(line); at != std::string::npos; at = text.find(line, at + 1)) {
    const bool starts_line = at == 0 || text[at - 1] == '\n';
    const bool ends_line = at + line.size() == text.size() || text[at + line.size()] == '\n';
    if (starts_line && ends_line) ++count;
  }
  return count;
}

// The u64 the guest left in mailbox slot `slot` (DL_MAILBOX_ADDRESS + 8 * slot).
inline std::uint64_t mailbox_u64(const Machine& machine, int slot) {
  return machine.memory().read_value<std::uint64_t>(DL_MAILBOX_ADDRESS + 8 * std::uint64_t(slot)).value();
}

// The value the guest printed on a line "NAME=0x<hex>" (hello64 prints cr0, cr4 and efer this
// way), or nullopt when there is no such line.
inline std::optional<std::uint64_t> printed_register(const std::string& console, const std::string& name) {
  const std::string prefix = name + "=0x";
  for (std::size_t at = console.find(prefix); at != std::string::npos; at = console.find(prefix, at + 1)) {
    if (at != 0 && console[at - 1] != '\n') continue;
    const std::size_t end = console.find('\n', at);
    const std::string digits = console.substr(at + prefix.size(), end - at - prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
    return std::stoull(digits, nullptr, 16);
  }
  return std::nullopt;
}

// Runs hypervisor/guests/vcpus.c on `vcpus` vCPUs and checks what it leaves behind: each line
// "vCPU <id> of <n> reporting" exactly once, id + 1 in mailbox slot id, every vCPU halted.
inline void expect_every_vcpu_reports(int vcpus) {
  GuestRun run = run_guest("vcpus", CpuMode::long64, vcpus);
  const MachineReport& report = run.report;
  ASSERT_EQ(report.end, MachineReport::End::halted)
      << "every vCPU of the vcpus guest prints one line and halts; " << describe(report);
  ASSERT_EQ(report.vcpus.size(), std::size_t(vcpus))
      << "the report needs one outcome per vCPU (VcpuRunner::run() in hypervisor/vmm/vcpu_runner.cpp)";
  for (int id = 0; id < vcpus; ++id) {
    const std::string line = "vCPU " + std::to_string(id) + " of " + std::to_string(vcpus) + " reporting";
    EXPECT_EQ(count_lines(report.console, line), 1)
        << "expected the line \"" << line << "\" exactly once; the guest printed:\n" << report.console
        << "(none: the vCPU never ran; twice: it ran twice)";
    if (id < DL_MAILBOX_SIZE / 8) {
      EXPECT_EQ(mailbox_u64(*run.machine, id), std::uint64_t(id) + 1)
          << "vCPU " << id << " stores id + 1 in mailbox slot " << id << "; 0 means it never got there";
    }
    EXPECT_EQ(report.vcpus[std::size_t(id)].end, VcpuOutcome::End::halted)
        << "vCPU " << id << " should end halted (HLT), not stopped by the others";
  }
}

// The waiting loops below leave the guest once a round, through the null device's port 0xeb,
// rather than spinning inside it: inside the vmhost test host, whose AMD-V is emulated by QEMU, a
// vCPU that never exits can keep a CPU of the test host from taking its interrupts, and two of
// them freeze the whole test host. On hardware both kinds of loop behave the same.

// A barrier guest: every vCPU adds one to the counter at the mailbox, then waits until the
// counter reaches the number of vCPUs (RSI), then halts. It halts only if all vCPUs are inside
// the guest at the same time: run them one after the other and the first one waits for ever.
//
//   0x00  f0 48 ff 04 25 00 05 00 00   lock incq 0x500        arrive
//   0x09  e6 eb                        1: out %al, $0xeb      one exit per round (see above)
//   0x0b  48 8b 04 25 00 05 00 00      mov 0x500, %rax        how many are here?
//   0x13  48 39 f0                     cmp %rsi, %rax
//   0x16  72 f1                        jb 1b                  not all yet: wait
//   0x18  f4                           2: hlt
//   0x19  eb fd                        jmp 2b
inline const std::vector<std::uint8_t> kBarrierGuest = {
    0xf0, 0x48, 0xff, 0x04, 0x25, 0x00, 0x05, 0x00, 0x00,  //
    0xe6, 0xeb,                                            //
    0x48, 0x8b, 0x04, 0x25, 0x00, 0x05, 0x00, 0x00,        //
    0x48, 0x39, 0xf0,                                      //
    0x72, 0xf1,                                            //
    0xf4,                                                  //
    0xeb, 0xfd};

// vCPU 0 stops the VM with exit code 7 (the DL_HC_EXIT hypercall of abi.h); every other vCPU
// loops for ever and never halts: only the VM's stop ends it.
//
//   0x00  48 85 ff                     test %rdi, %rdi        vCPU 0?
//   0x03  75 0c                        jnz 3f
//   0x05  b8 03 00 00 00               mov $3, %eax           DL_HC_EXIT
//   0x0a  bb 07 00 00 00               mov $7, %ebx           the exit code
//   0x0f  e6 ea                        out %al, $0xea         the hypercall doorbell
//   0x11  e6 eb                        3: out %al, $0xeb      one exit per round (see above)
//   0x13  eb fc                        jmp 3b
inline const std::vector<std::uint8_t> kExitSevenGuest = {
    0x48, 0x85, 0xff,                    //
    0x75, 0x0c,                          //
    0xb8, 0x03, 0x00, 0x00, 0x00,        //
    0xbb, 0x07, 0x00, 0x00, 0x00,        //
    0xe6, 0xea,                          //
    0xe6, 0xeb,                          //
    0xeb, 0xfc};

}  // namespace deploylab::hv
