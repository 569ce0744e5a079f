// bench/isolation/syscall_census_test.cpp: syscall-census run under a filter this test installs,
// one rule per seccomp action, so each of the census's verdicts is checked against a known answer.
// Needs no root: the child sets no_new_privs before its filter, as the census's probes do.
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <functional>

#include "bench/isolation/census_report.h"
#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench::isolation {
namespace {

// Runs in the forked child before exec: keyctl ERRNO(EACCES), acct TRAP, syslog KILL_PROCESS,
// swapon ERRNO(0) (a faked success), sethostname LOG (allowed, and logged), the rest ALLOW.
Result<void> install_known_filter() {
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_keyctl, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_acct, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_syslog, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_swapon, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sethostname, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_LOG),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::os("prctl(PR_SET_NO_NEW_PRIVS)", "", errno);
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return Error::os("seccomp", "", errno);
  return {};
}

// A filter that refuses seccomp() itself (EPERM) and allows the rest: nothing can be counted.
Result<void> refuse_seccomp() {
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Error::os("prctl(PR_SET_NO_NEW_PRIVS)", "", errno);
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return Error::os("seccomp", "", errno);
  return {};
}

Completed run_census(const std::vector<std::string>& args, std::function<Result<void>()> filter = {}) {
  std::vector<std::string> argv = {SYSCALL_CENSUS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = std::chrono::seconds(30);
  options.spawn.before_exec = std::move(filter);
  return run(argv, options).value();
}

TEST(SyscallCensus, UnfilteredEverythingIsReachable) {
  if (read_file_or_empty("/proc/self/status").find("Seccomp:\t0") == std::string::npos) {
    GTEST_SKIP() << "this test itself runs under a seccomp filter: the census cannot see an unfiltered process";
  }
  Completed done = run_census({});
  ASSERT_EQ(done.status.code, 0) << done.err;
  auto counts = find_summary(done.out);
  ASSERT_TRUE(counts) << "expected the summary line, saw:\n" << done.out;
  EXPECT_EQ(counts->blocked, 0) << done.out;
  EXPECT_EQ(counts->reachable, counts->total);
  EXPECT_GT(counts->total, 300);
}

TEST(SyscallCensus, TellsEverySeccompActionApart) {
  Completed done = run_census({"--list"}, install_known_filter);
  ASSERT_EQ(done.status.code, 0) << done.out << done.err;
  std::vector<BlockedCall> blocked = find_blocked(done.out);
  std::vector<BlockedCall> expected = {{"syslog", SYS_syslog, "kill:SIGSYS"},
                                       {"acct", SYS_acct, "trap"},
                                       {"swapon", SYS_swapon, "faked-success"},
                                       {"keyctl", SYS_keyctl, "EACCES"}};
  EXPECT_EQ(blocked, expected) << "sethostname (LOG) must count as reachable; the census printed:\n" << done.out;
  auto counts = find_summary(done.out);
  ASSERT_TRUE(counts) << done.out;
  EXPECT_EQ(counts->blocked, 4);
  EXPECT_EQ(counts->reachable + counts->blocked, counts->total);
}

TEST(SyscallCensus, SaysSoWhenSeccompItselfIsRefused) {
  Completed done = run_census({}, refuse_seccomp);
  EXPECT_EQ(done.status.code, 2) << done.out << done.err;
  EXPECT_EQ(find_summary(done.out), std::nullopt) << "no count may be printed when nothing could be counted";
  EXPECT_NE(done.err.find("cannot count here"), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("EPERM"), std::string::npos) << done.err;
}

TEST(SyscallCensus, RejectsUnknownArguments) {
  Completed done = run_census({"--bogus"});
  EXPECT_EQ(done.status.code, 2);
  EXPECT_NE(done.err.find("usage: syscall-census [--list]"), std::string::npos) << done.err;
}

}  // namespace
}  // namespace deploylab::bench::isolation
