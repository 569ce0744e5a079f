// bench/boot/contenders.cpp: command lines and domain XML of the boot benchmark (contenders.h).
#include "bench/boot/contenders.h"

#include <sstream>
#include <stdexcept>

namespace deploylab::bench {
namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20); }

// Escapes text for an XML element or attribute.
std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string to_string(Contender contender) {
  switch (contender) {
    case Contender::minivmm: return "minivmm";
    case Contender::qemu: return "qemu";
    case Contender::libvirt: return "libvirt";
  }
  return "unknown";
}

std::string label(Contender contender) {
  switch (contender) {
    case Contender::minivmm: return "minivmm";
    case Contender::qemu: return "QEMU microvm";
    case Contender::libvirt: return "libvirt (QEMU q35)";
  }
  return "unknown";
}

std::vector<Contender> parse_contenders(const std::string& list) {
  bool wanted[3] = {false, false, false};
  std::stringstream words(list);
  std::string word;
  while (std::getline(words, word, ',')) {
    if (word == "minivmm") wanted[0] = true;
    else if (word == "qemu") wanted[1] = true;
    else if (word == "libvirt") wanted[2] = true;
    else throw std::invalid_argument("unknown contender '" + word + "': expected minivmm, qemu or libvirt");
  }
  std::vector<Contender> contenders;
  for (Contender c : {Contender::minivmm, Contender::qemu, Contender::libvirt}) {
    if (wanted[static_cast<int>(c)]) contenders.push_back(c);
  }
  return contenders;
}

std::vector<std::string> minivmm_argv(const std::filesystem::path& minivmm, const BootSpec& spec,
                                      const std::filesystem::path& timings_json) {
  std::vector<std::string> argv{minivmm.string(), "boot", "--kernel", spec.kernel.string(), "--initrd",
                                spec.initrd.string(), "--mem", mib(spec.mem_bytes) + "M", "--cmdline", spec.cmdline,
                                "--console", "stdio", "--timings-json", timings_json.string()};
  if (!spec.disk.empty()) argv.insert(argv.end(), {"--disk", spec.disk.string()});
  return argv;
}

// microvm as QEMU's documentation (docs/system/i386/microvm.rst) sets it up for a direct kernel
// boot, with its defaults otherwise: ACPI stays on, because this Debian kernel finds the
// virtio-mmio devices and powers off through ACPI (it lacks CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES),
// and the legacy PIC, PIT and RTC stay too (a stock kernel calibrates its timers with them).
// -no-reboot turns the panic=-1 reboot into an exit, so a failed boot ends the run. A disk is a
// virtio-blk device on microvm's virtio-mmio bus, like minivmm's, with QEMU's default cache mode
// (writeback: the image goes through the host's page cache, flushes reach the file with fsync).
// A netdev (a tap the caller made, or QEMU's user-mode network) backs a virtio-net NIC on the same bus.
std::vector<std::string> qemu_microvm_argv(const BootSpec& spec) {
  std::vector<std::string> argv{"qemu-system-x86_64", "-M", "microvm,accel=kvm", "-cpu", "host", "-m",
                                mib(spec.mem_bytes) + "M", "-smp", "1", "-nodefaults", "-no-user-config", "-nographic",
                                "-serial", "stdio", "-no-reboot", "-kernel", spec.kernel.string(), "-initrd",
                                spec.initrd.string(), "-append", spec.cmdline};
  if (!spec.netdev.empty()) argv.insert(argv.end(), {"-netdev", spec.netdev, "-device", "virtio-net-device,netdev=net0"});
  if (spec.disk.empty()) return argv;
  std::string file;  // a comma inside an option value is written twice
  for (char c : spec.disk.string()) file += c == ',' ? std::string(",,") : std::string(1, c);
  argv.insert(argv.end(), {"-drive", "id=disk0,file=" + file + ",format=raw,if=none", "-device",
                           "virtio-blk-device,drive=disk0"});
  return argv;
}

// A plain KVM domain as virt-install would make it for a direct kernel boot (q35, host CPU),
// minus what a serial-only guest does not use: no USB controller, no memory balloon.
std::string libvirt_domain_xml(const std::string& name, const BootSpec& spec,
                               const std::filesystem::path& console_log) {
  std::ostringstream xml;
  xml << "<domain type='kvm'>\n"
      << "  <name>" << xml_escape(name) << "</name>\n"
      << "  <memory unit='MiB'>" << mib(spec.mem_bytes) << "</memory>\n"
      << "  <vcpu>1</vcpu>\n"
      << "  <os>\n"
      << "    <type arch='x86_64' machine='q35'>hvm</type>\n"
      << "    <kernel>" << xml_escape(spec.kernel.string()) << "</kernel>\n"
      << "    <initrd>" << xml_escape(spec.initrd.string()) << "</initrd>\n"
      << "    <cmdline>" << xml_escape(spec.cmdline) << "</cmdline>\n"
      << "  </os>\n"
      << "  <features><acpi/></features>\n"
      << "  <cpu mode='host-passthrough'/>\n"
      << "  <on_poweroff>destroy</on_poweroff>\n"
      << "  <on_reboot>destroy</on_reboot>\n"
      << "  <on_crash>destroy</on_crash>\n"
      << "  <devices>\n"
      << "    <serial type='file'>\n"
      << "      <source path='" << xml_escape(console_log.string()) << "'/>\n"
      << "      <target port='0'/>\n"
      << "    </serial>\n"
      << "    <controller type='usb' model='none'/>\n"
      << "    <memballoon model='none'/>\n"
      << "  </devices>\n"
      << "</domain>\n";
  return xml.str();
}

std::uint64_t parse_mem_size(const std::string& text) {
  std::size_t used = 0;
  unsigned long long number = 0;
  try {
    number = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string suffix = text.substr(used);
  std::uint64_t shift = suffix == "M" ? 20 : suffix == "G" ? 30 : 0;
  if (used == 0 || shift == 0 || number == 0) {
    throw std::invalid_argument("memory size '" + text + "': expected a number with M or G, e.g. 256M");
  }
  return static_cast<std::uint64_t>(number) << shift;
}

}  // namespace deploylab::bench
