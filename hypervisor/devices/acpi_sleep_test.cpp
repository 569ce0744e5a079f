// hypervisor/devices/acpi_sleep_test.cpp: the power-off register stops the VM on S5 and on
// nothing else.
#include "hypervisor/devices/acpi_sleep.h"

#include <gtest/gtest.h>

namespace deploylab::hv {
namespace {

std::optional<StopRequest> write(AcpiSleepControl& device, std::uint16_t port, std::uint8_t value) {
  IoAccess access{Space::port, AccessKind::write, port, std::span<std::uint8_t>(&value, 1)};
  return device.access(access);
}

TEST(AcpiSleepControl, SoftOffWithSleepEnableStopsTheVm) {
  AcpiSleepControl device(0x600, 5);
  auto stop = write(device, 0x600, (5 << 2) | 0x20);  // what Linux's acpi_power_off() writes: 0x34
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->kind, StopRequest::Kind::guest_exit);
  EXPECT_EQ(stop->exit_code, 0);
}

TEST(AcpiSleepControl, OtherWritesDoNothing) {
  AcpiSleepControl device(0x600, 5);
  EXPECT_FALSE(write(device, 0x600, 5 << 2)) << "SLP_TYP without SLP_EN only prepares";
  EXPECT_FALSE(write(device, 0x600, (3 << 2) | 0x20)) << "S3 is not offered";
  EXPECT_FALSE(write(device, 0x601, 0x80)) << "clearing WAK_STS in the status register";
}

TEST(AcpiSleepControl, StatusReadsZero) {
  AcpiSleepControl device(0x600, 5);
  std::uint8_t value = 0xff;
  IoAccess access{Space::port, AccessKind::read, 0x601, std::span<std::uint8_t>(&value, 1)};
  EXPECT_FALSE(device.access(access));
  EXPECT_EQ(value, 0) << "WAK_STS clear: the machine never comes back from S5";
}

}  // namespace
}  // namespace deploylab::hv
