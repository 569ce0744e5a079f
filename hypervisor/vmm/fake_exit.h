// hypervisor/vmm/fake_exit.h: made-up VM exits for tests of exit_handler.h, with no /dev/kvm. A
// FakeRun is a page laid out like the kvm_run area KVM shares with us: the struct at the start, and
// the data of port I/O after it (kvm_run::io.data_offset points there, as KVM's does).
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace deploylab::hv {

class FakeRun {
 public:
  static constexpr std::size_t kSize = 4096;
  static constexpr std::uint64_t kDataOffset = 3072;  // past the end of struct kvm_run (2352 bytes)

  static_assert(sizeof(kvm_run) <= kDataOffset, "the port data must not overlap struct kvm_run");

  FakeRun() { std::memset(page_, 0, sizeof page_); }
  kvm_run& run() { return *reinterpret_cast<kvm_run*>(page_); }
  std::uint8_t* data() { return page_ + kDataOffset; }

  // OUT of `bytes` to `port`, `size` bytes per element (count = bytes.size() / size).
  kvm_run& port_write(std::uint16_t port, const std::vector<std::uint8_t>& bytes, std::uint8_t size = 1) {
    set_io(KVM_EXIT_IO_OUT, port, size, static_cast<std::uint32_t>(bytes.size() / size));
    std::memcpy(data(), bytes.data(), bytes.size());
    return run();
  }
  kvm_run& port_write(std::uint16_t port, const std::string& text) {
    return port_write(port, std::vector<std::uint8_t>(text.begin(), text.end()));
  }
  // IN of `count` elements of `size` bytes from `port`; the data area starts as 0xaa bytes.
  kvm_run& port_read(std::uint16_t port, std::uint8_t size = 1, std::uint32_t count = 1) {
    set_io(KVM_EXIT_IO_IN, port, size, count);
    std::memset(data(), 0xaa, std::size_t{size} * count);
    return run();
  }
  kvm_run& mmio(std::uint64_t address, bool is_write, std::uint32_t value = 0, std::uint32_t len = 4) {
    run().exit_reason = KVM_EXIT_MMIO;
    run().mmio.phys_addr = address;
    run().mmio.is_write = is_write;
    run().mmio.len = len;
    std::memset(run().mmio.data, is_write ? 0 : 0xaa, sizeof run().mmio.data);
    if (is_write) std::memcpy(run().mmio.data, &value, std::min<std::size_t>(len, sizeof value));
    return run();
  }
  kvm_run& reason(std::uint32_t exit_reason) {
    run().exit_reason = exit_reason;
    return run();
  }
  // Makes the registers "synced" (KVM_CAP_SYNC_REGS), as minivmm's loop asks KVM to.
  kvm_regs& sync_registers() {
    run().kvm_valid_regs = KVM_SYNC_X86_REGS;
    return run().s.regs.regs;
  }

 private:
  void set_io(std::uint8_t direction, std::uint16_t port, std::uint8_t size, std::uint32_t count) {
    run().exit_reason = KVM_EXIT_IO;
    run().io.direction = direction;
    run().io.port = port;
    run().io.size = size;
    run().io.count = count;
    run().io.data_offset = kDataOffset;
  }
  alignas(4096) std::uint8_t page_[kSize];
};

}  // namespace deploylab::hv
