// hypervisor/vmhost/outcome.h: what happened inside the test host, from what it left behind.
//
// The guest's init writes the command's exit status to job/status, so vmhost exits with the
// command's own code, never a guess from the console. When there is no status, the evidence says
// why: init's own complaint (job/init-error, or its console line when it failed before the job
// directory was mounted), a kernel panic on the console, our timeout, or QEMU
// failing to start. Pure: the evidence in, an exit code or an Error that says what to do out.
#pragma once

#include <optional>
#include <string>

#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::vmhost {

struct Evidence {
  std::optional<std::string> status;      // job/status, if the guest wrote it
  std::optional<std::string> init_error;  // job/init-error, if init gave up
  std::string console;                    // the kernel console (ttyS0)
  std::string qemu_stderr;
  ExitStatus qemu;
  bool timed_out = false;
  double timeout_s = 0;
  bool interrupted = false;               // ^C or SIGTERM reached vmhost
  bool froze = false;                     // the heartbeat stopped (freeze_watch.h)
  std::string freeze_report;              // what the watch saw
  int attempts = 1;                       // test hosts booted for this command
  std::string console_path;               // where the console log was kept, for the messages
};

// The command's exit code, or the reason there is none.
Result<int> interpret(const Evidence& evidence);

// The last `count` lines of `text`, for error messages.
std::string last_lines(const std::string& text, int count);

}  // namespace deploylab::vmhost
