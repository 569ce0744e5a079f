// tests/hypervisor/minivmm_cli_test.cpp: the `minivmm` CLI given bad input, on the host (no KVM
// run needed). Each mistake must end in one line on stderr that starts with "error:" and says what
// was wrong, a non-zero exit, and quickly: never a hang, a crash or a screen of output. All of
// these fail before any vCPU runs, so they are safe on a machine whose /dev/kvm is kvm_pvm. The
// guests themselves run in minivmm_guest_test.cpp, on real KVM.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/build_tree.h"
#include "common/temp_dir.h"
#include "tests/hypervisor/minivmm_runner.h"

namespace deploylab::hv {
namespace {

using namespace std::chrono_literals;

constexpr auto kTimeout = 20s;  // a hang is killed here; the test then fails on `timed_out`
constexpr auto kQuick = 5s;     // what "quickly" means for a run that fails before any guest runs

Completed minivmm(std::vector<std::string> args) { return run_minivmm(std::move(args), kTimeout); }

// The common contract of a bad-input run: exit 1, finished quickly, and stderr is exactly one line
// "minivmm <command>: error: ..." that mentions each of `causes`.
void expect_one_error_line(const Completed& done, const std::vector<std::string>& causes) {
  SCOPED_TRACE(transcript(done));
  ASSERT_FALSE(done.timed_out) << "minivmm hung on bad input";
  EXPECT_TRUE(done.status.exited()) << "minivmm crashed on bad input: " << done.status.describe();
  EXPECT_EQ(done.status.code, 1) << "an error must exit 1";
  EXPECT_LT(done.elapsed, kQuick) << "bad input must be refused before anything slow happens";
  auto lines = lines_of(done.err);
  ASSERT_EQ(lines.size(), 1u) << "expected exactly one line on stderr";
  EXPECT_EQ(count_of(done.err, "error:"), 1u);
  EXPECT_EQ(lines[0].rfind("minivmm ", 0), 0u) << "the line must say which program failed";
  for (const auto& cause : causes) EXPECT_NE(lines[0].find(cause), std::string::npos) << "the error must mention `" << cause << "`";
  EXPECT_EQ(done.out, "") << "nothing on stdout when nothing ran";
}

bool can_open_kvm() {
  int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

TEST(MinivmmBadKvmDevice, MissingDeviceSaysEnoentAndWhatToDo) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--kvm-device", "/nonexistent"});
  expect_one_error_line(done, {"`/nonexistent`", "ENOENT", "hint:", "vmhost run"});
}

TEST(MinivmmBadKvmDevice, DeviceThatIsNotKvmFailsItsFirstIoctl) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--kvm-device", "/dev/null"});
  expect_one_error_line(done, {"KVM_GET_API_VERSION", "`/dev/null`", "ENOTTY", "is this a KVM device?"});
}

TEST(MinivmmBadGuest, EmptyFileIsRefusedByName) {
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  std::ofstream(dir / "empty.bin").close();
  Completed done = minivmm({"run-guest", (dir / "empty.bin").string()});
  expect_one_error_line(done, {"empty guest image", (dir / "empty.bin").string()});
}

TEST(MinivmmBadGuest, MissingFileSaysEnoent) {
  Completed done = minivmm({"run-guest", "/nonexistent/guest.bin"});
  expect_one_error_line(done, {"reading the guest image", "`/nonexistent/guest.bin`", "ENOENT", "build/guests"});
}

TEST(MinivmmBadGuest, BareNameIsLookedUpAmongTheBuiltGuests) {
  Completed done = minivmm({"run-guest", "no_such_guest"});
  expect_one_error_line(done, {built_guest("no_such_guest"), "ENOENT"});
}

TEST(MinivmmBadGuest, GuestLargerThanRamGivesBothSizes) {
  // Creating the VM needs /dev/kvm (no vCPU runs: loading fails first).
  if (!can_open_kvm()) GTEST_SKIP() << "no usable /dev/kvm: the image is loaded into a real VM's memory";
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  std::ofstream(dir / "big.bin", std::ios::binary) << std::string(3 << 20, '\xf4');
  Completed done = minivmm({"run-guest", (dir / "big.bin").string(), "--mode", "long", "--memory", "2M"});
  expect_one_error_line(done, {"loading the guest", "3145728 bytes", "only 2097152 bytes", "0x100000", "--memory"});
}

TEST(MinivmmBadOptions, UnknownModeListsTheModes) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--mode", "bogus"});
  expect_one_error_line(done, {"unknown CPU mode `bogus`", "--mode", "real, protected or long"});
}

TEST(MinivmmBadOptions, TooManyVcpusGivesTheRange) {
  Completed done = minivmm({"run-guest", built_guest("vcpus"), "--mode", "long", "--vcpus", "9"});
  expect_one_error_line(done, {"9 vCPUs", "between 1 and 8"});
}

TEST(MinivmmBadOptions, ZeroVcpusIsRefusedToo) {
  Completed done = minivmm({"run-guest", built_guest("vcpus"), "--mode", "long", "--vcpus", "0"});
  expect_one_error_line(done, {"0 vCPUs", "between 1 and 8"});
}

TEST(MinivmmBadOptions, UnknownMemorySuffixNamesTheOption) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--memory", "12Q"});
  expect_one_error_line(done, {"--memory", "12Q", "unknown memory size suffix", "K, M or G"});
}

