// hypervisor/boot/boot_params.cpp: planning a Linux guest's memory and building its zero page
// (see boot_params.h).
#include "hypervisor/boot/boot_params.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/kvm/guest_memory.h"  // hex()

namespace deploylab::hv {

namespace sh = setup_header;
namespace zp = zero_page;
namespace layout = linux_layout;

namespace {

constexpr std::uint64_t kPage = 4096;

std::string mib(std::uint64_t bytes) {
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

template <class T>
void put(std::array<std::uint8_t, zp::kSize>& page, std::size_t offset, T value) {
  std::memcpy(page.data() + offset, &value, sizeof(T));
}

Result<void> check_cmdline(const BzImage& kernel, std::string_view cmdline) {
  if (cmdline.find('\0') != std::string_view::npos) {
    return Error::invalid("the command line contains a NUL byte", "--cmdline", "remove it");
  }
  if (cmdline.size() > kernel.cmdline_size) {
    return Error::invalid("the command line is " + std::to_string(cmdline.size()) + " bytes; this kernel's cmdline_size "
                          "allows at most " + std::to_string(kernel.cmdline_size), "--cmdline",
                          "shorten it (the kernel would cut it off silently)");
  }
  if (cmdline.size() >= layout::kCommandLineMax) {
    return Error::invalid("the command line is " + std::to_string(cmdline.size()) + " bytes; minivmm keeps at most " +
                          std::to_string(layout::kCommandLineMax - 1), "--cmdline", "shorten it");
  }
  return {};
}

}  // namespace

std::vector<E820Entry> e820_map(std::uint64_t ram_size) {
  using Type = E820Entry::Type;
  return {
      {0, layout::kReservedStart, Type::ram},
      {layout::kReservedStart, layout::kHighMemory - layout::kReservedStart, Type::reserved},
      {layout::kHighMemory, ram_size - layout::kHighMemory, Type::ram},
  };
}

Result<LinuxBootPlan> plan_linux_boot(const BzImage& kernel, std::uint64_t ram_size, std::uint64_t initrd_size,
                                      std::string_view cmdline) {
  if (ram_size > layout::kMaxRam) {
    return Error::invalid("asked for " + mib(ram_size) + " of guest RAM; minivmm gives Linux guests at most " +
                          mib(layout::kMaxRam), "--mem", "give 3G or less (the devices live above)");
  }
  DL_TRY(check_cmdline(kernel, cmdline));
  LinuxBootPlan plan;
  plan.ram_size = ram_size;
  plan.kernel_address = layout::kKernelLoad;
  plan.kernel_size = kernel.protected_mode.size();
  plan.kernel_needs_end = std::max(kernel.memory_needed(layout::kKernelLoad), plan.kernel_address + plan.kernel_size);
  plan.cmdline = std::string(cmdline);
  plan.cmdline_address = layout::kCommandLine;
  plan.zero_page_address = layout::kZeroPage;
  plan.entry = layout::kKernelLoad + sh::kEntry64Offset;
  const std::uint64_t needed = plan.kernel_needs_end + (initrd_size + kPage - 1) / kPage * kPage + kRamHeadroom;
  if (ram_size < needed) {
    return Error::invalid("--mem " + mib(ram_size) + " is too small: the kernel needs RAM up to " +
                          hex(plan.kernel_needs_end) + " (pref_address + init_size), the initramfs " + mib(initrd_size) +
                          " and the kernel " + mib(kRamHeadroom) + " to run in, " + mib(needed) + " in all",
                          "--mem", "give --mem " + std::to_string((needed + (1 << 20) - 1) >> 20) + "M or more, e.g. 256M");
  }
  if (initrd_size == 0) return plan;
  // The initramfs's last byte must be at or below initrd_addr_max (and in RAM).
  const std::uint64_t top = std::min<std::uint64_t>(ram_size, std::uint64_t{kernel.initrd_addr_max} + 1);
  const std::uint64_t address = top >= initrd_size ? (top - initrd_size) / kPage * kPage : 0;
  if (address < plan.kernel_needs_end) {
    return Error::invalid("the initramfs (" + mib(initrd_size) + ") does not fit between the kernel's memory (up to " +
                          hex(plan.kernel_needs_end) + ") and " + hex(top) + " (the top of RAM or initrd_addr_max " +
                          hex(kernel.initrd_addr_max) + ")", "--initrd", "give more --mem or a smaller initramfs");
  }
  plan.initrd_address = address;
  plan.initrd_size = initrd_size;
  return plan;
}

std::array<std::uint8_t, zp::kSize> build_zero_page(const BzImage& kernel, const LinuxBootPlan& plan) {
  std::array<std::uint8_t, zp::kSize> page{};
  // BEGIN SOLUTION lab 4: fill the zero page: the setup header, what the loader tells the kernel, the e820 map
  // Only the setup header: bytes 0x1f1 up to its end, at the same offsets as in the file.
  std::copy(kernel.setup_header.begin(), kernel.setup_header.end(), page.begin() + sh::kStart);
  put<std::uint8_t>(page, sh::kTypeOfLoader, zp::kLoaderUnknown);
  put<std::uint8_t>(page, sh::kLoadFlags, kernel.loadflags | sh::kCanUseHeap);
  put<std::uint16_t>(page, sh::kHeapEndPtr, zp::kHeapEnd);
  put<std::uint32_t>(page, sh::kCmdLinePtr, static_cast<std::uint32_t>(plan.cmdline_address));
  put<std::uint32_t>(page, zp::kExtCmdLinePtr, static_cast<std::uint32_t>(plan.cmdline_address >> 32));
  put<std::uint32_t>(page, sh::kRamdiskImage, static_cast<std::uint32_t>(plan.initrd_address));
  put<std::uint32_t>(page, zp::kExtRamdiskImage, static_cast<std::uint32_t>(plan.initrd_address >> 32));
  put<std::uint32_t>(page, sh::kRamdiskSize, static_cast<std::uint32_t>(plan.initrd_size));
  put<std::uint32_t>(page, zp::kExtRamdiskSize, static_cast<std::uint32_t>(plan.initrd_size >> 32));
  const auto map = e820_map(plan.ram_size);
  put<std::uint8_t>(page, zp::kE820Entries, static_cast<std::uint8_t>(map.size()));
  for (std::size_t i = 0; i < map.size(); ++i) {
    const std::size_t at = zp::kE820Table + i * zp::kE820EntrySize;
    put<std::uint64_t>(page, at, map[i].address);
    put<std::uint64_t>(page, at + 8, map[i].size);
    put<std::uint32_t>(page, at + 16, static_cast<std::uint32_t>(map[i].type));
  }
  // END SOLUTION
  put<std::uint64_t>(page, zp::kAcpiRsdpAddr, plan.acpi_rsdp_address);
  return page;
}

}  // namespace deploylab::hv
