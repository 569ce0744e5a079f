// bench/boot/boot_probe.h: one measured boot, from outside the VMM (the boot benchmark,
// bench/boot/README.md). The same method for every contender:
//
//   t0      just before spawning the launcher (the VMM itself, or `virsh create`)
//   init    the first time the console shows the marker line; the VMM's smaps are read then
//   exit    the VMM process is gone (its guest powered off)
//
// The console is either the launcher's stdout (minivmm, QEMU: `-serial stdio`) or a file the VMM
// writes (libvirt's serial file). Both are polled in the same 20 ms loop, so detection lags by
// at most 20 ms for the file and not at all for the pipe, next to boots of a second and more.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/smaps.h"
#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::bench {

enum class ConsoleSource { launcher_stdout, file };

struct ProbeSpec {
  std::vector<std::string> argv;        // the launcher
  ConsoleSource console = ConsoleSource::launcher_stdout;
  std::filesystem::path console_file;   // for ConsoleSource::file
  // Empty: the launcher is the VMM. Otherwise the launcher only starts the VMM and exits 0; the
  // VMM's PID is then read from this file (libvirt's /run/libvirt/qemu/NAME.pid).
  std::filesystem::path vmm_pid_file;
  std::uint64_t guest_ram_bytes = 0;
  std::string marker = "deploylab-initramfs: init started";
  std::chrono::milliseconds timeout{300000};
  // Non-empty: ProbeResult::tagged gets every console line carrying this tag (bench/vm's
  // "deploylab-bench:" lines from the guest's workloads).
  std::string collect_tag;
  // Set (by a signal handler) to stop early: the VMM is killed and the failure says "interrupted".
  const std::atomic<bool>* interrupted = nullptr;
};

struct ProbeResult {
  double init_ms;                       // NaN: the marker never came
  double exit_ms;                       // NaN: the VMM did not exit (timeout)
  std::optional<MemorySplit> memory;    // at the marker; nullopt: guest RAM not identified
  std::string failure;                  // empty when the boot went as it should
  pid_t vmm_pid = -1;                   // for cleanup by the caller (libvirt)
  std::vector<std::string> tagged;      // the console lines with ProbeSpec::collect_tag
};

// Runs one boot as described above. An Error means the launcher could not even be started; a
// boot that went wrong (non-zero exit, no marker, timeout) is a ProbeResult with `failure` set:
// "exit 1: <first error line>", "timed out after 300 s; last console lines: ...".
Result<ProbeResult> probe_boot(const ProbeSpec& spec);

}  // namespace deploylab::bench
