// containers/cgroups/cgroup_files.cpp: cgroup file reads and writes with errors that say which
// file, which value and why (see cgroup_files.h).
#include "containers/cgroups/cgroup_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <thread>

#include "common/file_io.h"
#include "common/unique_fd.h"

namespace deploylab::ctr {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string memory_hint(std::string_view file, int error) {
  if (error == EBUSY) {
    return "the cgroup already uses more memory than this and the kernel could not reclaim "
           "enough: raise the limit, or lower it while the container uses less";
  }
  if (error != EINVAL) return {};
  if (file == "memory.limit_in_bytes") {
    return "cgroup v1 keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes: set "
           "linux.resources.memory.swap as well when raising the limit";
  }
  if (file == "memory.memsw.limit_in_bytes") {
    return "memory+swap must be at least memory.limit_in_bytes";
  }
  return "the value is not a number of bytes or \"max\"";
}

std::string cpu_hint(std::string_view file, int error) {
  if (error != EINVAL) return {};
  if (file == "cpu.shares" || file == "cpu.weight") return "shares are 2..262144, weights 1..10000";
  return "the period must be 1000..1000000 us and the quota at least 1000 us; under cgroup v1 a "
         "child's quota/period may not exceed its parent's";
}

std::string procs_hint(int error) {
  if (error == ESRCH) return "the process has already exited";
  if (error == EBUSY) {
    return "cgroup v2 keeps processes only in leaf cgroups: this one has controllers enabled "
           "in cgroup.subtree_control";
  }
  return {};
}

}  // namespace

std::string write_hint(std::string_view file, int error) {
  if (error == EACCES || error == EPERM || error == EROFS) {
    return "cgroup files are writable by root (or by the owner of a delegated cgroup): run as root";
  }
  if (error == ENOENT) {
    return "the kernel has no such file here: the controller is not enabled for this cgroup "
           "(v2: see the parent's cgroup.subtree_control) or this kernel lacks the feature";
  }
  if (starts_with(file, "memory.")) return memory_hint(file, error);
  if (starts_with(file, "cpu.")) return cpu_hint(file, error);
  if (file == "pids.max" && error == EINVAL) return "pids.max is \"max\" or 0..4194304 (PID_MAX_LIMIT)";
  if (file == "cgroup.procs") return procs_hint(error);
  if (file == "cgroup.subtree_control") {
    if (error == EBUSY) {
      return "cgroup v2 cannot enable controllers for the children of a cgroup that has "
             "processes of its own (the no-internal-processes rule): use a cgroup path whose "
             "parents hold no processes";
    }
    return "the controller must be listed in this cgroup's cgroup.controllers first";
  }
  return {};
}

Result<void> write_cgroup_file(const std::filesystem::path& dir, std::string_view file,
                               std::string_view value) {
  std::filesystem::path path = dir / file;
  auto op = "writing \"" + std::string(value) + "\" to";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) {
    int error = errno;
    return Error::os(op, path.string(), error, write_hint(file, error));
  }
  ssize_t n;
  do n = ::write(fd.get(), value.data(), value.size());
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    int error = errno;
    return Error::os(op, path.string(), error, write_hint(file, error));
  }
  return {};
}

Result<std::string> read_cgroup_file(const std::filesystem::path& dir, std::string_view file) {
  return read_file(dir / file);
}

bool cgroup_file_exists(const std::filesystem::path& dir, std::string_view file) {
  struct stat info {};
  return ::stat((dir / file).c_str(), &info) == 0;
}

Result<std::vector<pid_t>> parse_pid_list(std::string_view text) {
  std::vector<pid_t> pids;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    pid_t pid = 0;
    auto [rest, error] = std::from_chars(line.data(), line.data() + line.size(), pid);
    if (error != std::errc() || rest != line.data() + line.size() || pid <= 0) {
      return Error::invalid("not a pid in cgroup.procs", std::string(line));
    }
    pids.push_back(pid);
  }
  return pids;
}

Result<DirectoryCreated> make_cgroup_directory(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) return DirectoryCreated::created;
  int error = errno;
  if (error == EEXIST) return DirectoryCreated::existed;
  return Error::os("mkdir", dir.string(), error,
                   error == EACCES || error == EPERM ? "run as root, or delegate the cgroup to your user"
                                                     : "");
}

Result<void> remove_cgroup_directory(const std::filesystem::path& dir, std::chrono::milliseconds patience) {
  using namespace std::chrono_literals;
  auto deadline = std::chrono::steady_clock::now() + patience;
  int error;
  for (;;) {
    if (::rmdir(dir.c_str()) == 0) return {};
    error = errno;
    if (error == ENOENT) return {};
    if (error != EBUSY || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(20ms);
  }
  return Error::os("rmdir", dir.string(), error,
                   error == EBUSY ? "processes or child cgroups remain in it: kill them first "
                                    "(Cgroup::kill_all(SIGKILL)) and remove the children"
                                  : "");
}

}  // namespace deploylab::ctr
