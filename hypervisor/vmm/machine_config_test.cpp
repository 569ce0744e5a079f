// hypervisor/vmm/machine_config_test.cpp: the pure parts of Machine's configuration: `--memory`
// sizes (suffixes, whole pages, the 64K..3G range, and text that is no size at all) and where a
// guest image is loaded in each CPU mode. Machine itself needs /dev/kvm: tests/hypervisor/ runs it.
#include <gtest/gtest.h>

#include "hypervisor/guests/abi.h"
#include "hypervisor/vmm/machine.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;

TEST(ParseMemorySize, AcceptsBytesAndKMGSuffixes) {
  EXPECT_EQ(parse_memory_size("2M").value(), 2 * MiB);
  EXPECT_EQ(parse_memory_size("512K").value(), 512 * KiB);
  EXPECT_EQ(parse_memory_size("1G").value(), 1 * GiB);
  EXPECT_EQ(parse_memory_size("65536").value(), 64 * KiB) << "a plain number is bytes";
  EXPECT_EQ(parse_memory_size("0002M").value(), 2 * MiB) << "leading zeros are still a number";
}

TEST(ParseMemorySize, AcceptsTheEdgesOfTheRange) {
  EXPECT_EQ(parse_memory_size("64K").value(), 64 * KiB);
  EXPECT_EQ(parse_memory_size("3G").value(), 3 * GiB);
  EXPECT_EQ(parse_memory_size("3072M").value(), 3 * GiB);
}

TEST(ParseMemorySize, RejectsTextThatIsNoSize) {
  for (const char* text : {"", "M", "2MB", "2 M", " 2M", "-1M", "1.5G", "0x1000", "two", "1234567890123"}) {
    auto size = parse_memory_size(text);
    ASSERT_FALSE(size.ok()) << "`" << text << "` must be refused, got " << size.value();
    EXPECT_NE(size.error().message().find("not a memory size"), std::string::npos) << text << ": " << size.error().message();
    if (*text == '\0') continue;  // nothing to quote
    EXPECT_NE(size.error().message().find("`" + std::string(text) + "`"), std::string::npos)
        << "the error must quote what was given: " << size.error().message();
  }
}

TEST(ParseMemorySize, RejectsUnknownSuffixes) {
  for (const char* text : {"12Q", "2m", "2k", "1T", "2B"}) {
    auto size = parse_memory_size(text);
    ASSERT_FALSE(size.ok()) << "`" << text << "` must be refused, got " << size.value();
    EXPECT_NE(size.error().message().find("unknown memory size suffix"), std::string::npos) << text << ": " << size.error().message();
  }
}

TEST(ParseMemorySize, RejectsSizesOutsideWholePagesFrom64KTo3G) {
  for (const char* text : {"0", "4096", "60K", "4097", "65537", "3073M", "4G", "999G"}) {
    auto size = parse_memory_size(text);
    ASSERT_FALSE(size.ok()) << "`" << text << "` must be refused, got " << size.value();
    EXPECT_NE(size.error().message().find("out of range"), std::string::npos) << text << ": " << size.error().message();
  }
}

TEST(ParseMemorySize, HugeNumbersDoNotWrapAroundIntoTheRange) {
  // 17179869185 = 2^34 + 1; shifted by 30 for G it is 2^64 + 2^30, which wraps to exactly 1 GiB
  // in 64 bits. A size that large must be "out of range", never a silent 1G.
  for (const char* text : {"17179869185G", "17179869186G", "34359738369G"}) {
    auto size = parse_memory_size(text);
    EXPECT_FALSE(size.ok()) << "`" << text << "` is far above 3G but was accepted as " << size.value() << " bytes";
  }
}

TEST(LoadAddress, RealAndProtectedModeLoadLowLongModeAt1MiB) {
  EXPECT_EQ(load_address(CpuMode::real), std::uint64_t{DL_REAL_MODE_LOAD_ADDRESS});
  EXPECT_EQ(load_address(CpuMode::real), 0x8000u);
  EXPECT_EQ(load_address(CpuMode::protected32), 0x8000u) << "protected32 is built like the real-mode guests";
  EXPECT_EQ(load_address(CpuMode::long64), std::uint64_t{DL_LONG_MODE_LOAD_ADDRESS});
  EXPECT_EQ(load_address(CpuMode::long64), 0x100000u);
}

TEST(MachineReport, ExitCodesFollowTimeout1) {
  MachineReport report;
  EXPECT_EQ(report.process_exit_code(), 0) << "every vCPU halted";
  report.end = MachineReport::End::guest_exit;
  report.exit_code = 7;
  EXPECT_EQ(report.process_exit_code(), 7) << "the guest's own exit code";
  report.end = MachineReport::End::error;
  EXPECT_EQ(report.process_exit_code(), 1);
  report.end = MachineReport::End::timeout;
  EXPECT_EQ(report.process_exit_code(), 124) << "like timeout(1)";
  EXPECT_EQ(to_string(MachineReport::End::guest_exit), "guest exit");
}

}  // namespace
}  // namespace deploylab::hv
