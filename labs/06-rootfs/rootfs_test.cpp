// labs/06-rootfs/rootfs_test.cpp: lab 06's graded tests on real containers (as root). Each test
// builds a busybox bundle (lab06_support.h), runs a shell script in it with `minictr run`, and
// checks what the script saw from inside: whose root it is, what may be written, /dev, /proc,
// the masked and readonly paths, bind mounts, a hostile symlink in the image, and containers
// started from images of overlay layers with whiteouts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "containers/rootfs/layer_import.h"
#include "labs/06-rootfs/lab06_support.h"

namespace deploylab::ctr::lab06 {
namespace {

namespace fs = std::filesystem;

using ContainerRootfs = ContainerTest;  // a bundle's rootfs made the container's root
using ContainerImage = ContainerTest;   // containers started from an image's overlay layers

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// --- the bundle's rootfs as the container's root ---------------------------------------------

TEST_F(ContainerRootfs, TheRootIsTheBundlesRootfs) {
  write_file_atomic(rootfs() / "deploylab-marker", "from the bundle\n").value();
  Completed done = run_script(
      "cat /deploylab-marker; pwd; "
      "for d in /work /usr/lib/x86_64-linux-gnu /etc/apt; do test -e $d && echo host-visible: $d; done; "
      "echo mounts-at-slash=$(awk '$5 == \"/\"' /proc/self/mountinfo | wc -l); awk '$5 == \"/\"' /proc/self/mountinfo");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskPivot);
  EXPECT_TRUE(has(done.out, "from the bundle\n/\n"))
      << "expected the container's / to be the bundle's rootfs (its /deploylab-marker readable) and its working "
         "directory /\n"
      << transcript(done) << look_at(kTaskPivot);
  EXPECT_FALSE(has(done.out, "host-visible"))
      << "host directories are visible in the container: its / must be the rootfs, made the root of the mount "
         "namespace by pivot_root\n"
      << transcript(done) << look_at(kTaskPivot);
  EXPECT_TRUE(has(done.out, "mounts-at-slash=1\n"))
      << "expected exactly one mount at / in the container's mount table (/proc/self/mountinfo), the rootfs; a second "
         "one is the host's root: pivot_root(\".\", \".\") stacks it on top of the new root, where path lookups from / "
         "do not see it, but it stays mounted (with every host mount below it) until umount2(\".\", MNT_DETACH) "
         "detaches it. The mounts at / are listed at the end of stdout\n"
      << transcript(done) << look_at(kTaskPivot);
}

TEST_F(ContainerRootfs, AReadOnlyRootRefusesWrites) {
  config()["root"]["readonly"] = true;
  const fs::path file = unique_host_path("rofile");
  Completed done = run_script("echo x > " + file.string() + " && echo wrote || echo refused; test -c /dev/null && echo dev-null-ok");
  const bool on_host = remove_if_escaped(file);
  EXPECT_FALSE(on_host) << "the container wrote " << file << " ON THE HOST: its / was still the host's\n" << look_at(kTaskPivot);
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskLockDown);
  EXPECT_TRUE(has(done.out, "refused") && has(done.err, "Read-only file system"))
      << "root.readonly is true: a write to / must fail with EROFS (Read-only file system)\n"
      << transcript(done) << look_at(kTaskLockDown) << " (the root's remount comes last)";
  EXPECT_FALSE(fs::exists(rootfs() / file.filename())) << "the write reached the bundle's rootfs";
  EXPECT_TRUE(has(done.out, "dev-null-ok"))
      << "the steps before the read-only remount must still have run (/dev/null made in /dev)\n" << transcript(done);
}

// --- what the plan mounts: /dev, /proc ---------------------------------------------------------

TEST_F(ContainerRootfs, DevHasTheStandardDevicesAndLinks) {
  Completed done = run_script(
      "stat -c '%n %F %t:%T %a' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; "
      "for l in fd stdin stdout stderr ptmx; do echo \"/dev/$l -> $(readlink /dev/$l)\"; done; "
      "echo \"/dev is $(stat -f -c %T /dev)\"");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskOptions);
  for (const char* line : {
           "/dev/null character special file 1:3 666", "/dev/zero character special file 1:5 666",
           "/dev/full character special file 1:7 666", "/dev/random character special file 1:8 666",
           "/dev/urandom character special file 1:9 666", "/dev/tty character special file 5:0 666",
           "/dev/fd -> /proc/self/fd", "/dev/stdin -> /proc/self/fd/0", "/dev/stdout -> /proc/self/fd/1",
           "/dev/stderr -> /proc/self/fd/2", "/dev/ptmx -> pts/ptmx", "/dev is tmpfs"}) {
    EXPECT_TRUE(has(done.out, std::string(line) + "\n"))
        << "expected the line `" << line << "` (name, type, major:minor in hex, mode; or a link)\n"
        << transcript(done) << look_at(kTaskOptions) << " (the /dev tmpfs and its options) and the plan's device steps";
  }
}

