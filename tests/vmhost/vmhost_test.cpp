// tests/vmhost/vmhost_test.cpp: the `vmhost` tool for real: QEMU boots the test host from the
// assets `make deps` prepared, runs commands in it, and reports what went wrong when something
// does. Each boot costs about 8 s of software emulation, so the suite keeps to a few boots.
#include <gtest/gtest.h>

#include <fstream>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path kBuild = DEPLOYLAB_BUILD_DIR;

Completed vmhost(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), VMHOST_BINARY);
  RunOptions options;
  options.timeout = 600s;
  options.spawn.cwd = DEPLOYLAB_SOURCE_DIR;
  options.spawn.env = std::move(env);
  return run(args, options).value();
}

TEST(Vmhost, RunsTheCommandWithKvmAndPassesItsExitCode) {
  Completed done = vmhost({"run", "--", "sh", "-c", "ls -l /dev/kvm && uname -r && pwd && echo \"$DEPLOYLAB_MARK\" && exit 7"},
                          {"DEPLOYLAB_MARK=passed through"});
  EXPECT_EQ(done.status.code, 7) << "vmhost must exit with the command's own exit code\n" << done.out << done.err;
  EXPECT_NE(done.out.find("/dev/kvm"), std::string::npos) << "no /dev/kvm in the test host: did kvm-amd load?\n" << done.out;
  std::string kernel = read_file(kBuild / "assets/kernel/VERSION").value();
  EXPECT_NE(done.out.find(kernel.substr(0, kernel.find(' '))), std::string::npos) << "not the Debian kernel from make deps:\n" << done.out;
  EXPECT_NE(done.out.find(std::string(DEPLOYLAB_SOURCE_DIR) + "\n"), std::string::npos) << "the caller's directory is lost:\n" << done.out;
  EXPECT_NE(done.out.find("passed through\n"), std::string::npos) << "the caller's environment is lost:\n" << done.out;
  EXPECT_EQ(done.out.find('\r'), std::string::npos) << "output must arrive as written, without \\r\\n";
}

TEST(Vmhost, WritesToTheBuildDirectoryComeBackAndTheHostRootStaysUntouched) {
  fs::path result = kBuild / "vmhost-test-result.txt";
  fs::remove(result);
  Completed done = vmhost({"run", "--", "sh", "-c", "echo from-guest > " + result.string() + " && touch /etc/deploylab-vmhost-test"});
  EXPECT_EQ(done.status.code, 0) << done.out << done.err;
  EXPECT_EQ(read_file(result).value_or(""), "from-guest\n") << "the build directory must be shared read-write";
  EXPECT_FALSE(fs::exists("/etc/deploylab-vmhost-test")) << "the host's / must be read-only (an overlay in the guest)";
  fs::remove(result);
}

TEST(Vmhost, NestedQemuBootsTheDebianKernelWithKvm) {
  std::string qemu = "qemu-system-x86_64 -accel kvm -cpu host -m 512 -nographic -no-reboot -kernel " +
                     (kBuild / "assets/kernel/vmlinuz").string() + " -initrd " + (kBuild / "assets/initramfs.cpio.gz").string() +
                     " -append 'console=ttyS0 deploylab.poweroff panic=-1 quiet'";
  Completed done = vmhost({"run", "--timeout", "300", "--", "sh", "-c", qemu});
  EXPECT_EQ(done.status.code, 0) << done.out << done.err;
  EXPECT_NE(done.out.find("deploylab-initramfs: init started"), std::string::npos)
      << "the nested guest did not reach its init under -accel kvm:\n" << done.out;
}

TEST(Vmhost, TimeoutStopsTheTestHostAndSaysSo) {
  auto start = std::chrono::steady_clock::now();
  Completed done = vmhost({"run", "--timeout", "15", "--", "sleep", "1000"});
  EXPECT_EQ(done.status.code, 1);
  EXPECT_NE(done.err.find("did not finish within 15 s"), std::string::npos) << done.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 60s);
}

