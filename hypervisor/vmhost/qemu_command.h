// hypervisor/vmhost/qemu_command.h: the QEMU command line of the test host, built as data.
//
// The test host is the Debian kernel from `make deps` under QEMU software emulation (TCG) with
// `-cpu max`, whose emulated AMD-V lets kvm-amd give the guest a working /dev/kvm. Devices:
//   ttyS0     the kernel console, into a log file (vmhost reads it for panics);
//   ttyS1     the command's terminal, on vmhost's own stdio;
//   9p tags   hostroot (the host's /, read-only), build (the build dir, read-write),
//             job (the job directory with run.sh, where the guest writes the exit status).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace deploylab::vmhost {

enum class Mode { run, shell };

struct QemuConfig {
  std::string qemu = "qemu-system-x86_64";
  std::filesystem::path kernel;
  std::filesystem::path initramfs;
  std::filesystem::path build_dir;    // shared read-write at the same path; empty: not shared
  std::filesystem::path job_dir;
  std::filesystem::path console_log;
  std::uint64_t memory_mib = 2048;
  int cpus = 1;  // more than one can freeze nested guests under TCG (qemu_command.cpp)
  Mode mode = Mode::run;
};

std::vector<std::string> qemu_argv(const QemuConfig& config);

// "2G", "1536M", "512m", "4096" (MiB) -> MiB; at least 256 MiB, at most 64 GiB.
Result<std::uint64_t> parse_memory_mib(std::string_view text);

}  // namespace deploylab::vmhost
