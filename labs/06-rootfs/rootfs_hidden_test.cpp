// labs/06-rootfs/rootfs_hidden_test.cpp: lab 06's hidden tests (instructor only; the student kit
// leaves this file out). The same ideas as rootfs_test.cpp in cases the visible tests do not
// spell out: a masked directory and masked paths that do not exist, a relative symlink that
// climbs out of the rootfs, three layers stacked in order, and bind options read in order.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/file_io.h"
#include "labs/06-rootfs/lab06_support.h"

namespace deploylab::ctr::lab06 {
namespace {

namespace fs = std::filesystem;

using RootfsHidden = ContainerTest;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(RootfsHidden, AMaskedDirectoryIsEmptyAndMissingPathsAreSkipped) {
  fs::create_directories(rootfs() / "deploylab-secrets");
  write_file_atomic(rootfs() / "deploylab-secrets/key", "secret\n").value();
  config()["linux"]["maskedPaths"].push_back("/deploylab-secrets");
  config()["linux"]["maskedPaths"].push_back("/deploylab-no-such-file");
  config()["linux"]["readonlyPaths"].push_back("/deploylab-no-such-dir");
  Completed done = run_script("echo entries=$(ls -A /deploylab-secrets | wc -l); "
                              "touch /deploylab-secrets/new && echo masked-dir-written; echo end");
  ASSERT_EQ(done.status.code, 0) << "masked and readonly paths that do not exist are skipped, not errors\n"
                                 << failed("the container", done, kTaskLockDown);
  EXPECT_TRUE(has(done.out, "entries=0\n")) << "a masked directory must look empty\n" << transcript(done) << look_at(kTaskLockDown);
  EXPECT_FALSE(has(done.out, "masked-dir-written")) << "the tmpfs over a masked directory is read-only\n"
                                                    << transcript(done) << look_at(kTaskLockDown);
  EXPECT_EQ(read_file(rootfs() / "deploylab-secrets/key").value_or(""), "secret\n") << "masking hides, it never deletes";
}

// `deploylab-up -> ../../../../../../../..`: from ROOTFS/deploylab-up the kernel would climb to the
// host's /; inside the container ".." stops at its root.
TEST_F(RootfsHidden, ARelativeSymlinkCannotClimbOutOfTheRootfs) {
  const fs::path climbed = unique_host_path("climbed");
  fs::create_directories(scratch_ / "host-dir");
  write_file_atomic(scratch_ / "host-dir/file", "bound\n").value();
  fs::create_directory_symlink("../../../../../../../..", rootfs() / "deploylab-up");
  add_mount("/deploylab-up" + climbed.string(), "bind", (scratch_ / "host-dir").string(), {"rbind", "ro"});
  Completed done = run_script("cat " + climbed.string() + "/file");
  const bool on_host = remove_if_escaped(climbed);
  EXPECT_FALSE(on_host) << "the runtime followed deploylab-up -> ../../.. out of the rootfs and made " << climbed
                        << " on the host: `..` must stop at the rootfs\n" << look_at(kTaskSecureJoin);
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskSecureJoin);
  EXPECT_TRUE(has(done.out, "bound\n")) << transcript(done) << look_at(kTaskSecureJoin);
  EXPECT_TRUE(fs::is_directory(rootfs() / climbed.filename())) << "the mount point belongs in the bundle's rootfs";
}

// busybox <- a (base first): b's files win over a's, and b's whiteout hides a file of a.
TEST_F(RootfsHidden, ThreeLayersStackWithTheTopLayerWinning) {
  build_busybox_image();
  fs::create_directories(scratch_ / "a/etc");
  write_file_atomic(scratch_ / "a/etc/motd", "from a\n").value();
  write_file_atomic(scratch_ / "a/etc/a-only", "a\n").value();
  fs::create_directories(scratch_ / "b/etc");
  write_file_atomic(scratch_ / "b/etc/motd", "from b\n").value();
  write_file_atomic(scratch_ / "b/etc/.wh.a-only", "").value();
  Completed a = import_layer(scratch_ / "a", "layer-a", "busybox");
  ASSERT_EQ(a.status.code, 0) << failed("importing layer a", a, kTaskWhiteout);
  Completed b = import_layer(scratch_ / "b", "layer-b", "layer-a");
  ASSERT_EQ(b.status.code, 0) << failed("importing layer b", b, kTaskWhiteout);
  const std::string script = "cat /etc/motd; test -e /etc/a-only && echo a-only-present || echo a-only-hidden";
  Completed top = run_in_image("layer-b", id("-b"), script);
  ASSERT_EQ(top.status.code, 0) << failed("the container of layer-b", top, kTaskOverlay);
  EXPECT_TRUE(has(top.out, "from b\na-only-hidden\n"))
      << "image layer-b is busybox, a, b (base first): b's /etc/motd must win and its whiteout hide a's file; "
         "overlayfs lists lowerdir TOP first\n"
      << transcript(top) << look_at(kTaskOverlay);
  Completed middle = run_in_image("layer-a", id("-a"), script);
  EXPECT_TRUE(has(middle.out, "from a\na-only-present\n")) << "image layer-a knows nothing of b\n" << transcript(middle);
}

// The words of a mount's options are read in order ("ro" then "rw" ends read-write), and the
// per-mount flags of a bind take effect through the remount: noexec stops a binary from running.
TEST_F(RootfsHidden, BindOptionsAreReadInOrderAndNoexecStopsPrograms) {
  fs::create_directories(scratch_ / "rw");
  fs::create_directories(scratch_ / "bin");
  fs::copy_file("/bin/busybox", scratch_ / "bin/busybox");
  add_mount("/mnt/deploylab-rw", "bind", (scratch_ / "rw").string(), {"rbind", "ro", "rw"});
  add_mount("/mnt/deploylab-bin", "bind", (scratch_ / "bin").string(), {"bind", "nosuid", "noexec"});
  Completed done = run_script("echo later-wins > /mnt/deploylab-rw/file; /mnt/deploylab-bin/busybox true; "
                              "echo exec-status=$?");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskOptions);
  EXPECT_EQ(read_file(scratch_ / "rw/file").value_or("(nothing)"), "later-wins\n")
      << "options [rbind, ro, rw]: the later `rw` wins, so the bind is writable\n" << transcript(done) << look_at(kTaskOptions);
  EXPECT_TRUE(has(done.out, "exec-status=126\n"))
      << "options [bind, nosuid, noexec]: running a program from there must fail (126, Permission denied)\n"
      << transcript(done) << look_at(kTaskOptions);
}

}  // namespace
}  // namespace deploylab::ctr::lab06
