// tests/hypervisor/minivmm_guest_test.cpp: `minivmm` running the real guests (hypervisor/guests/)
// end to end, as a student runs it: what it prints, where (guest output on stdout, minivmm's
// report on stderr) and the exit code. Needs a /dev/kvm that runs guests: CTest runs this binary
// through `vmhost auto` (natively on hardware KVM, else inside the test host). Under kvm_pvm a
// VMCALL/VMMCALL hangs KVM_RUN, so never run this binary there directly.
#include <cstdlib>
#include <regex>

#include "tests/hypervisor/minivmm_runner.h"

namespace deploylab::hv {
namespace {

using namespace std::chrono_literals;

// Generous: inside vmhost every guest instruction is emulated by QEMU TCG.
constexpr auto kGuestTimeout = 120s;

Completed minivmm(std::vector<std::string> args, std::chrono::milliseconds timeout = kGuestTimeout) {
  Completed done = run_minivmm(std::move(args), timeout);
  EXPECT_FALSE(done.timed_out) << "minivmm did not finish within " << timeout.count() << " ms\n" << transcript(done);
  return done;
}

// The first line of `text` that starts with `prefix`, or "" if none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& line : lines_of(text)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The count column of the --stats table row for `kind` ("port write (OUT)  22  95.7%" -> "22").
std::string stats_count(const std::string& table, const std::string& kind) {
  std::string line = line_starting(table, kind);
  if (line.empty()) return "<no row>";
  std::istringstream rest(line.substr(kind.size()));
  std::string count;
  rest >> count;
  return count;
}

bool in_vmhost() {
  const char* mark = std::getenv("DEPLOYLAB_IN_VMHOST");
  return mark != nullptr && std::string(mark) == "1";
}

TEST(MinivmmRunGuest, HelloPrintsItsGreetingAndHalts) {
  Completed done = minivmm({"run-guest", built_guest("hello"), "--stats"});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 0) << "a guest that halts exits 0";
  EXPECT_EQ(done.out.rfind("Hello from the guest!\n", 0), 0u) << "the guest's output comes first, on stdout, as written";
  EXPECT_NE(done.err.find("minivmm: every vCPU halted after "), std::string::npos);
  // One OUT per byte of "Hello from the guest!\n" (22 bytes), then the HLT.
  EXPECT_EQ(stats_count(done.out, "port write (OUT)"), "22");
  EXPECT_EQ(stats_count(done.out, "HLT"), "1");
  EXPECT_EQ(stats_count(done.out, "total"), "23");
}

TEST(MinivmmRunGuest, BareNameFindsTheBuiltGuestAndNoStatsMeansNoTable) {
  Completed done = minivmm({"run-guest", "hello"});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 0);
  EXPECT_EQ(done.out, "Hello from the guest!\n") << "without --stats stdout is the guest's output only";
}

TEST(MinivmmRunGuest, ExitHypercallBecomesTheExitCode) {
  Completed done = minivmm({"run-guest", built_guest("port_hypercalls")});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 7) << "port_hypercalls ends with DL_HC_EXIT(7)";
  EXPECT_NE(done.out.find("hello via hypercall\n"), std::string::npos) << "DL_HC_PRINT's text goes to stdout";
  EXPECT_NE(done.err.find("the guest exited with code 7"), std::string::npos);
}

TEST(MinivmmRunGuest, TimeoutStopsASpinningGuestAndSaysWhere) {
  Completed done = minivmm({"run-guest", built_guest("spin"), "--timeout", "0.5"}, 30s);
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 124) << "a timeout exits 124, like timeout(1)";
  EXPECT_LT(done.elapsed, 10s) << "--timeout 0.5 must stop the guest in well under 10 s";
  EXPECT_EQ(done.out, "spinning\n");
  EXPECT_NE(done.err.find("error: the guest did not stop within 500 ms"), std::string::npos);
  std::smatch where;
  ASSERT_TRUE(std::regex_search(done.err, where, std::regex("vcpu 0 at RIP (0x[0-9a-f]+)")))
      << "the message must say where the guest was spinning";
  std::uint64_t rip = std::stoull(where[1].str(), nullptr, 16);
  EXPECT_GE(rip, 0x8000u) << "spin loops inside its own image, which starts at 0x8000";
  EXPECT_LT(rip, 0x8100u);
  EXPECT_NE(done.err.find("--timeout"), std::string::npos) << "the message must say what to do";
}