TEST_F(ContainerRootfs, ProcShowsTheContainersOwnProcesses) {
  Completed done = run_script("echo pid=$$; cat /proc/1/comm; echo \"/proc is $(stat -f -c %T /proc)\"; "
                              "echo processes=$(ls /proc | grep -c '^[0-9]')");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskPivot);
  EXPECT_TRUE(has(done.out, "pid=1\nsh\n/proc is proc\n"))
      << "expected a fresh proc mounted at /proc, showing the container's pid namespace: the script is pid 1 and "
         "/proc/1/comm is `sh` (a host /proc would show the host's init)\n"
      << transcript(done) << look_at(kTaskPivot);
  const size_t at = done.out.find("processes=");
  const int processes = at == std::string::npos ? -1 : std::atoi(done.out.c_str() + at + 10);
  EXPECT_TRUE(processes >= 1 && processes <= 6)
      << "only the container's own processes (the script and its pipeline) belong in its /proc; saw " << processes << "\n"
      << transcript(done) << look_at(kTaskPivot);
}

// --- masked and readonly paths -----------------------------------------------------------------

TEST_F(ContainerRootfs, MaskedPathsReadEmpty) {
  write_file_atomic(rootfs() / "etc/deploylab-secret", "a secret of the image\n").value();
  config()["linux"]["maskedPaths"].push_back("/etc/deploylab-secret");
  // The default spec masks these; which exist depends on the kernel (the container's /proc and
  // /sys show the same kernel as the host's).
  std::vector<std::string> files = {"/etc/deploylab-secret"};
  for (const char* path : {"/proc/kcore", "/proc/keys", "/proc/timer_list"}) {
    if (fs::exists(path)) files.push_back(path);
  }
  std::vector<std::string> dirs;
  for (const char* path : {"/sys/firmware", "/proc/acpi"}) {
    if (fs::exists(path)) dirs.push_back(path);
  }
  std::string script;
  for (const std::string& f : files) script += "echo \"" + f + ": $(stat -c %F " + f + "), $(head -c 64 " + f + " | wc -c) bytes\"; ";
  for (const std::string& d : dirs) script += "echo \"" + d + ": $(ls -A " + d + " | wc -l) entries\"; ";
  Completed done = run_script(script);
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskLockDown);
  for (const std::string& f : files) {
    EXPECT_TRUE(has(done.out, f + ": character special file, 0 bytes\n"))
        << "a masked file must read empty: /dev/null bound over it\n" << transcript(done) << look_at(kTaskLockDown);
  }
  for (const std::string& d : dirs) {
    EXPECT_TRUE(has(done.out, d + ": 0 entries\n"))
        << "a masked directory must look empty: an empty read-only tmpfs over it\n" << transcript(done) << look_at(kTaskLockDown);
  }
}

TEST_F(ContainerRootfs, ReadonlyPathsRefuseWrites) {
  fs::create_directory(rootfs() / "deploylab-ro");
  config()["linux"]["readonlyPaths"].push_back("/deploylab-ro");
  Completed done = run_script(
      "cat /proc/sys/kernel/hostname; echo deploylab > /proc/sys/kernel/hostname && echo sysctl-written; "
      "touch /deploylab-ro/file && echo ro-dir-written; touch /deploylab-rw && echo root-written");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskLockDown);
  EXPECT_TRUE(has(done.out, "minictr\n")) << "a readonly path stays readable: /proc/sys/kernel/hostname is `minictr`\n"
                                          << transcript(done) << look_at(kTaskLockDown);
  EXPECT_FALSE(has(done.out, "sysctl-written") || has(done.out, "ro-dir-written"))
      << "writes under /proc/sys and /deploylab-ro (readonly paths) must fail with EROFS: bind each onto itself, "
         "then remount it read-only\n"
      << transcript(done) << look_at(kTaskLockDown);
  EXPECT_TRUE(has(done.out, "root-written"))
      << "only the readonly paths are read-only here: root.readonly is false, so / stays writable\n"
      << transcript(done) << look_at(kTaskLockDown);
}

