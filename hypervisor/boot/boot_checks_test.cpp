// hypervisor/boot/boot_checks_test.cpp: the checks of boot/ that do not depend on lab 03's work:
// the real-mode registers labs 01-02 already use, the mode names, and the argument checks that
// build_identity_map() makes before it writes anything. They pass in the student kit as it comes,
// so they are not graded: they run in the ungraded boot_unit_tests (label hypervisor), while the
// graded tests of boot/ (gdt_test.cpp, page_tables_test.cpp, cpu_mode_test.cpp) are compiled
// into lab03_tests (labs/03-long-mode/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hypervisor/boot/cpu_mode.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/reset_state.h"
#include "hypervisor/boot/x86.h"
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;
constexpr std::uint64_t kMiB = 1ull << 20;

// The real-mode part of the checks KVM_SET_SREGS makes (cpu_mode_test.cpp has all of them).
std::string kvm_would_reject(const kvm_sregs& s) {
  if ((s.cr0 & kCr0PG) && !(s.cr0 & kCr0PE)) return "CR0.PG without CR0.PE";
  if (s.efer & kEferLMA) return "EFER.LMA outside long mode";
  if (s.cs.l) return "CS.L outside long mode";
  return "";
}

GuestMemory low_ram(std::uint64_t size = kMiB) {
  GuestMemory memory;
  memory.add_region(0, size).value();
  return memory;
}

std::string error_of(const Result<std::uint64_t>& result) {
  return result.ok() ? "(no error: returned " + hex(result.value()) + ")"
                     : result.error().message();
}

#define EXPECT_MESSAGE_HAS(message, text)            \
  EXPECT_NE((message).find(text), std::string::npos) \
      << "expected \"" << (text) << "\" in: " << (message)

TEST(BootChecks, ResetStateIsRealMode) {
  EXPECT_EQ(mode_of(reset_sregs()), CpuMode::real);
  EXPECT_EQ(kvm_would_reject(reset_sregs()), "");
}

TEST(BootChecks, RealModePutsEverySegmentAtZero) {
  const kvm_sregs sregs = real_mode_sregs(reset_sregs());
  for (const kvm_segment* segment :
       {&sregs.cs, &sregs.ds, &sregs.es, &sregs.fs, &sregs.gs, &sregs.ss}) {
    EXPECT_EQ(segment->base, 0u) << "every segment must start at 0, got " << hex(segment->base);
    EXPECT_EQ(segment->selector, 0);
    EXPECT_EQ(segment->limit, 0xffffu);
    EXPECT_EQ(segment->present, 1);
  }
  EXPECT_EQ(sregs.cs.type, 0xb) << "CS must hold a code segment";
  EXPECT_EQ(mode_of(sregs), CpuMode::real);
  EXPECT_EQ(sregs.apic_base, reset_sregs().apic_base) << "unrelated state must be kept";
  EXPECT_EQ(kvm_would_reject(sregs), "");
}

TEST(BootChecks, DescribeModeNamesEachMode) {
  EXPECT_EQ(describe_mode(CpuMode::real), "real mode");
  EXPECT_EQ(describe_mode(CpuMode::protected32), "32-bit protected mode");
  EXPECT_EQ(describe_mode(CpuMode::long64), "64-bit long mode");
}

TEST(BootChecksIdentityMap, RejectsAnUnalignedTableAddress) {
  GuestMemory memory = low_ram();
  const std::string message = error_of(build_identity_map(memory, 0x2008, 4 * kGiB));
  EXPECT_MESSAGE_HAS(message, "4 KiB boundary");
  EXPECT_MESSAGE_HAS(message, "0x2008");
}

TEST(BootChecksIdentityMap, RejectsSizesThatAreNotWhole2MiBPages) {
  GuestMemory memory = low_ram();
  const std::uint64_t bad_sizes[] = {0, 4096, 3 * kMiB, 4 * kGiB + 4096};
  for (std::uint64_t bytes : bad_sizes) {
    const std::string message = error_of(build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, bytes));
    EXPECT_MESSAGE_HAS(message, "multiple of 2 MiB");
    EXPECT_MESSAGE_HAS(message, hex(bytes));
  }
}

TEST(BootChecksIdentityMap, RejectsMoreThan512GiB) {
  GuestMemory memory = low_ram(4 * kMiB);
  const std::string message = error_of(build_identity_map(memory, 0x1000, 512 * kGiB + 2 * kMiB));
  EXPECT_MESSAGE_HAS(message, "over 512 GiB");
}

TEST(BootChecksIdentityMap, RejectsTablesThatDoNotFitInGuestRam) {
  GuestMemory memory = low_ram(0x4000);  // 16 KiB: the 6 pages at 0x2000 would end at 0x8000
  auto ram = memory.slice(0, 0x4000).value();
  std::fill(ram.begin(), ram.end(), std::uint8_t{0xaa});
  const std::string message =
      error_of(build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB));
  EXPECT_MESSAGE_HAS(message, "do not fit in guest RAM");
  EXPECT_MESSAGE_HAS(message, "6 pages at [0x2000, 0x8000)");
  EXPECT_TRUE(std::all_of(ram.begin(), ram.end(), [](std::uint8_t b) { return b == 0xaa; }))
      << "a failed build must not write half a table";
}

}  // namespace
}  // namespace deploylab::hv
