// hypervisor/vmhost/qemu_command.cpp: the test host's QEMU argv (see qemu_command.h).
#include "hypervisor/vmhost/qemu_command.h"

#include <charconv>

namespace deploylab::vmhost {
namespace {

// A 9p share: `-fsdev local` (files served as they are; vmhost runs as root or as the owner)
// and the virtio device the guest mounts by tag.
void share(std::vector<std::string>& argv, const std::string& tag, const std::filesystem::path& path, bool read_only) {
  std::string fsdev = "local,id=" + tag + ",path=" + path.string() + ",security_model=none";
  // The host's / spans several file systems; remap keeps their inode numbers from colliding.
  if (read_only) fsdev += ",readonly=on,multidevs=remap";
  argv.insert(argv.end(), {"-fsdev", fsdev, "-device", "virtio-9p-pci,fsdev=" + tag + ",mount_tag=" + tag});
}

}  // namespace

std::vector<std::string> qemu_argv(const QemuConfig& c) {
  std::string cmdline = "console=ttyS0 panic=-1 vmhost.mode=" + std::string(c.mode == Mode::run ? "run" : "shell");
  if (!c.build_dir.empty()) cmdline += " vmhost.build=" + c.build_dir.string();
  // In run mode ^C on vmhost's terminal stops QEMU (signal=on); in a shell it goes to the guest.
  std::string terminal = std::string("stdio,id=terminal,signal=") + (c.mode == Mode::run ? "on" : "off");
  // Software emulation (TCG) with an emulated AMD-V (-cpu max has svm), without the virtual GIF:
  // with it, QEMU sometimes lost the interrupt that should pull a spinning nested guest out, and
  // the whole test host froze (about one run in fifteen of `minivmm run-guest spin`). vmhost also
  // gives the test host one CPU by default (main.cpp): with two, lab 03's multi-vCPU tests froze
  // it the same way now and then. Measured with 40-60 spin runs and 18 runs of the lab 01-03 tests.
  std::vector<std::string> argv = {
      c.qemu, "-accel", "tcg", "-cpu", "max,vgif=off", "-smp", std::to_string(c.cpus), "-m", std::to_string(c.memory_mib) + "M",
      "-kernel", c.kernel.string(), "-initrd", c.initramfs.string(), "-append", cmdline,
      "-no-reboot", "-nodefaults", "-display", "none", "-monitor", "none",
      "-serial", "file:" + c.console_log.string(), "-chardev", terminal, "-serial", "chardev:terminal"};
  share(argv, "hostroot", "/", true);
  if (!c.build_dir.empty()) share(argv, "build", c.build_dir, false);
  share(argv, "job", c.job_dir, false);
  return argv;
}

Result<std::uint64_t> parse_memory_mib(std::string_view text) {
  std::uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  std::uint64_t mib = 0;
  if (ec != std::errc() || number == 0) mib = 0;
  else if (unit.empty() || unit == "M" || unit == "m" || unit == "MiB") mib = number;
  else if (unit == "G" || unit == "g" || unit == "GiB") mib = number * 1024;
  if (mib == 0) return Error::invalid("memory size must be a number with M or G", std::string(text), "write for example --mem 2G or --mem 1536M");
  if (mib < 256 || mib > 65536) return Error::invalid("memory size out of range", std::string(text), "the test host needs 256M to 64G; 2G is plenty");
  return mib;
}

}  // namespace deploylab::vmhost
