// labs/04-boot-linux/lab04_support.h: what lab 04's KVM tests share: a LinuxMachine booting the
// Debian kernel and busybox initramfs that `make deps` unpacked, on a thread of its own, with its
// serial console captured so a test can wait for a line, type a command, and collect the report.
// Every wait has a deadline: a guest that never answers fails its test instead of hanging it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/build_tree.h"
#include "hypervisor/vmm/linux_machine.h"

namespace deploylab::hv {

using namespace std::chrono_literals;

// Generous: inside the vmhost test host the kernel is emulated, and a boot takes 15-30 s.
inline constexpr std::chrono::seconds kBootTimeout{300};

// The Debian kernel and initramfs of `make deps` (build/assets, or $DEPLOYLAB_ASSETS), 256 MiB,
// one vCPU, the default command line plus `append`.
inline LinuxMachineConfig lab_config(const std::vector<std::string>& append = {}) {
  LinuxMachineConfig config;
  const std::filesystem::path assets = default_assets_dir();
  config.kernel = assets / "kernel/vmlinuz";
  config.initrd = assets / "initramfs.cpio.gz";
  for (const auto& word : append) config.cmdline += " " + word;
  config.timeout = kBootTimeout;
  return config;
}

// A booting guest and its console.
class GuestSession {
 public:
  explicit GuestSession(LinuxMachineConfig config) {
    config.console = [this](std::string_view bytes) {
      std::lock_guard lock(mutex_);
      console_.append(bytes);
      changed_.notify_all();
    };
    auto machine = LinuxMachine::create(std::move(config));
    if (!machine.ok()) {
      ADD_FAILURE() << "LinuxMachine::create failed: " << machine.error().message();
      return;
    }
    machine_ = std::move(machine).value();
    thread_ = std::thread([this] {
      auto report = machine_->run();
      std::lock_guard lock(mutex_);
      if (report.ok()) {
        report_ = std::move(report).value();
      } else {
        run_error_ = report.error().message();
      }
      finished_ = true;
      changed_.notify_all();
    });
  }

  ~GuestSession() {
    if (machine_) machine_->stop();
    if (thread_.joinable()) thread_.join();
  }

  bool started() const { return machine_ != nullptr; }

  // Waits until `text` appears on the console after what earlier waits consumed.
  bool wait_for(const std::string& text, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    bool seen = changed_.wait_for(lock, timeout, [&] { return console_.find(text, searched_from_) != std::string::npos || finished_; });
    std::size_t at = console_.find(text, searched_from_);
    if (!seen || at == std::string::npos) return false;
    searched_from_ = at + text.size();
    return true;
  }

  // Types `line` and Enter at the guest's console.
  void type_line(const std::string& line) {
    std::string bytes = line + "\r";
    machine_->type(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  }

  // Waits for the run to end (stopping the guest after `timeout`) and returns its report.
  LinuxBootReport finish(std::chrono::seconds timeout) {
    {
      std::unique_lock lock(mutex_);
      if (!changed_.wait_for(lock, timeout, [&] { return finished_; })) {
        lock.unlock();
        machine_->stop();
      }
    }
    thread_.join();
    std::lock_guard lock(mutex_);
    EXPECT_EQ(run_error_, "") << "LinuxMachine::run() failed";
    return report_;
  }

  std::string console() {
    std::lock_guard lock(mutex_);
    return console_;
  }
  LinuxMachine& machine() { return *machine_; }

 private:
  std::unique_ptr<LinuxMachine> machine_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string console_;
  std::size_t searched_from_ = 0;
  bool finished_ = false;
  LinuxBootReport report_;
  std::string run_error_;
};

// How a boot ended, for failure messages: the end, the message, and the console's last lines.
inline std::string describe(const LinuxBootReport& report, const std::string& console) {
  std::string text = "the run ended: " + to_string(report.end) + " (" + report.message + ")";
  if (!report.register_dump.empty()) text += "\nregisters:\n" + report.register_dump;
  const std::size_t tail = console.size() > 3000 ? console.size() - 3000 : 0;
  return text + "\nthe console (last 3000 bytes):\n" + console.substr(tail);
}

}  // namespace deploylab::hv
