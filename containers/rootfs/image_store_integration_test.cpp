// containers/rootfs/image_store_integration_test.cpp: the image store for real (root): the
// busybox layer, tar imports (compressed or not, OCI whiteouts converted, malicious entries
// refused), tags, and a container rootfs from an image that a child pivots into and runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "containers/rootfs/digest.h"
#include "containers/rootfs/image_store.h"
#include "containers/rootfs/mounts.h"
#include "containers/rootfs/rootfs_test_support.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using rootfs_test::shell;

class ImageStoreTest : public rootfs_test::RootTest {
 protected:
  void SetUp() override {
    RootTest::SetUp();
    if (IsSkipped()) return;
    dir_ = temp_dir("images");
    store_ = ImageStore(dir_ / "store");
  }
  // Runs `script` in a scratch directory (the tar's source tree) and returns that directory.
  fs::path scratch(const std::string& script) {
    fs::path work = dir_ / ("scratch" + std::to_string(++scratch_count_));
    fs::create_directories(work);
    shell("cd '" + work.string() + "' && " + script);
    return work;
  }
  // Layer directories committed so far (no half-imported .partial-* left among them).
  std::vector<std::string> layer_dirs() {
    std::vector<std::string> names;
    std::error_code ignored;
    for (const auto& e : fs::directory_iterator(dir_ / "store/layers", ignored)) names.push_back(e.path().filename());
    return names;
  }
  void expect_refused(const fs::path& tarball, const std::string& why) {
    auto id = store_.import_tar_layer(tarball);
    ASSERT_FALSE(id.ok()) << "importing " << tarball << " must fail";
    EXPECT_THAT(id.error().message(), HasSubstr(why));
    EXPECT_TRUE(layer_dirs().empty()) << "a refused layer must leave nothing in layers/";
  }
  TempDir dir_;
  ImageStore store_{"/nonexistent"};
  int scratch_count_ = 0;
};

TEST_F(ImageStoreTest, BusyboxLayerIsCompleteAndDeterministic) {
  auto id = store_.build_busybox_layer();
  ASSERT_TRUE(id.ok()) << id.error().message();
  const fs::path layer = store_.layer_path(id.value());
  EXPECT_TRUE(fs::is_regular_file(layer / "bin/busybox"));
  EXPECT_EQ(fs::read_symlink(layer / "usr/bin/wc"), "/bin/busybox") << "applets are links to /bin/busybox";
  EXPECT_THAT(read_file(layer / "etc/passwd").value_or(""), HasSubstr("root:x:0:0:"));
  EXPECT_EQ(fs::status(layer / "tmp").permissions(), fs::perms::all | fs::perms::sticky_bit) << "tmp is 1777";
  for (const char* empty : {"proc", "sys", "dev", "root"}) EXPECT_TRUE(fs::is_empty(layer / empty)) << empty;
  EXPECT_EQ(store_.build_busybox_layer().value(), id.value()) << "building again gives the same id";
  ImageStore other(dir_ / "other-store");
  EXPECT_EQ(other.build_busybox_layer().value(), id.value()) << "the id depends only on busybox and the recipe";
  EXPECT_EQ(shell("cd '" + layer.string() + "' && find . -newermt @1 | wc -l"), "0\n") << "every timestamp is 0";
}

TEST_F(ImageStoreTest, ImportConvertsOciWhiteouts) {
  fs::path src = scratch("mkdir -p tree/etc tree/cache && echo hello > tree/etc/motd && touch tree/.wh.gone "
                         "tree/cache/.wh..wh..opq && tar -czf layer.tar.gz -C tree .");
  auto id = store_.import_tar_layer(src / "layer.tar.gz");
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(id.value(), sha256_of_file(src / "layer.tar.gz").value()) << "a layer is named by its tarball's digest";
  const fs::path layer = store_.layer_path(id.value());
  EXPECT_EQ(read_file(layer / "etc/motd").value_or("?"), "hello\n");
  struct stat st {};
  ASSERT_EQ(::lstat((layer / "gone").c_str(), &st), 0) << ".wh.gone must become `gone`";
  EXPECT_TRUE(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) << "an overlay whiteout is a 0/0 char device";
  EXPECT_FALSE(fs::exists(layer / ".wh.gone"));
  char value[8] = {};
  EXPECT_EQ(::getxattr((layer / "cache").c_str(), "trusted.overlay.opaque", value, sizeof value), 1);
  EXPECT_STREQ(value, "y") << "the opaque marker becomes trusted.overlay.opaque=y";
  EXPECT_FALSE(fs::exists(layer / "cache/.wh..wh..opq"));
  EXPECT_EQ(fs::status(layer).permissions(), fs::perms(0755)) << "the layer root is the container's /";
}

TEST_F(ImageStoreTest, CompressionIsDetectedFromTheContent) {
  fs::path src = scratch("mkdir t && echo data > t/file && tar -cf plain.tar -C t . && tar -cJf xz.tar -C t . "
                         "&& tar -czf gz.tar -C t .");
  for (const char* name : {"plain.tar", "xz.tar", "gz.tar"}) {
    auto id = store_.import_tar_layer(src / name);
    ASSERT_TRUE(id.ok()) << name << ": " << id.error().message();
    EXPECT_EQ(read_file(store_.layer_path(id.value()) / "file").value_or("?"), "data\n") << name;
  }
  EXPECT_EQ(store_.import_tar_layer(src / "xz.tar").value(), sha256_of_file(src / "xz.tar").value())
      << "importing the same file again is free and gives the same id";
}

