// hypervisor/vmm/kernel_console.h: what the VMM learns by reading a Linux guest's console
// (lab 04).
//
// Part of vmm/: LinuxMachine (linux_machine.h) hands every byte the guest writes to the UART to
// a KernelConsole, which cuts it into lines and recognises the few the VMM acts on:
//
//   "Run /init as init process"     the kernel is about to start userspace (--timings)
//   "reboot: Power down"            init asked for a power-off (busybox `poweroff`)
//   "reboot: Restarting system"     init asked for a reboot
//   "reboot: System halted"         init asked for a halt: the CPUs stop for ever, so the VMM must
//   "Kernel panic - not syncing"    the kernel gave up
//
// Why read the console? A PC without ACPI has no device through which the kernel says "power me
// off": it prints the message and, with `reboot=t panic=-1` on its command line, resets the CPU
// through a triple fault, which KVM reports as KVM_EXIT_SHUTDOWN. The exit alone cannot tell a
// power-off from a panic or a real crash; the last words on the console can. (A VMM with ACPI
// gets a write to the PM1 control register instead; Firecracker uses the i8042 reset line.)
//
// Pure: no clock, no I/O. The caller passes the time with each chunk.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace deploylab::hv {

class KernelConsole {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Shutdown { none, power_off, restart, halt, panic };

  // Takes the next bytes the guest wrote, at `now`. Returns the shutdown the first time a line in
  // them announces one (later ones change nothing: a power-off that ends in a panic is a power-off).
  std::optional<Shutdown> feed(std::string_view bytes, Clock::time_point now);

  Shutdown shutdown() const { return shutdown_; }
  // The line that announced the shutdown (the panic's reason, for one), without the timestamp.
  const std::string& shutdown_line() const { return shutdown_line_; }
  // When "Run /init" (or any "Run ... as init process") appeared.
  std::optional<Clock::time_point> run_init() const { return run_init_; }
  // The last complete lines, oldest first (for "the guest's last words" in error reports).
  std::string last_lines(std::size_t count = 5) const;

 private:
  std::optional<Shutdown> take_line(std::string line, Clock::time_point now);

  std::string partial_;
  std::deque<std::string> recent_;
  Shutdown shutdown_ = Shutdown::none;
  std::string shutdown_line_;
  std::optional<Clock::time_point> run_init_;
};

std::string to_string(KernelConsole::Shutdown shutdown);

// "[    1.234567] Kernel panic ..." -> "Kernel panic ...": the printk timestamp removed.
std::string_view without_printk_time(std::string_view line);

}  // namespace deploylab::hv
