// hypervisor/vmm/vcpu_runner.h: running all of a VM's vCPUs at once, one thread each, with a
// watchdog that stops them (labs 03-04).
//
// Part of vmm/: exit_loop.h runs ONE vCPU until it halts or is told to stop; this file runs them
// all and decides when the whole VM stops: when every vCPU halted, when one of them asks to stop
// the VM (an error, the exit hypercall, a triple fault), when the timeout passes, or when someone
// calls request_stop() (Linux guests: the console said "Power down"). Then the watchdog kicks
// every vCPU out of KVM_RUN (Vcpu::kick) and the threads are joined. Machine (labs 02-03) and
// LinuxMachine (lab 04) both use it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "hypervisor/kvm/vcpu.h"
#include "hypervisor/vmm/exit_loop.h"

namespace deploylab::hv {

struct VcpuRunResult {
  std::vector<VcpuOutcome> outcomes;  // one per vCPU, in vCPU order
  bool timed_out = false;
  bool stop_requested = false;        // request_stop() ended the run
};

// One run per VcpuRunner: a stop, once requested, stays requested.
class VcpuRunner {
 public:
  // Runs every vCPU until the VM must stop (see above); `timeout` 0 means no limit. An error of
  // one vCPU's loop (an ioctl that failed) is the result's error.
  Result<VcpuRunResult> run(std::vector<Vcpu>& vcpus, DeviceBus& bus, const VcpuLoopOptions& options,
                            std::chrono::milliseconds timeout);

  // From any thread, a device's included: stop the VM as soon as possible. Harmless when called
  // before run() (the run then stops at once) or after it ended.
  void request_stop();

 private:
  void finish(std::size_t index, Result<VcpuOutcome> outcome);
  bool watch(std::chrono::milliseconds timeout);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> stop_{false};
  bool requested_ = false;                     // guarded by mutex_
  int running_ = 0;                            // guarded by mutex_
  std::vector<Result<VcpuOutcome>> outcomes_;  // guarded by mutex_
};

}  // namespace deploylab::hv