TEST(MinivmmRunGuest, UnmappedReadIsAnErrorNamingTheAddress) {
  Completed done = minivmm({"run-guest", built_guest("unmapped")});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 1);
  EXPECT_EQ(done.out, "touching the hole\n");
  std::string line = line_starting(done.err, "minivmm: error:");
  EXPECT_NE(line.find("0xb0000"), std::string::npos) << "the error must name the address: " << line;
  EXPECT_NE(line.find("neither RAM nor a device"), std::string::npos) << line;
}

TEST(MinivmmRunGuest, UnmappedReadGoesOnWithAllowUnmapped) {
  Completed done = minivmm({"run-guest", built_guest("unmapped"), "--allow-unmapped"});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 0) << "with --allow-unmapped the guest reads on and halts";
  EXPECT_NE(done.err.find("unclaimed read of MMIO 0xb0000"), std::string::npos) << "the access must still be reported";
}

TEST(MinivmmRunGuest, TripleFaultIsAnErrorWithARegisterDump) {
  Completed done = minivmm({"run-guest", built_guest("triple_fault")});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 1);
  EXPECT_EQ(done.out, "fault\n");
  EXPECT_NE(done.err.find("triple fault"), std::string::npos);
  EXPECT_NE(done.err.find("\nrip="), std::string::npos) << "a crash report must include the registers";
  EXPECT_NE(done.err.find("\ncs="), std::string::npos);
  EXPECT_EQ(count_of(done.err, "error:"), 1u) << "one error line, then the dump";
}

TEST(MinivmmRunGuest, ThreeVcpusInLongModeAllReport) {
  Completed done = minivmm({"run-guest", built_guest("vcpus"), "--mode", "long", "--vcpus", "3"});
  SCOPED_TRACE(transcript(done));
  EXPECT_EQ(done.status.code, 0) << "every vCPU returns 0 from guest_main, so all halt";
  for (int id = 0; id < 3; ++id) {
    std::string line = "vCPU " + std::to_string(id) + " of 3 reporting\n";
    EXPECT_EQ(count_of(done.out, line), 1u) << "expected the line `" << line.substr(0, line.size() - 1) << "` once";
  }
  EXPECT_EQ(lines_of(done.out).size(), 3u) << "lines from different vCPUs must not mix";
}

TEST(MinivmmBenchExits, ShortRunMeasuresEveryRow) {
  Completed done = minivmm({"bench-exits", "--repeats", "3", "--batch-ms", "5"}, 600s);
  SCOPED_TRACE(transcript(done));
  ASSERT_EQ(done.status.code, 0);
  for (const char* row : {"host function call", "host syscall (getpid)", "hypercall answered inside KVM",
                          "port I/O exit to minivmm (OUT)", "MMIO exit to minivmm (write)", "port I/O exit, bare KVM_RUN loop"}) {
    EXPECT_FALSE(line_starting(done.out, row).empty()) << "no row `" << row << "`";
  }
  EXPECT_NE(done.out.find("3 batches per row"), std::string::npos);
  EXPECT_NE(done.out.find("minivmm's exit dispatch adds "), std::string::npos) << "the overhead line is missing";
  if (in_vmhost()) {
    EXPECT_NE(done.out.find("inside vmhost"), std::string::npos) << "the header must say the numbers come from vmhost";
    std::string hypercall = line_starting(done.out, "hypercall answered inside KVM");
    EXPECT_TRUE(std::regex_search(hypercall, std::regex(R"(^hypercall answered inside KVM \(vmm?call\) )")))
        << "the row must name the instruction: " << hypercall;
    EXPECT_EQ(hypercall.find("skipped"), std::string::npos) << "inside vmhost the kernel hypercall is measured: " << hypercall;
  }
}

}  // namespace
}  // namespace deploylab::hv
