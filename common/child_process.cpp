// common/child_process.cpp: fork/exec, waiting and killing for ChildProcess (see child_process.h).
#include "common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace deploylab {
namespace {

// What the child reports through the exec-error pipe when it cannot exec.
struct ChildFailure {
  int code = 0;
  char message[512] = {};
};

Result<std::pair<UniqueFd, UniqueFd>> make_pipe(const char* what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error::os("pipe2", what, errno, "too many open files? check `ulimit -n`");
  return std::pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// The parent's environment with `overrides` ("NAME=value") applied.
std::vector<std::string> merged_environment(const std::vector<std::string>& overrides) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (const auto& entry : overrides) vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> out;
  for (auto& [name, entry] : vars) out.push_back(std::move(entry));
  return out;
}

std::vector<char*> as_c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void fail_in_child(int report_fd, int code, const std::string& message) {
  ChildFailure failure;
  failure.code = code;
  std::strncpy(failure.message, message.c_str(), sizeof(failure.message) - 1);
  [[maybe_unused]] auto n = ::write(report_fd, &failure, sizeof(failure));
  ::_exit(127);
}

// Points child fd `target` at `stream`: the pipe end, /dev/null, or leaves it alone.
void wire_stream(Stream stream, int pipe_end, int target, int report_fd) {
  if (stream == Stream::inherit) return;
  int fd = pipe_end;
  if (stream == Stream::null) fd = ::open("/dev/null", O_RDWR);
  if (fd < 0 || ::dup2(fd, target) < 0) fail_in_child(report_fd, errno, "redirecting a standard stream");
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) {
    const char* abbrev = sigabbrev_np(signal);
    return "killed by SIG" + std::string(abbrev ? abbrev : std::to_string(signal).c_str()) + " (" +
           strsignal(signal) + ")";
  }
  return "exited with code " + std::to_string(code);
}

ExitStatus ExitStatus::from_wait_status(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) s.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) s.signal = WTERMSIG(status);
  return s;
}

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv, SpawnOptions options) {
  if (argv.empty()) return Error::invalid("spawning a process with an empty command line");
  auto [report_read, report_write] = DL_TRY(make_pipe("exec error report"));
  std::pair<UniqueFd, UniqueFd> in, out, err;
  if (options.in == Stream::pipe) in = DL_TRY(make_pipe("child stdin"));
  if (options.out == Stream::pipe) out = DL_TRY(make_pipe("child stdout"));
  if (options.err == Stream::pipe && !options.stderr_to_stdout) err = DL_TRY(make_pipe("child stderr"));

  // Everything the child needs is prepared before fork: after fork only syscalls are safe.
  std::vector<std::string> args = argv;
  std::vector<std::string> env = merged_environment(options.env);
  std::vector<char*> c_args = as_c_strings(args);
  std::vector<char*> c_env = as_c_strings(env);

  pid_t pid = ::fork();
  if (pid < 0) return Error::os("fork", argv[0], errno, "too many processes? check `ulimit -u`");
  if (pid == 0) {
    int report = report_write.get();
    if (options.own_process_group) ::setpgid(0, 0);
    wire_stream(options.in, in.first.get(), STDIN_FILENO, report);
    wire_stream(options.out, out.second.get(), STDOUT_FILENO, report);
    if (options.stderr_to_stdout) {
      if (::dup2(STDOUT_FILENO, STDERR_FILENO) < 0) fail_in_child(report, errno, "dup2 stderr");
    } else {
      wire_stream(options.err, err.second.get(), STDERR_FILENO, report);
    }
    if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
      fail_in_child(report, errno, "chdir `" + options.cwd + "`");
    }
    if (options.before_exec) {
      auto prepared = options.before_exec();
      if (!prepared.ok()) fail_in_child(report, prepared.error().code, prepared.error().message());
    }
    ::signal(SIGPIPE, SIG_DFL);
    ::execvpe(c_args[0], c_args.data(), c_env.data());
    fail_in_child(report, errno, "execvp `" + argv[0] + "`");
  }

  ChildProcess child;
  child.pid_ = pid;
  child.group_leader_ = options.own_process_group;
  if (options.own_process_group) ::setpgid(pid, pid);  // also in the parent: no race with kill()
  child.in_ = std::move(in.second);
  child.out_ = std::move(out.first);
  child.err_ = std::move(err.first);
  report_write.reset();

  ChildFailure failure;
  ssize_t n;
  do n = ::read(report_read.get(), &failure, sizeof(failure));
  while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof(failure))) {
    (void)child.wait();
    Error e = Error::os(failure.message, "", failure.code);
    if (failure.code == ENOENT) e.hint = "is `" + argv[0] + "` installed and on PATH? (make deps installs the kit's tools)";
    return e;
  }
  return child;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      group_leader_(other.group_leader_),
      status_(std::exchange(other.status_, std::nullopt)),
      in_(std::move(other.in_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    group_leader_ = other.group_leader_;
    status_ = std::exchange(other.status_, std::nullopt);
    in_ = std::move(other.in_);
    out_ = std::move(other.out_);
    err_ = std::move(other.err_);
  }
  return *this;
}

Result<ExitStatus> ChildProcess::wait() {
  if (status_) return *status_;
  if (pid_ <= 0) return Error::invalid("waiting for a child that was never started");
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return Error::os("waitpid", std::to_string(pid_), errno);
  }
  status_ = ExitStatus::from_wait_status(status);
  return *status_;
}

Result<std::optional<ExitStatus>> ChildProcess::try_wait() {
  if (status_) return std::optional<ExitStatus>(*status_);
  if (pid_ <= 0) return Error::invalid("waiting for a child that was never started");
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r < 0) return Error::os("waitpid", std::to_string(pid_), errno);
  if (r == 0) return std::optional<ExitStatus>();
  status_ = ExitStatus::from_wait_status(status);
  return std::optional<ExitStatus>(*status_);
}

Result<void> ChildProcess::kill(int sig) {
  if (!running()) return {};
  pid_t target = group_leader_ ? -pid_ : pid_;
  if (::kill(target, sig) != 0 && errno != ESRCH) return Error::os("kill", std::to_string(target), errno);
  return {};
}

void ChildProcess::kill_and_reap() noexcept {
  if (pid_ <= 0) return;
  // Only a child we have not reaped is killed: once reaped, its pid (and group id) may already
  // belong to an unrelated process.
  if (!status_) {
    (void)kill(SIGKILL);
    (void)wait();
  }
  pid_ = -1;
}

}  // namespace deploylab
