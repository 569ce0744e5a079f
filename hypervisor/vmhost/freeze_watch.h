// hypervisor/vmhost/freeze_watch.h: deciding that the test host has frozen, from its heartbeat.
//
// QEMU's software emulation of AMD-V occasionally loses the interrupt that should wake a halted
// test host while it runs a nested guest: the CPU sits in HLT with interrupts enabled and the
// timer interrupt pending in the local APIC, and nothing ever happens again (issue 5's note: about
// one Linux boot in five, measured on this kit's CI machine; an injected NMI does not wake it).
// The guest's init (guest_init.sh) therefore bumps a counter in job/heartbeat every two seconds;
// runner.cpp reads it and asks this watch what to do. No new beat for `silence` means the test
// host is frozen (before the first beat the limit is `boot_grace`, which covers the kernel's
// boot). Pure: observations in, a verdict out, so it can be tested without QEMU.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace deploylab::vmhost {

struct FreezeWatchLimits {
  std::chrono::seconds boot_grace{180};  // start to the first beat (the test host boots in ~8 s)
  std::chrono::seconds silence{45};      // between two beats (they come every 2 s)
};

class FreezeWatch {
 public:
  using Clock = std::chrono::steady_clock;

  FreezeWatch(FreezeWatchLimits limits, Clock::time_point start) : limits_(limits), last_change_(start) {}

  // The heartbeat file's content now (nullopt: not written yet). True when the test host is frozen.
  bool frozen_after(Clock::time_point now, const std::optional<std::string>& beat);

  // "no heartbeat for 47 s (the last one was 12)": for the message that reports the freeze.
  std::string describe(Clock::time_point now) const;

 private:
  FreezeWatchLimits limits_;
  Clock::time_point last_change_;
  std::optional<std::string> last_beat_;
};

}  // namespace deploylab::vmhost
