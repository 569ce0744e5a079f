// hypervisor/vmm/guest_image.cpp: reading and placing flat guest images (see guest_image.h).
#include "hypervisor/vmm/guest_image.h"

#include "common/file_io.h"

namespace deploylab::hv {

Result<std::vector<std::uint8_t>> read_guest_image(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes.ok()) {
    Error error = std::move(bytes).error();
    if (error.hint.empty()) error.hint = "give a flat binary, or the name of a built guest (ls build/guests)";
    return std::move(error).with_context("reading the guest image");
  }
  if (bytes.value().empty()) {
    return Error::invalid("empty guest image", path, "a guest needs at least one instruction; was it built? (cmake --build build)");
  }
  return std::vector<std::uint8_t>(bytes.value().begin(), bytes.value().end());
}

Result<void> load_flat_image(const GuestMemory& memory, std::uint64_t address, std::span<const std::uint8_t> image) {
  if (image.empty()) return Error::invalid("empty guest image", "", "give a file with code in it");
  if (!memory.contains(address, image.size())) {
    std::uint64_t room = 0;
    for (const auto& region : memory.regions()) {
      if (address >= region.guest_address && address < region.end()) room = region.end() - address;
    }
    return Error::invalid("the guest image is " + std::to_string(image.size()) + " bytes but only " +
                              std::to_string(room) + " bytes of RAM follow its load address " + hex(address),
                          "", "give the guest more memory (minivmm --memory) or make the image smaller");
  }
  return memory.write(address, image);
}

}  // namespace deploylab::hv