// --- bind mounts and a hostile image -----------------------------------------------------------

TEST_F(ContainerRootfs, ABindMountShowsAHostDirectory) {
  fs::create_directories(scratch_ / "ro");
  fs::create_directories(scratch_ / "rw");
  write_file_atomic(scratch_ / "ro/greeting", "hello from the host\n").value();
  add_mount("/mnt/deploylab-ro", "bind", (scratch_ / "ro").string(), {"rbind", "ro"});
  add_mount("/mnt/deploylab-rw", "none", (scratch_ / "rw").string(), {"rbind", "rw", "nosuid"});
  Completed done = run_script("cat /mnt/deploylab-ro/greeting; touch /mnt/deploylab-ro/new && echo ro-written; "
                              "echo inside > /mnt/deploylab-rw/written");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskOptions);
  EXPECT_TRUE(has(done.out, "hello from the host\n")) << "the host directory's file, seen through the bind mount\n"
                                                      << transcript(done) << look_at(kTaskOptions);
  EXPECT_FALSE(has(done.out, "ro-written")) << "options [rbind, ro]: the bind must be remounted read-only\n"
                                            << transcript(done) << look_at(kTaskOptions);
  EXPECT_FALSE(fs::exists(scratch_ / "ro/new"));
  EXPECT_EQ(read_file(scratch_ / "rw/written").value_or("(nothing)"), "inside\n")
      << "a write in a read-write bind lands in the host directory\n" << transcript(done) << look_at(kTaskOptions);
}

// The image ships `deploylab-escape -> /`, and config.json mounts a tmpfs below that link. A
// runtime that joins paths naively (ROOTFS + "/deploylab-escape/x") lets the kernel follow the link
// to the HOST's /, where it (root, before pivot_root) makes /x and mounts on it.
TEST_F(ContainerRootfs, ASymlinkToSlashCannotCarryAMountOntoTheHost) {
  const fs::path escaped = unique_host_path("escaped");
  fs::create_directory_symlink("/", rootfs() / "deploylab-escape");
  add_mount("/deploylab-escape" + escaped.string(), "tmpfs", "tmpfs", {"size=1m"});
  Completed done = run_script("echo \"" + escaped.string() + " is $(stat -f -c %T " + escaped.string() + ")\"");
  const bool on_host = remove_if_escaped(escaped);
  EXPECT_FALSE(on_host) << "the runtime followed deploylab-escape -> / out of the rootfs and made " << escaped
                        << " on the host: resolve each path component inside the rootfs, an absolute link "
                           "restarting at the rootfs\n"
                        << look_at(kTaskSecureJoin);
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskSecureJoin);
  EXPECT_TRUE(has(done.out, escaped.string() + " is tmpfs\n"))
      << "inside, the link leads to the rootfs's own /, where the tmpfs must be\n" << transcript(done) << look_at(kTaskSecureJoin);
  EXPECT_TRUE(fs::is_directory(rootfs() / escaped.filename())) << "the mount point belongs in the bundle's rootfs";
}

// --- images: overlay layers --------------------------------------------------------------------

TEST_F(ContainerImage, ContainersOfOneImageShareItsLayersButNotTheirWrites) {
  build_busybox_image();
  const std::string first = id("-1"), second = id("-2");
  Completed one = run_in_image("busybox", first, "grep ' / / ' /proc/self/mountinfo; echo mine > /etc/written && cat /etc/written");
  ASSERT_EQ(one.status.code, 0) << failed("the first container of the image", one, kTaskOverlay);
  const std::string layers = (image_root() / "layers").string(), upper = (image_root() / "containers" / first / "upper").string();
  EXPECT_TRUE(has(one.out, " - overlay overlay ") && has(one.out, "lowerdir=" + layers + "/") &&
              has(one.out, "upperdir=" + upper + ","))
      << "expected the container's / to be an overlay with lowerdir=" << layers << "/<layer> and upperdir=" << upper
      << " (its line of /proc/self/mountinfo is printed first)\n"
      << transcript(one) << look_at(kTaskOverlay);
  EXPECT_TRUE(has(one.out, "mine\n")) << "the container writes into its own upper layer\n" << transcript(one);
  Completed two = run_in_image("busybox", second, "cat /etc/written 2>/dev/null || echo absent");
  EXPECT_TRUE(has(two.out, "absent\n")) << "a second container of the image must not see the first one's writes\n"
                                        << transcript(two) << look_at(kTaskOverlay);
  for (const auto& layer : fs::directory_iterator(image_root() / "layers")) {
    EXPECT_FALSE(fs::exists(layer.path() / "etc/written")) << "a write reached the shared layer " << layer.path();
  }
}

