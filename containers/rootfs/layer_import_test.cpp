// containers/rootfs/layer_import_test.cpp: the pure checks of a layer import: which entry paths
// and link targets are refused, and how OCI whiteout names are read. (Extraction itself needs
// root for whiteouts and runs in rootfs_integration_tests.)
#include "containers/rootfs/layer_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

using ::testing::HasSubstr;

TEST(LayerEntryPath, IsNormalised) {
  EXPECT_EQ(clean_entry_path("./usr//bin/").value(), "usr/bin");
  EXPECT_EQ(clean_entry_path("etc/passwd").value(), "etc/passwd");
  EXPECT_EQ(clean_entry_path("./").value(), "") << "the layer root itself";
}

TEST(LayerEntryPath, AbsolutePathsAreRefused) {
  auto path = clean_entry_path("/etc/passwd");
  ASSERT_FALSE(path.ok()) << "an absolute entry would overwrite the host's /etc/passwd";
  EXPECT_THAT(path.error().message(), HasSubstr("absolute path in a layer `/etc/passwd`"));
}

TEST(LayerEntryPath, DotDotIsRefusedAnywhere) {
  for (const char* name : {"../escape", "a/../../escape", "a/b/.."}) {
    auto path = clean_entry_path(name);
    ASSERT_FALSE(path.ok()) << "`" << name << "` must be refused, got " << path.value();
    EXPECT_THAT(path.error().message(), HasSubstr("`..` in a layer path"));
  }
}

TEST(LayerLinks, HardLinksStayInside) {
  EXPECT_TRUE(check_link_target("bin/sh", "bin/busybox", LinkKind::hard).ok());
  EXPECT_FALSE(check_link_target("x", "/etc/shadow", LinkKind::hard).ok()) << "hard link to a host file";
  EXPECT_FALSE(check_link_target("x", "../etc/shadow", LinkKind::hard).ok());
}

TEST(LayerLinks, AbsoluteSymlinksAreFineRelativeOnesMayNotClimbOut) {
  EXPECT_TRUE(check_link_target("bin/sh", "/bin/busybox", LinkKind::symbolic).ok())
      << "absolute targets are resolved inside the container's root";
  EXPECT_TRUE(check_link_target("usr/lib/libx.so", "../../lib/libx.so", LinkKind::symbolic).ok());
  EXPECT_TRUE(check_link_target("a/b", "./c/../d", LinkKind::symbolic).ok());
  auto out = check_link_target("a/b", "../../etc", LinkKind::symbolic);
  ASSERT_FALSE(out.ok()) << "a/b -> ../../etc climbs one level above the layer";
  EXPECT_THAT(out.error().message(), HasSubstr("symlink target climbs out of the layer `a/b -> ../../etc`"));
  EXPECT_FALSE(check_link_target("top", "..", LinkKind::symbolic).ok());
}

TEST(Whiteouts, FileWhiteoutNamesTheHiddenEntry) {
  Whiteout w = classify_whiteout("etc/.wh.motd");
  EXPECT_EQ(w.kind, WhiteoutKind::file);
  EXPECT_EQ(w.path, "etc/motd");
  Whiteout top = classify_whiteout(".wh.root-file");
  EXPECT_EQ(top.kind, WhiteoutKind::file);
  EXPECT_EQ(top.path, "root-file");
}

TEST(Whiteouts, OpaqueMarkerNamesItsDirectory) {
  Whiteout w = classify_whiteout("var/cache/.wh..wh..opq");
  EXPECT_EQ(w.kind, WhiteoutKind::opaque);
  EXPECT_EQ(w.path, "var/cache");
}

TEST(Whiteouts, OrdinaryNamesAreNotWhiteouts) {
  EXPECT_EQ(classify_whiteout("etc/motd").kind, WhiteoutKind::none);
  EXPECT_EQ(classify_whiteout("etc/.whatever").kind, WhiteoutKind::none);
  EXPECT_EQ(classify_whiteout("etc/.wh.").kind, WhiteoutKind::none) << "a prefix without a name hides nothing";
  EXPECT_EQ(classify_whiteout(".wh.dir/file").kind, WhiteoutKind::none) << "only the last component counts";
}

}  // namespace
}  // namespace deploylab::ctr
