// common/smaps_test.cpp: smaps parsing and the guest RAM split (common/smaps.h, which the
// boot benchmark and minivmm share), on made-up smaps.
#include "common/smaps.h"

#include <gtest/gtest.h>

namespace deploylab {
namespace {

// A VMM with a binary, a heap, 256 MiB of guest RAM (40 MiB touched), a guard page and a
// 256 KiB BIOS block.
const char* kSmaps =
    "55d0c0000000-55d0c0400000 r-xp 00000000 08:01 1234                       /usr/bin/qemu-system-x86_64\n"
    "Size:               4096 kB\n"
    "Rss:                3000 kB\n"
    "Shared_Clean:       2800 kB\n"
    "Private_Clean:       200 kB\n"
    "VmFlags: rd ex mr mw me\n"
    "55d0c1000000-55d0c1800000 rw-p 00000000 00:00 0                          [heap]\n"
    "Size:               8192 kB\n"
    "Rss:                6000 kB\n"
    "Private_Dirty:      6000 kB\n"
    "7f0000000000-7f0010000000 rw-p 00000000 00:00 0 \n"
    "Size:             262144 kB\n"
    "KernelPageSize:        4 kB\n"
    "Rss:               40960 kB\n"
    "Private_Dirty:     40960 kB\n"
    "7f0010000000-7f0010001000 ---p 00000000 00:00 0 \n"
    "Size:                  4 kB\n"
    "Rss:                   0 kB\n"
    "7f0020000000-7f0020040000 rw-p 00000000 00:00 0 \n"
    "Size:                256 kB\n"
    "Rss:                 256 kB\n";

TEST(ParseSmaps, ReadsEveryMappingWithSizeRssAndPath) {
  auto mappings = parse_smaps(kSmaps);
  ASSERT_EQ(mappings.size(), 5u) << "expected one entry per address-range line";
  EXPECT_EQ(mappings[0].path, "/usr/bin/qemu-system-x86_64");
  EXPECT_EQ(mappings[0].start, 0x55d0c0000000u);
  EXPECT_EQ(mappings[0].permissions, "r-xp");
  EXPECT_EQ(mappings[1].path, "[heap]");
  EXPECT_EQ(mappings[2].path, "") << "a mapping with no file has an empty path";
  EXPECT_EQ(mappings[2].size_kib, 262144u);
  EXPECT_EQ(mappings[2].rss_kib, 40960u) << "Rss must not be confused with KernelPageSize";
}

TEST(ParseSmaps, AnonymousMeansNoFile) {
  SmapsMapping m;
  EXPECT_TRUE(m.anonymous());
  m.path = "[anon:guest ram]";
  EXPECT_TRUE(m.anonymous());
  m.path = "/memfd:pc.ram (deleted)";
  EXPECT_TRUE(m.anonymous()) << "memfd-backed guest RAM is anonymous memory too";
  m.path = "[heap]";
  EXPECT_FALSE(m.anonymous());
  m.path = "/usr/lib/x86_64-linux-gnu/libc.so.6";
  EXPECT_FALSE(m.anonymous());
}

TEST(SplitGuestRam, SubtractsTheMappingOfExactlyTheGuestSize) {
  auto split = split_guest_ram(parse_smaps(kSmaps), 256ull << 20);
  ASSERT_TRUE(split) << "expected the 256 MiB anonymous mapping to be found";
  EXPECT_EQ(split->total_rss_kib, 3000u + 6000u + 40960u + 256u);
  EXPECT_EQ(split->guest_rss_kib, 40960u);
  EXPECT_EQ(split->vmm_rss_kib, 3000u + 6000u + 256u) << "the BIOS block counts as the VMM's";
  EXPECT_EQ(split->guest_mappings_found, 1);
  EXPECT_EQ(split->vmm_private_kib, 200u + 6000u) << "shared library pages are not the VMM's private memory";
}

TEST(SplitGuestRam, NoMappingOfThatSizeIsNoAnswer) {
  EXPECT_FALSE(split_guest_ram(parse_smaps(kSmaps), 512ull << 20))
      << "a guest of 512 MiB has no mapping here; guessing would report nonsense";
}

TEST(SplitGuestRam, AFileMappingOfTheRightSizeIsNotGuestRam) {
  std::string text =
      "7f0000000000-7f0010000000 r--p 00000000 08:01 99 /var/big.img\n"
      "Size:             262144 kB\n"
      "Rss:                 100 kB\n";
  EXPECT_FALSE(split_guest_ram(parse_smaps(text), 256ull << 20));
}

TEST(SplitGuestRam, OfTwoCandidatesTheMoreResidentOneIsGuestRam) {
  std::string text =
      "7f0000000000-7f0010000000 rw-p 00000000 00:00 0\nSize: 262144 kB\nRss: 10 kB\n"
      "7f1000000000-7f1010000000 rw-p 00000000 00:00 0\nSize: 262144 kB\nRss: 5000 kB\n";
  auto split = split_guest_ram(parse_smaps(text), 256ull << 20);
  ASSERT_TRUE(split);
  EXPECT_EQ(split->guest_rss_kib, 5000u);
  EXPECT_EQ(split->vmm_rss_kib, 10u);
  EXPECT_EQ(split->guest_mappings_found, 2);
}

}  // namespace
}  // namespace deploylab
