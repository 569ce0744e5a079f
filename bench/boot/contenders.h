// bench/boot/contenders.h: the command lines and the libvirt domain that boot the same kernel and
// initramfs under each contender of the boot benchmark (bench/boot/README.md). Pure: they build
// strings; boot_probe.h runs them.
//
//   minivmm   deploylab's own VMM (lab 04): `minivmm boot ... --timings-json FILE`
//   qemu      QEMU's microvm machine: no PCI, no firmware tables beyond what Linux needs, the
//             closest thing in QEMU to Firecracker; on the same KVM
//   libvirt   a transient libvirt domain: QEMU's q35 PC with its firmware (SeaBIOS), started by
//             libvirtd, which is how most people run a VM
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace deploylab::bench {

enum class Contender { minivmm, qemu, libvirt };

// "minivmm", "qemu", "libvirt": the names --only takes.
std::string to_string(Contender contender);
// The row label: "minivmm", "QEMU microvm", "libvirt (QEMU q35)".
std::string label(Contender contender);
// Parses --only's comma-separated list ("qemu,libvirt"); throws std::invalid_argument naming
// the word it does not know. Order and duplicates do not matter: the result is in the table's
// order (minivmm, qemu, libvirt), each once.
std::vector<Contender> parse_contenders(const std::string& list);

// What every contender boots: the same for all of them, so the rows compare.
struct BootSpec {
  std::filesystem::path kernel, initrd;
  std::uint64_t mem_bytes = 256ull << 20;
  std::string cmdline;
  std::filesystem::path disk;  // a raw disk image the guest sees as /dev/vda (virtio-blk); empty: none
  std::string netdev;          // QEMU only: a -netdev backend with id=net0 ("tap,id=net0,...",
                               // "user,id=net0") for a virtio-net NIC; empty: no network
};

// `minivmm boot` with its console on stdout and its own timings written to `timings_json`.
std::vector<std::string> minivmm_argv(const std::filesystem::path& minivmm, const BootSpec& spec,
                                      const std::filesystem::path& timings_json);

// qemu-system-x86_64 -M microvm on KVM, the console on stdout. See the .cpp for the options.
std::vector<std::string> qemu_microvm_argv(const BootSpec& spec);

// The transient domain `virsh create` starts: direct kernel boot of `spec`, the serial console
// into `console_log`, destroyed (not rebooted) when the guest powers off, reboots or panics.
std::string libvirt_domain_xml(const std::string& name, const BootSpec& spec,
                               const std::filesystem::path& console_log);

// "256M" or "1G" -> bytes; throws std::invalid_argument for anything else (no suffix, 0).
std::uint64_t parse_mem_size(const std::string& text);

}  // namespace deploylab::bench
