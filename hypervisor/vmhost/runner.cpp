// hypervisor/vmhost/runner.cpp: one boot of the test host (see runner.h).
#include "hypervisor/vmhost/runner.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "common/file_io.h"
#include "common/log.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "hypervisor/vmhost/freeze_watch.h"
#include "hypervisor/vmhost/outcome.h"

namespace deploylab::vmhost {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_stop_requested{false};

void request_stop(int) { g_stop_requested = true; }

// While alive, SIGINT and SIGTERM set g_stop_requested (and interrupt poll) instead of killing
// vmhost, so it can stop QEMU before it goes: otherwise QEMU would outlive it.
class StopSignals {
 public:
  StopSignals() {
    struct sigaction action{};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    g_stop_requested = false;
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_{}, old_term_{};
};

Result<void> check_present(const fs::path& file, const std::string& what) {
  if (fs::exists(file)) return {};
  return Error::os("opening the " + what, file.string(), ENOENT, "run `make deps`: it prepares the test host's kernel and initramfs");
}

std::optional<std::string> read_if_present(const fs::path& file) {
  auto text = read_file(file);
  if (!text.ok()) return std::nullopt;
  return std::move(text).value();
}

// Waits for QEMU while collecting its stderr; kills it at the deadline, on ^C, or when the
// heartbeat says the test host froze (freeze_watch.h).
Result<Evidence> supervise(ChildProcess& qemu, Clock::time_point deadline, bool has_deadline, const fs::path& heartbeat,
                           FreezeWatch& watch) {
  Evidence e;
  UniqueFd& err = qemu.stderr_fd();
  auto next_look = Clock::now();
  while (err.valid()) {
    pollfd fd{err.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, 200);
    if (ready > 0) {
      char buffer[4096];
      ssize_t n = ::read(err.get(), buffer, sizeof(buffer));
      if (n <= 0 && !(n < 0 && errno == EINTR)) err.reset();
      if (n > 0 && e.qemu_stderr.size() < (64u << 10)) e.qemu_stderr.append(buffer, static_cast<std::size_t>(n));
    }
    auto now = Clock::now();
    bool late = has_deadline && now > deadline;
    if (now >= next_look && !e.froze) {
      next_look = now + std::chrono::seconds(1);
      if (watch.frozen_after(now, read_if_present(heartbeat))) {
        e.froze = true;
        e.freeze_report = watch.describe(now);
      }
    }
    if ((late || g_stop_requested || e.froze) && qemu.running()) {
      e.timed_out = late;
      e.interrupted = g_stop_requested;
      DL_TRY(qemu.kill(SIGKILL));
      err.reset();
    }
  }
  e.qemu = DL_TRY(qemu.wait());
  return e;
}

// One boot of the test host: a fresh job directory, QEMU, and the evidence it left.
Result<Evidence> boot_once(const VmhostRun& request, Clock::time_point deadline) {
  QemuConfig config = request.qemu;
  TempDir job = DL_TRY(TempDir::create("vmhost-job-"));
  config.job_dir = job.path();
  config.console_log = job / "console.log";
  DL_TRY(write_file_atomic(job / "run.sh", render_job_script(request.job)));

  std::vector<std::string> argv = qemu_argv(config);
  spdlog::debug("starting the test host: {}", shell_words(argv));
  SpawnOptions options;
  options.in = config.mode == Mode::shell ? Stream::inherit : Stream::null;
  options.out = Stream::inherit;
  options.err = Stream::pipe;
  options.own_process_group = false;  // QEMU must stay in the terminal's foreground group to read it
  FreezeWatch watch(request.freeze_limits, Clock::now());
  ChildProcess qemu = DL_TRY(ChildProcess::spawn(argv, options).context("starting the test host"));
  Evidence evidence = DL_TRY(supervise(qemu, deadline, request.timeout.count() > 0, job / "heartbeat", watch));
  evidence.timeout_s = static_cast<double>(request.timeout.count());
  evidence.status = read_if_present(job / "status");
  evidence.init_error = read_if_present(job / "init-error");
  evidence.console = read_if_present(config.console_log).value_or("");
  if (!evidence.status && !request.keep_console_as.empty()) {
    std::error_code ec;
    fs::copy_file(config.console_log, request.keep_console_as, fs::copy_options::overwrite_existing, ec);
    if (!ec) evidence.console_path = request.keep_console_as.string();
  }
  return evidence;
}

}  // namespace

Result<int> run_vmhost(VmhostRun request) {
  DL_TRY(check_present(request.qemu.kernel, "test host's kernel"));
  DL_TRY(check_present(request.qemu.initramfs, "test host's initramfs"));
  StopSignals stop_signals;
  auto deadline = Clock::now() + request.timeout;  // for all the attempts together
  int attempts = 1 + std::max(0, request.freeze_retries);
  for (int attempt = 1;; ++attempt) {
    Evidence evidence = DL_TRY(boot_once(request, deadline));
    // A frozen test host says nothing about the command, so it runs again from the start in a
    // fresh test host (its first attempt's output has already gone to the caller).
    if (evidence.froze && !evidence.status && attempt < attempts && !g_stop_requested) {
      spdlog::warn("the test host froze ({}): a known fault of QEMU's emulated AMD-V; running the command again in a "
                   "fresh test host (attempt {} of {})", evidence.freeze_report, attempt + 1, attempts);
      continue;
    }
    evidence.attempts = attempt;
    return interpret(evidence);
  }
}

}  // namespace deploylab::vmhost
