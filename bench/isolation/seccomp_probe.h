// bench/isolation/seccomp_probe.h: asks the kernel whether the seccomp filters in force let one
// system call through, without ever executing it. The trick is explained in syscall_census.cpp's
// header; this is its machinery. Plain C++ (no deploylab library): it runs in a busybox container
// and in a VM guest, linked statically.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "bench/isolation/census_report.h"

namespace deploylab::bench::isolation {

// Why no probe can be made at all here: which step failed, its errno, and what that means.
struct ProbeSetupError {
  std::string step;  // "seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER)"
  int error = 0;
  std::string meaning;
};

// Owns the one shared page through which a probe tells us its listener's descriptor number.
class SeccompProber {
 public:
  static std::variant<SeccompProber, ProbeSetupError> create();
  ~SeccompProber();
  SeccompProber(SeccompProber&& other) noexcept;
  SeccompProber& operator=(SeccompProber&&) = delete;
  SeccompProber(const SeccompProber&) = delete;
  SeccompProber& operator=(const SeccompProber&) = delete;

  // Probes system call `number` with all-zero arguments in a child of ours. Either the outcome,
  // or why seccomp user notification cannot be used here at all.
  std::variant<ProbeResult, ProbeSetupError> probe(int number, std::chrono::milliseconds timeout);

  struct Slot;  // the shared page (seccomp_probe.cpp)

 private:
  using Clock = std::chrono::steady_clock;
  // Whether the probe's filter got in place; `error` says why not when it failed. A fast probe
  // may already have made its call and exited by the time we look: then `ended` is its wait status.
  enum class Filter { in_place, timed_out, failed };
  struct Installed {
    Filter filter = Filter::failed;
    ProbeSetupError error;
    std::optional<int> ended;
  };

  explicit SeccompProber(Slot* slot) : slot_(slot) {}
  Installed wait_for_filter(pid_t pid, Clock::time_point deadline);
  ProbeResult await_verdict(int number, pid_t pid, int listener, Clock::time_point deadline);
  Slot* slot_ = nullptr;
};

}  // namespace deploylab::bench::isolation
