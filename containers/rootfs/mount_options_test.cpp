// containers/rootfs/mount_options_test.cpp: the option-word table, one row per word, plus the
// rules that combine words (later wins, unknown words go to the filesystem's data string).
#include "containers/rootfs/mount_options.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

namespace deploylab::ctr {
namespace {

struct FlagCase {
  const char* word;
  unsigned long flags;
  unsigned long clear_flags;
};

class MountOptionFlag : public ::testing::TestWithParam<FlagCase> {};

TEST_P(MountOptionFlag, SetsOrClearsItsFlag) {
  const FlagCase& c = GetParam();
  MountOptions options = parse_mount_options({c.word});
  EXPECT_EQ(options.flags, c.flags) << "flags set by `" << c.word << "`";
  EXPECT_EQ(options.clear_flags, c.clear_flags) << "flags cleared by `" << c.word << "`";
  EXPECT_EQ(options.data, "") << "`" << c.word << "` is a generic flag, not filesystem data";
  EXPECT_FALSE(options.bind);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MountOptionFlag,
    ::testing::Values(FlagCase{"ro", MS_RDONLY, 0}, FlagCase{"rw", 0, MS_RDONLY},
                      FlagCase{"nosuid", MS_NOSUID, 0}, FlagCase{"suid", 0, MS_NOSUID},
                      FlagCase{"nodev", MS_NODEV, 0}, FlagCase{"dev", 0, MS_NODEV},
                      FlagCase{"noexec", MS_NOEXEC, 0}, FlagCase{"exec", 0, MS_NOEXEC},
                      FlagCase{"sync", MS_SYNCHRONOUS, 0}, FlagCase{"async", 0, MS_SYNCHRONOUS},
                      FlagCase{"dirsync", MS_DIRSYNC, 0}, FlagCase{"remount", MS_REMOUNT, 0},
                      FlagCase{"mand", MS_MANDLOCK, 0}, FlagCase{"nomand", 0, MS_MANDLOCK},
                      FlagCase{"noatime", MS_NOATIME, 0}, FlagCase{"atime", 0, MS_NOATIME},
                      FlagCase{"nodiratime", MS_NODIRATIME, 0}, FlagCase{"diratime", 0, MS_NODIRATIME},
                      FlagCase{"relatime", MS_RELATIME, 0}, FlagCase{"norelatime", 0, MS_RELATIME},
                      FlagCase{"strictatime", MS_STRICTATIME, 0},
                      FlagCase{"nostrictatime", 0, MS_STRICTATIME}, FlagCase{"defaults", 0, 0}),
    [](const auto& info) { return std::string(info.param.word); });

struct PropagationCase {
  const char* word;
  unsigned long propagation;
};

class MountOptionPropagation : public ::testing::TestWithParam<PropagationCase> {};

TEST_P(MountOptionPropagation, IsKeptApartFromTheFlags) {
  const PropagationCase& c = GetParam();
  MountOptions options = parse_mount_options({c.word});
  EXPECT_EQ(options.propagation, c.propagation) << "propagation of `" << c.word << "`";
  EXPECT_EQ(options.flags, 0u) << "propagation must not go into the mount flags";
}

INSTANTIATE_TEST_SUITE_P(
    Table, MountOptionPropagation,
    ::testing::Values(PropagationCase{"private", MS_PRIVATE}, PropagationCase{"rprivate", MS_PRIVATE | MS_REC},
                      PropagationCase{"shared", MS_SHARED}, PropagationCase{"rshared", MS_SHARED | MS_REC},
                      PropagationCase{"slave", MS_SLAVE}, PropagationCase{"rslave", MS_SLAVE | MS_REC},
                      PropagationCase{"unbindable", MS_UNBINDABLE},
                      PropagationCase{"runbindable", MS_UNBINDABLE | MS_REC}),
    [](const auto& info) { return std::string(info.param.word); });

TEST(MountOptions, BindAndRbind) {
  MountOptions bind = parse_mount_options({"bind"});
  EXPECT_TRUE(bind.bind);
  EXPECT_FALSE(bind.recursive) << "`bind` alone does not take submounts along";
  MountOptions rbind = parse_mount_options({"rbind", "ro"});
  EXPECT_TRUE(rbind.bind);
  EXPECT_TRUE(rbind.recursive);
  EXPECT_EQ(rbind.flags, static_cast<unsigned long>(MS_RDONLY));
}

TEST(MountOptions, UnknownWordsGoToTheFilesystemInOrder) {
  // The /dev/pts entry of `runc spec`.
  MountOptions options =
      parse_mount_options({"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  EXPECT_EQ(options.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC));
  EXPECT_EQ(options.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
}

TEST(MountOptions, TmpfsSizeAndMode) {
  MountOptions options = parse_mount_options({"nosuid", "strictatime", "mode=755", "size=65536k"});
  EXPECT_EQ(options.flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(options.data, "mode=755,size=65536k");
}

TEST(MountOptions, LaterWordWins) {
  MountOptions rw = parse_mount_options({"ro", "rw"});
  EXPECT_EQ(rw.flags, 0u) << "`ro,rw` must end read-write";
  EXPECT_EQ(rw.clear_flags, static_cast<unsigned long>(MS_RDONLY));
  MountOptions ro = parse_mount_options({"rw", "ro"});
  EXPECT_EQ(ro.flags, static_cast<unsigned long>(MS_RDONLY)) << "`rw,ro` must end read-only";
  EXPECT_EQ(ro.clear_flags, 0u);
  MountOptions propagation = parse_mount_options({"rshared", "rprivate"});
  EXPECT_EQ(propagation.propagation, static_cast<unsigned long>(MS_PRIVATE | MS_REC));
}

TEST(MountOptions, EmptyListIsAllDefaults) {
  MountOptions options = parse_mount_options({});
  EXPECT_EQ(options.flags, 0u);
  EXPECT_EQ(options.clear_flags, 0u);
  EXPECT_EQ(options.propagation, 0u);
  EXPECT_EQ(options.data, "");
  EXPECT_FALSE(options.bind);
}

TEST(MountOptions, FlagWordsNameTheFlagsBack) {
  EXPECT_EQ(flag_words(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), "ro,nosuid,nodev,noexec");
  EXPECT_EQ(flag_words(0), "");
  EXPECT_EQ(flag_words(MS_BIND), "0x1000") << "MS_BIND is not an option word; it is shown as hex";
  EXPECT_EQ(propagation_word(MS_SLAVE | MS_REC), "rslave");
  EXPECT_EQ(propagation_word(MS_PRIVATE), "private");
}

}  // namespace
}  // namespace deploylab::ctr
