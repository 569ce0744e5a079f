// hypervisor/vmm/vcpu_runner.cpp: one thread per vCPU and a watchdog (see vcpu_runner.h).
#include "hypervisor/vmm/vcpu_runner.h"

#include <thread>

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw

namespace deploylab::hv {

namespace {

// run_vcpu() that cannot throw: in the student kit an unfinished lab task throws NotImplemented,
// which must come back as an error instead of tearing down a thread.
Result<VcpuOutcome> run_vcpu_guarded(Vcpu& vcpu, DeviceBus& bus, const VcpuLoopOptions& options,
                                     const std::atomic<bool>& stop) {
  try {
    return run_vcpu(vcpu, bus, options, stop);
  } catch (const NotImplemented& e) {
    return Error::invalid(e.what(), vcpu.name(), "a lab task that is still to do");
  }
}

}  // namespace

void VcpuRunner::request_stop() {
  std::lock_guard lock(mutex_);
  requested_ = true;
  stop_ = true;
  changed_.notify_all();
}

// A vCPU's run ended. The first one that stops the VM stops the others (through the watchdog).
void VcpuRunner::finish(std::size_t index, Result<VcpuOutcome> outcome) {
  bool stops_vm = !outcome.ok() || outcome.value().end == VcpuOutcome::End::stop_vm;
  std::lock_guard lock(mutex_);
  outcomes_[index] = std::move(outcome);
  --running_;
  if (stops_vm) stop_ = true;
  changed_.notify_all();
}

// The watchdog's wait: until every vCPU ended, the VM must stop, or `timeout` (0: none) passed.
// Returns whether it was the timeout. Afterwards the VM stops.
bool VcpuRunner::watch(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto done = [&] { return running_ == 0 || stop_.load(); };
  bool timed_out = false;
  if (timeout.count() > 0) {
    timed_out = !changed_.wait_for(lock, timeout, done);
  } else {
    changed_.wait(lock, done);
  }
  stop_ = true;
  return timed_out;
}

Result<VcpuRunResult> VcpuRunner::run(std::vector<Vcpu>& vcpus, DeviceBus& bus, const VcpuLoopOptions& options,
                                      std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mutex_);
    running_ = static_cast<int>(vcpus.size());
    outcomes_.clear();
    for (std::size_t i = 0; i < vcpus.size(); ++i) outcomes_.emplace_back(VcpuOutcome{});
  }
  auto run_one = [&](std::size_t index) { finish(index, run_vcpu_guarded(vcpus[index], bus, options, stop_)); };
  std::vector<std::thread> others;
  // BEGIN SOLUTION lab 3: run every vCPU but the first on a thread of its own
  for (std::size_t i = 1; i < vcpus.size(); ++i) others.emplace_back(run_one, i);
  // STUB:
  // if (vcpus.size() > 1) throw deploylab::NotImplemented("lab 3: run every vCPU but the first on a thread of its own");
  // END SOLUTION
  // The watchdog waits for the end or the deadline, then kicks every vCPU out of KVM_RUN.
  VcpuRunResult result;
  std::thread watchdog([&] {
    result.timed_out = watch(timeout);
    for (auto& vcpu : vcpus) vcpu.kick();
  });
  run_one(0);
  // The watchdog goes first: it may still kick vCPU threads, which must not have been joined yet.
  watchdog.join();
  for (auto& thread : others) thread.join();
  std::lock_guard lock(mutex_);
  result.stop_requested = requested_;
  for (auto& outcome : outcomes_) {
    if (!outcome.ok()) return std::move(outcome).error();
    result.outcomes.push_back(std::move(outcome).value());
  }
  return result;
}

}  // namespace deploylab::hv