TEST(MinivmmBadOptions, SeveralVcpusInRealModeSayWhichModeCan) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--vcpus", "2"});
  expect_one_error_line(done, {"real-mode guests run on one vCPU", "--mode long"});
}

TEST(MinivmmBadOptions, BenchWithTooFewRepeatsSaysWhy) {
  Completed done = minivmm({"bench-exits", "--repeats", "1"});
  expect_one_error_line(done, {"--repeats must be at least 3"});
}

TEST(MinivmmUsage, MalformedOptionIsAUsageErrorWithExit2) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--vcpus", "abc"});
  SCOPED_TRACE(transcript(done));
  ASSERT_FALSE(done.timed_out);
  EXPECT_EQ(done.status.code, 2) << "a usage mistake exits 2, like the other deploylab tools";
  ASSERT_EQ(lines_of(done.err).size(), 1u);
  EXPECT_NE(done.err.find("--vcpus"), std::string::npos);
  EXPECT_NE(done.err.find("minivmm run-guest --help"), std::string::npos) << "a usage error must say how to get help";
}

TEST(MinivmmUsage, MissingGuestIsAUsageError) {
  Completed done = minivmm({"run-guest"});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 2);
  EXPECT_NE(done.err.find("'--guest' is required"), std::string::npos);
}

// `minivmm boot` refuses bad kernels, initramfs and options before it opens /dev/kvm, so these
// run natively even where Linux cannot boot (kvm_pvm).
// BUILD/assets or $DEPLOYLAB_ASSETS, as minivmm itself finds them.
std::filesystem::path assets_dir() { return default_assets_dir(); }

std::string debian_kernel() {
  auto kernel = assets_dir() / "kernel/vmlinuz";
  return std::filesystem::exists(kernel) ? kernel.string() : "";
}

// The first `bytes` of `from` as a new file in `dir`.
std::string truncated_copy(const TempDir& dir, const std::string& from, std::size_t bytes) {
  std::ifstream in(from, std::ios::binary);
  std::string data(bytes, '\0');
  in.read(data.data(), static_cast<std::streamsize>(bytes));
  auto path = (dir / "truncated-vmlinuz").string();
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(bytes));
  return path;
}

TEST(MinivmmBootBadInput, AFileThatIsNotABzImageNamesTheMissingMagic) {
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  std::ofstream(dir / "notes.txt") << std::string(8192, 'x');
  Completed done = minivmm({"boot", "--kernel", (dir / "notes.txt").string()});
  expect_one_error_line(done, {"notes.txt", "0xaa55", "not a bzImage", "hint:"});
}

TEST(MinivmmBootBadInput, AnElfVmlinuxIsNamedAsSuch) {
  Completed done = minivmm({"boot", "--kernel", MINIVMM_BINARY});  // any ELF file will do
  expect_one_error_line(done, {"ELF", "not a bzImage"});
}

TEST(MinivmmBootBadInput, ATruncatedKernelSaysHowLongItShouldBe) {
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  Completed done = minivmm({"boot", "--kernel", truncated_copy(dir, debian_kernel(), 1 << 20)});
  expect_one_error_line(done, {"truncated", "1048576"});
}

TEST(MinivmmBootBadInput, TooLittleMemorySaysHowMuchIsNeeded) {
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  Completed done = minivmm({"boot", "--kernel", debian_kernel(), "--initrd", "none", "--mem", "64M"});
  expect_one_error_line(done, {"--mem", "too small", "init_size", "M or more"});
}

TEST(MinivmmBootBadInput, AnInitramfsTooBigForTheMemoryNamesItsSize) {
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  std::filesystem::path initrd = dir / "big.cpio.gz";
  std::ofstream(initrd).close();
  std::filesystem::resize_file(initrd, 96u << 20);
  Completed done = minivmm({"boot", "--kernel", debian_kernel(), "--initrd", initrd.string(), "--mem", "160M"});
  expect_one_error_line(done, {"--mem", "the initramfs 96 MiB"});
}

TEST(MinivmmBootBadInput, ACommandLineLongerThanTheKernelTakesNamesTheLimit) {
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  Completed done = minivmm({"boot", "--kernel", debian_kernel(), "--cmdline", std::string(3000, 'x')});
  expect_one_error_line(done, {"--cmdline", "cmdline_size", "2047"});
}

TEST(MinivmmBootBadInput, TooManyVcpusAndABadConsoleAreRefused) {
  expect_one_error_line(minivmm({"boot", "--vcpus", "9"}), {"9 vCPUs", "--vcpus", "between 1 and 8"});
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  expect_one_error_line(minivmm({"boot", "--kernel", debian_kernel(), "--console", "serial"}),
                        {"unknown console", "stdio, file:PATH or none"});
}

TEST(MinivmmBootBadInput, ADiskImageOfPartialSectorsIsRefused) {
  if (debian_kernel().empty()) GTEST_SKIP() << "no kernel in " << assets_dir() << ": make deps";
  TempDir dir = TempDir::create("minivmm-cli-test-").value();
  std::filesystem::path disk = dir / "disk.img";
  std::ofstream(disk) << std::string(1000, '\0');
  Completed done = minivmm({"boot", "--kernel", debian_kernel(), "--disk", disk.string()});
  expect_one_error_line(done, {"--disk", "1000 bytes", "512-byte sectors", "truncate"});
}

}  // namespace
}  // namespace deploylab::hv