TEST_F(ImageStoreTest, DotDotEntryIsRefused) {
  fs::path src = scratch("mkdir t && echo x > t/escape && tar -cf evil.tar -C t --transform 's,^,../,' escape");
  expect_refused(src / "evil.tar", "`..` in a layer path would write outside the layer `../escape`");
  EXPECT_FALSE(fs::exists(dir_ / "store/layers/escape")) << "nothing may be written one level up";
}

TEST_F(ImageStoreTest, AbsoluteEntryIsRefused) {
  fs::path src = scratch("echo x > f && tar -P -cf evil.tar \"$PWD/f\"");
  expect_refused(src / "evil.tar", "absolute path in a layer");
}

TEST_F(ImageStoreTest, WritingThroughASymlinkIsRefused) {
  fs::create_directory(dir_ / "target");
  fs::path src = scratch("ln -s '" + (dir_ / "target").string() + "' evil && echo p > pwned && tar -cf evil.tar evil "
                         "&& tar -rf evil.tar --transform 's,^pwned$,evil/pwned,' pwned");
  expect_refused(src / "evil.tar", "evil/pwned");
  EXPECT_TRUE(fs::is_empty(dir_ / "target")) << "the entry evil/pwned was written through the symlink";
}

TEST_F(ImageStoreTest, EscapingLinksAreRefused) {
  fs::path sym = scratch("mkdir -p t/a && ln -s ../../x t/a/b && tar -cf evil.tar -C t a");
  expect_refused(sym / "evil.tar", "symlink target climbs out of the layer `a/b -> ../../x`");
  fs::path hard = scratch("echo x > f && ln f h && tar -P -cf evil.tar --transform 's,^f$,../../etc/shadow,RSh' f h");
  expect_refused(hard / "evil.tar", "entry `h`: hard link target");
}

TEST_F(ImageStoreTest, TagsListLayersBaseFirst) {
  std::string base = store_.build_busybox_layer().value();
  fs::path src = scratch("mkdir t && echo top > t/top && tar -cf top.tar -C t .");
  std::string top = store_.import_tar_layer(src / "top.tar").value();
  ASSERT_TRUE(store_.tag("deploylab-test:1", {base, top}).ok());
  EXPECT_EQ(store_.layers_of("deploylab-test:1").value(),
            (std::vector<fs::path>{store_.layer_path(base), store_.layer_path(top)}));
  EXPECT_FALSE(store_.tag("x", {std::string(64, 'a')}).ok()) << "a missing layer cannot be tagged";
  EXPECT_FALSE(store_.tag("../escape", {base}).ok()) << "names become file names: no slashes";
  EXPECT_FALSE(store_.layers_of("deploylab-no-such-image").ok());
}

// Image -> overlay -> prepare_rootfs -> busybox runs: the whole path a `minictr run` takes.
TEST_F(ImageStoreTest, ContainerRootfsFromAnImage) {
  std::string base = store_.build_busybox_layer().value();
  fs::path src = scratch("mkdir -p t/etc t/bin && echo 'deploylab' > t/etc/motd && touch t/bin/.wh.ls "
                         "&& tar -cf top.tar -C t .");
  std::string top = store_.import_tar_layer(src / "top.tar").value();
  store_.tag("deploylab-test", {base, top}).value();
  auto rootfs = store_.create_container_rootfs("deploylab-test", "deploylab-test-c1");
  ASSERT_TRUE(rootfs.ok()) << rootfs.error().message();
  const fs::path merged = rootfs.value().merged;
  EXPECT_TRUE(fs::exists(merged / "bin/busybox")) << "from the base layer";
  EXPECT_FALSE(fs::exists(fs::symlink_status(merged / "bin/ls"))) << "the top layer's whiteout hides bin/ls";
  EXPECT_FALSE(store_.create_container_rootfs("deploylab-test", "deploylab-test-c1").ok()) << "the id is taken";

  RootfsConfig config;
  config.rootfs = merged;
  config.mounts = {{"/proc", "proc", "proc", {}}, {"/dev", "tmpfs", "tmpfs", {"mode=755"}}};
  rootfs_test::ChildReport report = rootfs_test::run_in_new_mount_namespace([&]() -> Result<void> {
    DL_TRY(prepare_rootfs(config));
    std::string motd = DL_TRY(run_checked({"/bin/cat", "/etc/motd"}));
    DL_TRY(rootfs_test::check(motd == "deploylab\n", "/etc/motd from the top layer, saw `" + motd + "`"));
    return write_file_atomic("/root/written", "into the upper");
  });
  EXPECT_TRUE(report.passed) << report.message;
  EXPECT_TRUE(fs::exists(rootfs.value().dir / "upper/root/written")) << "container writes land in the upper";
  EXPECT_FALSE(fs::exists(store_.layer_path(base) / "root/written")) << "and never in a layer";

  rootfs.value().mount.release();  // as a runtime would: the container outlives the create call
  EXPECT_TRUE(store_.remove_container_rootfs("deploylab-test-c1").ok());
  EXPECT_FALSE(fs::exists(rootfs.value().dir));
  EXPECT_TRUE(store_.remove_container_rootfs("deploylab-test-c1").ok()) << "removing twice is fine";
}

}  // namespace
}  // namespace deploylab::ctr
