// hypervisor/vmhost/runner.h: boot the test host, run one job in it, and come back with the
// job's exit code. The steps (runner.cpp): check the kernel and initramfs are there, write
// run.sh into a fresh job directory, start QEMU (qemu_command.h) with the caller's stdout, wait
// for it with a timeout while collecting its stderr, then read what the guest left behind and
// judge it (outcome.h). ^C or SIGTERM stop QEMU too: nothing is left running. While QEMU runs,
// the guest's heartbeat is watched (freeze_watch.h): a frozen test host is stopped and, in run
// mode, the command runs again in a fresh one, up to freeze_retries times.
#pragma once

#include <chrono>
#include <filesystem>

#include "common/result.h"
#include "hypervisor/vmhost/freeze_watch.h"
#include "hypervisor/vmhost/job.h"
#include "hypervisor/vmhost/qemu_command.h"

namespace deploylab::vmhost {

struct VmhostRun {
  QemuConfig qemu;                          // job_dir and console_log are filled in by run_vmhost
  Job job;
  std::chrono::seconds timeout{0};          // 0: no limit (all the attempts together)
  FreezeWatchLimits freeze_limits;          // when a silent heartbeat means a frozen test host
  int freeze_retries = 0;                   // fresh test hosts to try after a freeze (run mode)
  std::filesystem::path keep_console_as;    // on failure the console log is copied here
};

Result<int> run_vmhost(VmhostRun request);

}  // namespace deploylab::vmhost
