// hypervisor/guests/guest_images_test.cpp: host-side checks of the guest images that
// cmake/DeploylabGuests.cmake builds into DEPLOYLAB_GUEST_DIR. No KVM here: only that every
// image exists, is not empty, fits where minivmm loads it, and that the hypercall guests carry the
// instruction they were built for. What the guests do when they run is tested with minivmm.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {
namespace {

enum class LoadedAt { kRealModeAddress, kLongModeAddress };

struct GuestImage {
  std::string name;
  LoadedAt loaded_at;
};

std::filesystem::path image_path(const std::string& name) {
  return std::filesystem::path(DEPLOYLAB_GUEST_DIR) / (name + ".bin");
}

std::string read_image(const std::string& name) {
  auto contents = read_file(image_path(name));
  if (!contents.ok()) {
    ADD_FAILURE() << contents.error().message() << " (the deploylab_guests target builds it)";
    return {};
  }
  return std::move(contents).value();
}

// Real-mode images must end below the device hole; long-mode ones are loaded at 1 MiB and we keep
// them under 1 MiB so they stay far from the vCPU stacks at the top of high RAM.
std::uint64_t room_for(LoadedAt loaded_at) {
  if (loaded_at == LoadedAt::kRealModeAddress) return DL_LOW_RAM_SIZE - DL_REAL_MODE_LOAD_ADDRESS;
  return 1024 * 1024;
}

std::vector<GuestImage> all_guests() {
  std::vector<GuestImage> guests;
  for (const char* name : {"hello", "exits", "port_hypercalls", "triple_fault", "spin", "unmapped",
                           "bench_port", "bench_mmio", "protected32"}) {
    guests.push_back({name, LoadedAt::kRealModeAddress});
  }
  for (const char* base : {"hypercall_unknown", "map_gpa_range", "bench_hypercall"}) {
    guests.push_back({std::string(base) + "_vmmcall", LoadedAt::kRealModeAddress});
    guests.push_back({std::string(base) + "_vmcall", LoadedAt::kRealModeAddress});
  }
  for (const char* name : {"hello64", "vcpus", "segments64", "fault64", "time64"}) {
    guests.push_back({name, LoadedAt::kLongModeAddress});
  }
  return guests;
}

class GuestImageTest : public testing::TestWithParam<GuestImage> {};

TEST_P(GuestImageTest, ExistsAndFitsWhereItIsLoaded) {
  const GuestImage& guest = GetParam();
  std::string image = read_image(guest.name);
  ASSERT_FALSE(image.empty()) << image_path(guest.name) << " is empty or missing";
  EXPECT_LE(image.size(), room_for(guest.loaded_at))
      << image_path(guest.name) << " is " << image.size()
      << " bytes, more than fits at its load address";
}

INSTANTIATE_TEST_SUITE_P(AllGuests, GuestImageTest, testing::ValuesIn(all_guests()),
                         [](const testing::TestParamInfo<GuestImage>& info) {
                           return info.param.name;
                         });

const std::string kVmmcall = "\x0f\x01\xd9";  // AMD
const std::string kVmcall = "\x0f\x01\xc1";   // Intel

// hypercall_unknown.S promises its instruction at offset 0x10, where a test reads it back from
// guest memory after the run to see whether KVM patched it.
constexpr std::size_t kHypercallOffset = 0x10;

TEST(HypercallGuests, UnknownHypercallSitsAtOffset0x10) {
  for (const auto& [name, expected] : {std::pair{"hypercall_unknown_vmmcall", kVmmcall},
                                       std::pair{"hypercall_unknown_vmcall", kVmcall}}) {
    std::string image = read_image(name);
    ASSERT_GE(image.size(), kHypercallOffset + 3) << name << ".bin is too short";
    EXPECT_EQ(image.substr(kHypercallOffset, 3), expected)
        << name << ".bin: expected the hypercall instruction at offset 0x10";
  }
}

TEST(HypercallGuests, EachImageHasItsVendorsInstructionOnly) {
  for (const char* base : {"hypercall_unknown", "map_gpa_range", "bench_hypercall"}) {
    std::string vmmcall = read_image(std::string(base) + "_vmmcall");
    std::string vmcall = read_image(std::string(base) + "_vmcall");
    EXPECT_NE(vmmcall.find(kVmmcall), std::string::npos) << base << "_vmmcall.bin has no VMMCALL";
    EXPECT_EQ(vmmcall.find(kVmcall), std::string::npos) << base << "_vmmcall.bin has a VMCALL";
    EXPECT_NE(vmcall.find(kVmcall), std::string::npos) << base << "_vmcall.bin has no VMCALL";
    EXPECT_EQ(vmcall.find(kVmmcall), std::string::npos) << base << "_vmcall.bin has a VMMCALL";
  }
}

}  // namespace
}  // namespace deploylab::hv
