// hypervisor/vmhost/runner.cpp: one boot of the test host (see runner.h).
#include "hypervisor/vmhost/runner.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "common/file_io.h"
#include "common/log.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
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

// Waits for QEMU while collecting its stderr; kills it at the deadline or on ^C.
Result<Evidence> supervise(ChildProcess& qemu, std::chrono::seconds timeout) {
  Evidence e;
  e.timeout_s = static_cast<double>(timeout.count());
  auto deadline = Clock::now() + timeout;
  UniqueFd& err = qemu.stderr_fd();
  while (err.valid()) {
    pollfd fd{err.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, 200);
    if (ready > 0) {
      char buffer[4096];
      ssize_t n = ::read(err.get(), buffer, sizeof(buffer));
      if (n <= 0 && !(n < 0 && errno == EINTR)) err.reset();
      if (n > 0 && e.qemu_stderr.size() < (64u << 10)) e.qemu_stderr.append(buffer, static_cast<std::size_t>(n));
    }
    bool late = timeout.count() > 0 && Clock::now() > deadline;
    if ((late || g_stop_requested) && qemu.running()) {
      e.timed_out = late;
      e.interrupted = g_stop_requested;
      DL_TRY(qemu.kill(SIGKILL));
      err.reset();
    }
  }
  e.qemu = DL_TRY(qemu.wait());
  return e;
}

}  // namespace

Result<int> run_vmhost(VmhostRun request) {
  QemuConfig& config = request.qemu;
  DL_TRY(check_present(config.kernel, "test host's kernel"));
  DL_TRY(check_present(config.initramfs, "test host's initramfs"));
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
  StopSignals stop_signals;
  ChildProcess qemu = DL_TRY(ChildProcess::spawn(argv, options).context("starting the test host"));
  Evidence evidence = DL_TRY(supervise(qemu, request.timeout));

  evidence.status = read_if_present(job / "status");
  evidence.init_error = read_if_present(job / "init-error");
  evidence.console = read_if_present(config.console_log).value_or("");
  if (!evidence.status && !request.keep_console_as.empty()) {
    std::error_code ec;
    fs::copy_file(config.console_log, request.keep_console_as, fs::copy_options::overwrite_existing, ec);
    if (!ec) evidence.console_path = request.keep_console_as.string();
  }
  return interpret(evidence);
}

}  // namespace deploylab::vmhost
