// hypervisor/vmhost/outcome_test.cpp: the exit code comes from the guest, or a reason does.
#include "hypervisor/vmhost/outcome.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace deploylab::vmhost {
namespace {

Evidence powered_off() {
  Evidence e;
  e.qemu = ExitStatus{0, 0};
  e.console = "[    1.0] booting\nvmhost-init: ready, mode run\n[    2.0] reboot: Power down\n";
  e.console_path = "/b/vmhost-console.log";
  return e;
}

TEST(Interpret, TheGuestsStatusIsTheExitCode) {
  Evidence e = powered_off();
  e.status = "7\n";
  EXPECT_EQ(interpret(e).value(), 7);
  e.status = "0";
  EXPECT_EQ(interpret(e).value(), 0);
  e.status = "seven";
  EXPECT_FALSE(interpret(e).ok());
}

TEST(Interpret, InitErrorIsReported) {
  Evidence e = powered_off();
  e.init_error = "insmod kvm-amd.ko failed: the initramfs and the kernel do not match; rerun make deps\n";
  std::string msg = interpret(e).error().message();
  EXPECT_NE(msg.find("could not set up: insmod kvm-amd.ko failed"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/b/vmhost-console.log"), std::string::npos) << msg;
}

TEST(Interpret, InitErrorBeforeTheJobDirectoryComesFromTheConsole) {
  Evidence e = powered_off();
  e.console = "[ 3.0] Run /init as init process\r\nvmhost-init: error: insmod kvm-amd.ko failed: rerun make deps\r\n[ 3.2] reboot: Power down\r\n";
  std::string msg = interpret(e).error().message();
  EXPECT_NE(msg.find("could not set up: insmod kvm-amd.ko failed: rerun make deps ("), std::string::npos) << msg;
}

TEST(Interpret, KernelPanicNamesThePanicLine) {
  Evidence e = powered_off();
  e.console = "[ 0.9] VFS: Unable to mount root fs\n[ 1.0] Kernel panic - not syncing: No working init found.\n[ 1.1] ---[ end ]---\n";
  std::string msg = interpret(e).error().message();
  EXPECT_NE(msg.find("kernel panicked: [ 1.0] Kernel panic - not syncing: No working init found."), std::string::npos) << msg;
}

TEST(Interpret, TimeoutAndInterruption) {
  Evidence e = powered_off();
  e.qemu = ExitStatus{-1, SIGKILL};
  e.timed_out = true;
  e.timeout_s = 30;
  EXPECT_NE(interpret(e).error().message().find("did not finish within 30 s"), std::string::npos);
  e.timed_out = false;
  e.interrupted = true;
  EXPECT_NE(interpret(e).error().message().find("interrupted"), std::string::npos);
}

TEST(Interpret, QemuFailureShowsItsStderr) {
  Evidence e = powered_off();
  e.console.clear();
  e.qemu = ExitStatus{1, 0};
  e.qemu_stderr = "qemu-system-x86_64: -kernel /x: could not open kernel file\n";
  std::string msg = interpret(e).error().message();
  EXPECT_NE(msg.find("QEMU exited with code 1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("could not open kernel file"), std::string::npos) << msg;
}

TEST(Interpret, NoStatusAtAllShowsTheConsoleTail) {
  std::string msg = interpret(powered_off()).error().message();
  EXPECT_NE(msg.find("without the command's exit status"), std::string::npos) << msg;
  EXPECT_NE(msg.find("reboot: Power down"), std::string::npos) << msg;
}

TEST(Interpret, AFreezeSaysSoAndHowToRetry) {
  Evidence e = powered_off();
  e.qemu = ExitStatus{-1, SIGKILL};
  e.froze = true;
  e.freeze_report = "no heartbeat for 45 s (the last one was 12)";
  e.attempts = 3;
  std::string msg = interpret(e).error().message();
  EXPECT_NE(msg.find("froze in each of 3 attempts: no heartbeat for 45 s"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--freeze-retries"), std::string::npos) << msg;
  e.status = "0\n";  // the command finished just before the watch gave up: its status counts
  EXPECT_EQ(interpret(e).value(), 0);
}

TEST(LastLines, TakesTheTail) {
  EXPECT_EQ(last_lines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(last_lines("a\nb\n", 5), "a\nb");
}

}  // namespace
}  // namespace deploylab::vmhost