// The first attempt freezes the heartbeat (SIGSTOP on the init's heartbeat loop, whose pid the
// init leaves in the job directory, /run/vmhost inside), which is what a frozen test host looks
// like from outside; the second finds the marker in the shared build directory and succeeds.
TEST(Vmhost, AFrozenTestHostIsStoppedAndTheCommandRunsAgain) {
  fs::path marker = kBuild / "vmhost-test-froze-once";
  fs::remove(marker);
  std::string script = "if [ -e " + marker.string() + " ]; then echo second attempt; exit 0; fi; touch " + marker.string() +
                       "; kill -STOP $(cat /run/vmhost/heartbeat.pid) && sleep 1000";
  auto start = std::chrono::steady_clock::now();
  Completed done = vmhost({"run", "--timeout", "300", "--heartbeat-limit", "8", "--freeze-retries", "1", "--", "sh", "-c", script});
  EXPECT_EQ(done.status.code, 0) << "the second attempt must run and pass\n" << done.out << done.err;
  EXPECT_NE(done.out.find("second attempt"), std::string::npos) << done.out;
  EXPECT_NE(done.err.find("the test host froze (no heartbeat for"), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("attempt 2 of 2"), std::string::npos) << done.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 120s) << "the freeze must be noticed after the heartbeat limit, not the timeout";
  fs::remove(marker);
}

TEST(Vmhost, MissingKernelIsAClearErrorBeforeAnythingBoots) {
  Completed done = vmhost({"run", "--kernel", "/nonexistent/vmlinuz", "--", "true"});
  EXPECT_EQ(done.status.code, 1);
  EXPECT_NE(done.err.find("`/nonexistent/vmlinuz`: No such file or directory"), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("make deps"), std::string::npos) << done.err;
}

TEST(Vmhost, KernelPanicIsReportedWithItsLine) {
  auto dir = TempDir::create("vmhost-test-").value();
  std::ofstream(dir / "garbage.cpio.gz") << "not an initramfs";
  Completed done = vmhost({"run", "--timeout", "120", "--initramfs", (dir / "garbage.cpio.gz").string(), "--", "true"});
  EXPECT_EQ(done.status.code, 1);
  EXPECT_NE(done.err.find("kernel panicked: "), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("Kernel panic"), std::string::npos) << done.err;
}

// An initramfs whose kvm-amd.ko is missing (as if built for another kernel, or damaged): the
// guest's init says which module would not load, and vmhost passes that on.
TEST(Vmhost, MissingModuleIsReportedByName) {
  auto dir = TempDir::create("vmhost-test-").value();
  std::string unpacked = (dir / "root").string(), repacked = (dir / "broken.cpio.gz").string();
  std::string script = "mkdir " + unpacked + " && cd " + unpacked + " && gzip -dc " +
                       (kBuild / "assets/vmhost-initramfs.cpio.gz").string() + " | cpio --quiet -id && rm vmhost/modules/kvm-amd.ko && " +
                       "find . | cpio --quiet -o -H newc | gzip > " + repacked;
  run_checked({"sh", "-c", script}).value();
  Completed done = vmhost({"run", "--timeout", "120", "--initramfs", repacked, "--", "true"});
  EXPECT_EQ(done.status.code, 1);
  EXPECT_NE(done.err.find("could not set up: insmod kvm-amd.ko failed"), std::string::npos) << done.err;
}

TEST(Vmhost, MissingQemuSaysWhatToInstall) {
  Completed done = vmhost({"run", "--", "true"}, {"PATH=/nonexistent"});
  EXPECT_EQ(done.status.code, 1);
  EXPECT_NE(done.err.find("execvp `qemu-system-x86_64`"), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("make deps"), std::string::npos) << done.err;
}

TEST(Vmhost, UsageErrorsExit2) {
  EXPECT_EQ(vmhost({"run"}).status.code, 2);
  EXPECT_EQ(vmhost({"run", "--mem", "2T", "--", "true"}).status.code, 1);
}

}  // namespace
}  // namespace deploylab
