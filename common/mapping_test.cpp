// common/mapping_test.cpp: Mapping maps zeroed memory and unmaps it once.
#include "common/mapping.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace deploylab {
namespace {

// True if `addr` lies in some mapping of this process (/proc/self/maps).
bool is_mapped(const void* addr) {
  auto target = reinterpret_cast<std::uintptr_t>(addr);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::uintptr_t start = 0, end = 0;
    char dash;
    std::istringstream(line) >> std::hex >> start >> dash >> end;
    if (target >= start && target < end) return true;
  }
  return false;
}

TEST(Mapping, AnonymousMemoryIsZeroedAndWritable) {
  auto m = Mapping::anonymous(1 << 20).value();
  ASSERT_EQ(m.size(), 1u << 20);
  EXPECT_EQ(m.bytes()[12345], 0);
  m.bytes()[12345] = 0xab;
  EXPECT_EQ(m.span()[12345], 0xab);
}

TEST(Mapping, UnmapsWhenDestroyed) {
  void* addr;
  {
    auto m = Mapping::anonymous(64 << 20).value();
    addr = m.data();
    EXPECT_TRUE(is_mapped(addr));
  }
  EXPECT_FALSE(is_mapped(addr));
}

TEST(Mapping, MoveLeavesTheSourceEmpty) {
  auto a = Mapping::anonymous(4096).value();
  void* addr = a.data();
  Mapping b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT: checking the moved-from state is the point
  EXPECT_EQ(b.data(), addr);
}

TEST(Mapping, ImpossibleSizeIsAnErrorNamingTheSize) {
  auto m = Mapping::anonymous(std::size_t{1} << 62);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().op, "mmap");
  EXPECT_NE(m.error().message().find("4611686018427387904 bytes"), std::string::npos) << m.error().message();
}

}  // namespace
}  // namespace deploylab
