// hypervisor/devices/device_bus_test.cpp: lab 02's graded tests of the device bus: claims,
// dispatch to the right device, and counting what nobody claimed.
#include "hypervisor/devices/device_bus.h"

#include <gtest/gtest.h>

#include "hypervisor/devices/test_devices.h"

namespace deploylab::hv {
namespace {

// A device that remembers the addresses it was asked about.
class Recorder : public Device {
 public:
  explicit Recorder(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::optional<StopRequest> access(IoAccess& access) override {
    seen.push_back(access.address);
    return std::nullopt;
  }
  std::vector<std::uint64_t> seen;

 private:
  std::string name_;
};

IoAccess port_write_to(std::uint64_t port, std::uint8_t& byte) {
  return IoAccess{Space::port, AccessKind::write, port, std::span<std::uint8_t>(&byte, 1)};
}

TEST(DeviceBus, SendsEachAccessToTheDeviceThatClaimedIt) {
  DeviceBus bus;
  auto serial = std::make_shared<Recorder>("serial");
  auto rtc = std::make_shared<Recorder>("rtc");
  bus.claim(Space::port, 0x3f8, 8, serial).value();
  bus.claim(Space::port, 0x70, 2, rtc).value();
  std::uint8_t byte = 0;
  for (std::uint64_t port : {0x3f8, 0x3ff, 0x70, 0x71}) {
    IoAccess access = port_write_to(port, byte);
    EXPECT_TRUE(bus.dispatch(access).claimed) << "port " << port << " is claimed";
  }
  EXPECT_EQ(serial->seen, (std::vector<std::uint64_t>{0x3f8, 0x3ff})) << "first and last port of an 8-port claim";
  EXPECT_EQ(rtc->seen, (std::vector<std::uint64_t>{0x70, 0x71}));
}

TEST(DeviceBus, TheAddressAfterAClaimIsNotPartOfIt) {
  DeviceBus bus;
  auto serial = std::make_shared<Recorder>("serial");
  bus.claim(Space::port, 0x3f8, 8, serial).value();
  std::uint8_t byte = 0;
  IoAccess after = port_write_to(0x400, byte);
  IoAccess before = port_write_to(0x3f7, byte);
  EXPECT_FALSE(bus.dispatch(after).claimed) << "0x3f8 + 8 = 0x400 is outside the claim";
  EXPECT_FALSE(bus.dispatch(before).claimed);
  EXPECT_TRUE(serial->seen.empty());
}

TEST(DeviceBus, OverlappingClaimsAreRefusedNamingBothDevices) {
  DeviceBus bus;
  bus.claim(Space::port, 0x3f8, 8, std::make_shared<Recorder>("serial")).value();
  auto overlap = bus.claim(Space::port, 0x3fc, 2, std::make_shared<Recorder>("latecomer"));
  ASSERT_FALSE(overlap.ok()) << "0x3fc-0x3fd lies inside the serial port's claim";
  EXPECT_NE(overlap.error().message().find("serial"), std::string::npos) << overlap.error().message();
  EXPECT_NE(overlap.error().message().find("latecomer"), std::string::npos) << overlap.error().message();
}

TEST(DeviceBus, PortsAndMmioAreSeparateSpaces) {
  DeviceBus bus;
  auto port_device = std::make_shared<Recorder>("port device");
  bus.claim(Space::port, 0xa0, 1, port_device).value();
  EXPECT_TRUE(bus.claim(Space::mmio, 0xa0, 1, std::make_shared<Recorder>("mmio device")).ok())
      << "port 0xa0 and guest-physical 0xa0 are different addresses";
  std::uint8_t byte = 0;
  IoAccess mmio{Space::mmio, AccessKind::read, 0xa0, std::span<std::uint8_t>(&byte, 1)};
  bus.dispatch(mmio);
  EXPECT_TRUE(port_device->seen.empty()) << "an MMIO access must not reach a port device";
}

TEST(DeviceBus, UnclaimedAccessesAreCountedPerAddress) {
  DeviceBus bus;
  std::uint8_t byte = 0;
  for (int i = 0; i < 3; ++i) {
    IoAccess access = port_write_to(0x80, byte);
    bus.dispatch(access);
  }
  IoAccess other = port_write_to(0x61, byte);
  bus.dispatch(other);
  auto unclaimed = bus.unclaimed();
  ASSERT_EQ(unclaimed.size(), 2u) << "one entry per address";
  EXPECT_EQ(unclaimed[0].address, 0x61u) << "in address order";
  EXPECT_EQ(unclaimed[1].count, 3u) << "port 0x80 was written three times";
  EXPECT_EQ(bus.unclaimed_total(), 4u);
}

TEST(MmioTestDevice, ScratchReadsBackAndTheCounterCountsAccesses) {
  MmioTestDevice device(0xa0000);
  std::uint32_t value = 0xcafe;
  IoAccess write{Space::mmio, AccessKind::write, 0xa0000, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&value), 4)};
  device.access(write);
  std::uint32_t scratch = 0, counter = 0;
  IoAccess read{Space::mmio, AccessKind::read, 0xa0000, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&scratch), 4)};
  device.access(read);
  IoAccess count{Space::mmio, AccessKind::read, 0xa0004, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&counter), 4)};
  device.access(count);
  EXPECT_EQ(scratch, 0xcafeu) << "the scratch register (offset 0) returns the last value written";
  EXPECT_EQ(counter, 3u) << "the counter (offset 4) counts every access, this read included";
}

}  // namespace
}  // namespace deploylab::hv
