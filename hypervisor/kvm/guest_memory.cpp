// hypervisor/kvm/guest_memory.cpp: guest RAM regions and GPA-to-host translation (see
// guest_memory.h).
#include "hypervisor/kvm/guest_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace deploylab::hv {

namespace {

bool page_aligned(std::uint64_t value) {
  return value % static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) == 0;
}

std::string range_text(std::uint64_t address, std::uint64_t length) {
  return "[" + hex(address) + ", " + hex(address + length) + ")";
}

}  // namespace

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%#llx", static_cast<unsigned long long>(value));
  return value == 0 ? "0x0" : text;
}

Result<void> GuestMemory::add_region(std::uint64_t guest_address, std::uint64_t size) {
  std::string object = "guest RAM " + range_text(guest_address, size);
  if (size == 0 || !page_aligned(guest_address) || !page_aligned(size)) {
    return Error::invalid("address and size must be non-zero multiples of the page size", object,
                          "KVM maps guest memory in whole pages");
  }
  for (const auto& region : regions_) {
    if (guest_address < region.end() && region.guest_address < guest_address + size) {
      return Error::invalid("overlaps " + range_text(region.guest_address, region.host.size()),
                            object, "each guest-physical address can belong to one region only");
    }
  }
  Mapping host = DL_TRY(Mapping::anonymous(size).context("allocating " + object));
  // A child the VMM forks (a helper program) must not get a copy of the guest's RAM. The flag also
  // keeps the kernel from merging this mapping with a neighbour, so /proc/self/smaps shows guest RAM
  // as one mapping of exactly its size (what `minivmm boot --timings` and bench/boot measure by).
  if (::madvise(host.data(), size, MADV_DONTFORK) != 0) {
    return Error::os("madvise(MADV_DONTFORK)", object, errno);
  }
  regions_.push_back(MemoryRegion{guest_address, std::move(host)});
  return {};
}

std::uint64_t GuestMemory::total_size() const {
  std::uint64_t total = 0;
  for (const auto& region : regions_) total += region.host.size();
  return total;
}

const MemoryRegion* GuestMemory::find(std::uint64_t address) const {
  auto it = std::find_if(regions_.begin(), regions_.end(), [&](const MemoryRegion& region) {
    return address >= region.guest_address && address < region.end();
  });
  return it == regions_.end() ? nullptr : &*it;
}

bool GuestMemory::contains(std::uint64_t address, std::uint64_t length) const {
  const MemoryRegion* region = find(address);
  if (region == nullptr) return false;
  // Written so that address + length cannot overflow.
  return length <= region->end() - address;
}

Result<std::span<std::uint8_t>> GuestMemory::slice(std::uint64_t address, std::uint64_t length) const {
  if (!contains(address, length)) {
    return Error::invalid("not guest RAM", "guest-physical " + range_text(address, length),
                          "the guest has RAM at " + describe_regions());
  }
  const MemoryRegion* region = find(address);
  return std::span<std::uint8_t>(region->host.bytes() + (address - region->guest_address), length);
}

Result<void> GuestMemory::write(std::uint64_t address, std::span<const std::uint8_t> bytes) const {
  auto target = DL_TRY(slice(address, bytes.size()));
  std::copy(bytes.begin(), bytes.end(), target.begin());
  return {};
}

Result<std::vector<std::uint8_t>> GuestMemory::read(std::uint64_t address, std::uint64_t length) const {
  auto source = DL_TRY(slice(address, length));
  return std::vector<std::uint8_t>(source.begin(), source.end());
}

Result<std::string> GuestMemory::read_string(std::uint64_t address, std::uint64_t max_length) const {
  std::string text;
  for (std::uint64_t i = 0; i < max_length; ++i) {
    auto byte = DL_TRY(read_value<char>(address + i));
    if (byte == '\0') return text;
    text.push_back(byte);
  }
  return text;
}

std::string GuestMemory::describe_regions() const {
  if (regions_.empty()) return "no addresses (no region was added)";
  std::string text;
  for (const auto& region : regions_) {
    if (!text.empty()) text += " and ";
    text += range_text(region.guest_address, region.host.size());
  }
  return text;
}

}  // namespace deploylab::hv