TEST_F(ContainerImage, AnImportedLayerAddsAndDeletesFiles) {
  build_busybox_image();
  const fs::path layer = scratch_ / "layer";
  fs::create_directories(layer / "etc");
  fs::create_directories(layer / "usr/bin");
  write_file_atomic(layer / "etc/greeting", "from the layer\n").value();
  write_file_atomic(layer / "etc/.wh.passwd", "").value();       // deletes the base's /etc/passwd
  write_file_atomic(layer / "usr/bin/.wh..wh..opq", "").value(); // hides the base's whole /usr/bin ...
  write_file_atomic(layer / "usr/bin/deploylab-only", "").value(); // ... leaving only this
  Completed imported = import_layer(layer, "greeter", "busybox");
  ASSERT_EQ(imported.status.code, 0) << failed("`minictr image import`", imported, kTaskWhiteout);
  Completed done = run_in_image("greeter", id(), "cat /etc/greeting; ls /etc/passwd 2>/dev/null || echo no-passwd; "
                                                 "echo \"/usr/bin: $(ls /usr/bin)\"");
  ASSERT_EQ(done.status.code, 0) << failed("the container", done, kTaskWhiteout);
  EXPECT_TRUE(has(done.out, "from the layer\n")) << "the new layer's file\n" << transcript(done);
  EXPECT_TRUE(has(done.out, "no-passwd\n"))
      << "etc/.wh.passwd in the layer must hide the base's /etc/passwd (a 0/0 character device named passwd)\n"
      << transcript(done) << look_at(kTaskWhiteout);
  EXPECT_TRUE(has(done.out, "/usr/bin: deploylab-only\n"))
      << "usr/bin/.wh..wh..opq must make the layer's /usr/bin opaque: none of the base's applets show through\n"
      << transcript(done) << look_at(kTaskWhiteout);
}

// --- the layer on disk -------------------------------------------------------------------------

TEST(LayerImport, WhiteoutsBecomeOverlayfsWhiteouts) {
  ASSERT_EQ(::geteuid(), 0u) << "whiteouts are device nodes and trusted.* xattrs: run as root";
  TempDir dir = TempDir::create("deploylab-test-l6-layer-").value();
  fs::create_directories(dir / "src/etc/deploylab.d");
  write_file_atomic(dir / "src/etc/.wh.motd", "").value();
  write_file_atomic(dir / "src/etc/deploylab.d/.wh..wh..opq", "").value();
  write_file_atomic(dir / "src/etc/deploylab.d/kept", "kept\n").value();
  run_checked({"tar", "-cf", (dir / "layer.tar").string(), "-C", (dir / "src").string(), "."}).value();
  fs::create_directory(dir / "layer");
  auto extracted = extract_layer(dir / "layer.tar", dir / "layer");
  ASSERT_TRUE(extracted.ok()) << extracted.error().message() << "\n" << look_at(kTaskWhiteout);

  struct stat st {};
  ASSERT_EQ(::lstat((dir / "layer/etc/motd").c_str(), &st), 0) << "etc/.wh.motd must become etc/motd\n" << look_at(kTaskWhiteout);
  EXPECT_TRUE(S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
      << "overlayfs's whiteout is a character device 0/0; saw mode " << std::oct << st.st_mode << std::dec << " device "
      << major(st.st_rdev) << ":" << minor(st.st_rdev) << "\n" << look_at(kTaskWhiteout);
  char value[8] = {};
  ssize_t n = ::getxattr((dir / "layer/etc/deploylab.d").c_str(), "trusted.overlay.opaque", value, sizeof value);
  EXPECT_EQ(std::string(value, n > 0 ? static_cast<size_t>(n) : 0), "y")
      << "an opaque directory carries trusted.overlay.opaque=y\n" << look_at(kTaskWhiteout);
  EXPECT_EQ(read_file(dir / "layer/etc/deploylab.d/kept").value_or(""), "kept\n") << "the opaque directory keeps its own files";
  for (const char* leftover : {"etc/.wh.motd", "etc/deploylab.d/.wh..wh..opq"}) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(dir / "layer" / leftover))) << leftover << " is the tar's form, not overlayfs's";
  }
}

}  // namespace
}  // namespace deploylab::ctr::lab06
