// bench/boot/boot_probe.cpp: one boot, watched from outside (boot_probe.h).
#include "bench/boot/boot_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <fstream>

#include "bench/boot/console_scanner.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kPollMs = 20;  // wake-ups cost the guest CPU time inside vmhost; pipes wake poll() at once
constexpr std::size_t kErrorTextLimit = 64 * 1024;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Appends whatever a non-blocking fd has now to `sink` (up to `limit` bytes kept). At EOF the fd
// is closed: poll() would otherwise report the hang-up at once, every time, and the 5 ms loop
// would spin and take CPU from the guest it is timing.
void read_available(UniqueFd& fd, std::string& sink, std::size_t limit = SIZE_MAX) {
  char buffer[4096];
  while (fd.valid()) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) fd.reset();
    if (n <= 0) return;
    sink.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), limit - std::min(limit, sink.size())));
  }
}

void set_nonblocking(const UniqueFd& fd) {
  if (fd.valid()) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
}

// True when `pid` no longer runs: no /proc entry, or a zombie its parent has not reaped yet.
bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  std::size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) == "Z";
}

std::optional<MemorySplit> sample_memory(pid_t pid, std::uint64_t guest_ram_bytes) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/smaps");
  if (!text) return std::nullopt;
  return split_guest_ram(parse_smaps(text.value()), guest_ram_bytes);
}

// The state of one boot while it runs; run() is the loop boot_probe.h describes.
class Probe {
 public:
  explicit Probe(const ProbeSpec& spec) : spec_(spec), console_(spec.marker) {
    if (!spec.collect_tag.empty()) console_.collect_lines_with(spec.collect_tag);
  }

  Result<ProbeResult> run();

 private:
  void read_console();
  void note_marker_if_seen(bool seen_now);
  bool check_launcher();  // true: the boot is over
  bool check_vmm();       // true: the boot is over
  void finish();

  const ProbeSpec& spec_;
  ConsoleScanner console_;
  ProbeResult result_{kNaN, kNaN, std::nullopt, "", -1, {}};
  ChildProcess launcher_;
  Clock::time_point t0_;
  std::string errors_;         // the launcher's stderr
  UniqueFd console_fd_;        // ConsoleSource::file
  std::optional<ExitStatus> vmm_status_;  // when the launcher is the VMM
};

Result<ProbeResult> Probe::run() {
  SpawnOptions options;
  options.out = Stream::pipe;
  options.err = Stream::pipe;
  t0_ = Clock::now();
  launcher_ = DL_TRY(ChildProcess::spawn(spec_.argv, std::move(options)));
  set_nonblocking(launcher_.stdout_fd());
  set_nonblocking(launcher_.stderr_fd());
  if (spec_.vmm_pid_file.empty()) result_.vmm_pid = launcher_.pid();
  while (true) {
    pollfd fds[2] = {{launcher_.stdout_fd().get(), POLLIN, 0}, {launcher_.stderr_fd().get(), POLLIN, 0}};
    ::poll(fds, 2, kPollMs);
    read_console();
    read_available(launcher_.stderr_fd(), errors_, kErrorTextLimit);
    if (check_launcher() || check_vmm()) break;
    if (spec_.interrupted != nullptr && spec_.interrupted->load()) {
      result_.failure = "interrupted";
      break;
    }
    if (ms_since(t0_) > static_cast<double>(spec_.timeout.count())) {
      result_.failure = "timed out after " + std::to_string(spec_.timeout.count() / 1000) +
                        " s; last console lines: " + console_.last_lines();
      break;
    }
  }
  finish();
  result_.tagged = console_.collected();
  return std::move(result_);
}

void Probe::read_console() {
  std::string chunk;
  if (spec_.console == ConsoleSource::launcher_stdout) {
    read_available(launcher_.stdout_fd(), chunk);
  } else {
    // The file appears when the VMM starts; kept open, each read() returns what was added.
    if (!console_fd_.valid()) console_fd_.reset(::open(spec_.console_file.c_str(), O_RDONLY | O_CLOEXEC));
    char buffer[4096];
    ssize_t n;
    while (console_fd_.valid() && (n = ::read(console_fd_.get(), buffer, sizeof buffer)) > 0) {
      chunk.append(buffer, static_cast<std::size_t>(n));
    }
    read_available(launcher_.stdout_fd(), errors_, kErrorTextLimit);  // virsh's chatter
  }
  note_marker_if_seen(console_.feed(chunk));
}

// The marker just appeared: note the time and what the VMM holds in memory at this moment.
void Probe::note_marker_if_seen(bool seen_now) {
  if (!seen_now) return;
  result_.init_ms = ms_since(t0_);
  if (result_.vmm_pid > 0) result_.memory = sample_memory(result_.vmm_pid, spec_.guest_ram_bytes);
}

// The launcher ended. When it is the VMM, the boot is over; when it only started the VMM
// (virsh create), it must have succeeded, and the VMM's PID is read now.
bool Probe::check_launcher() {
  if (!launcher_.running()) return false;
  auto status = launcher_.try_wait();
  if (!status || !status.value()) return false;
  ExitStatus exit = *status.value();
  if (spec_.vmm_pid_file.empty()) {
    result_.exit_ms = ms_since(t0_);
    vmm_status_ = exit;
    return true;
  }
  read_available(launcher_.stderr_fd(), errors_, kErrorTextLimit);
  if (!exit.success()) {
    result_.failure = exit.describe() + ": " + first_error_line(errors_);
    return true;
  }
  auto pid_text = read_file(spec_.vmm_pid_file);
  if (!pid_text) {
    result_.failure = "no VMM pid file " + spec_.vmm_pid_file.string() + " after the launcher succeeded";
    return true;
  }
  result_.vmm_pid = std::stoi(pid_text.value());
  return false;
}

// The VMM the launcher started (libvirt's QEMU) has exited.
bool Probe::check_vmm() {
  if (spec_.vmm_pid_file.empty() || result_.vmm_pid <= 0 || !process_gone(result_.vmm_pid)) return false;
  result_.exit_ms = ms_since(t0_);
  return true;
}

// Reads the console's last bytes and says what went wrong, if anything did.
void Probe::finish() {
  if (launcher_.running()) (void)launcher_.kill(SIGKILL);  // a timeout: the VMM goes too
  read_console();
  note_marker_if_seen(console_.finish());
  if (!result_.failure.empty()) return;
  if (vmm_status_ && !vmm_status_->success()) {
    std::string why = errors_.empty() ? console_.last_lines() : first_error_line(errors_);
    result_.failure = "exit " + (vmm_status_->exited() ? std::to_string(vmm_status_->code) : vmm_status_->describe()) +
                      ": " + why;
    return;
  }
  if (!console_.seen()) result_.failure = "no \"" + spec_.marker + "\" on the console; last lines: " + console_.last_lines();
}

}  // namespace

Result<ProbeResult> probe_boot(const ProbeSpec& spec) {
  Probe probe(spec);
  return probe.run();
}

}  // namespace deploylab::bench
