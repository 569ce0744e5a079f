// bench/boot/libvirt_daemon.cpp: a private libvirtd in its own mount namespace (libvirt_daemon.h).
#include "bench/boot/libvirt_daemon.h"

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <sstream>
#include <utility>

#include "bench/boot/console_scanner.h"
#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

// libvirt's fixed directories and the subdirectory of `dir` that stands in for each.
const std::pair<const char*, const char*> kPrivateDirs[] = {
    {"etc", "/etc/libvirt"},      {"run", "/run/libvirt"},        {"lib", "/var/lib/libvirt"},
    {"cache", "/var/cache/libvirt"}, {"log", "/var/log/libvirt"}};

std::string libvirtd_conf(const std::filesystem::path& dir) {
  return "# written by deploylab's boot benchmark (bench/boot/libvirt_daemon.h)\n"
         "auth_unix_rw = \"none\"\n"
         "auth_unix_ro = \"none\"\n"
         "log_outputs = \"3:file:" + (dir / "log" / "libvirtd.log").string() + "\"\n";
}

const char* kQemuConf =
    "# written by deploylab's boot benchmark (bench/boot/libvirt_daemon.h)\n"
    "user = \"root\"\n"
    "group = \"root\"\n"
    "dynamic_ownership = 0\n"
    "remember_owner = 0\n"
    "security_driver = \"none\"\n"
    "stdio_handler = \"file\"\n"
    "namespaces = [ ]\n";

Result<void> write_config(const std::filesystem::path& dir) {
  for (const auto& [sub, system_path] : kPrivateDirs) {
    for (const std::filesystem::path& path : {dir / sub, std::filesystem::path(system_path)}) {
      std::error_code error;  // libvirt's own directory is only the mount point: created if absent
      std::filesystem::create_directories(path, error);
      if (error) return Error::os("mkdir", path.string(), error.value());
    }
  }
  DL_TRY(write_file_atomic(dir / "etc" / "libvirtd.conf", libvirtd_conf(dir)));
  DL_TRY(write_file_atomic(dir / "etc" / "qemu.conf", kQemuConf));
  return {};
}

// Runs in the child before exec: a mount namespace of its own, with libvirt's directories bound
// to ours. `binds` holds (ours, libvirt's) pairs prepared before fork: no allocation here.
Result<void> enter_private_namespace(const std::vector<std::pair<std::string, std::string>>& binds) {
  if (::unshare(CLONE_NEWNS) != 0) return Error::os("unshare", "CLONE_NEWNS", errno);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Error::os("mount", "/ private", errno);
  for (const auto& [ours, theirs] : binds) {
    if (::mount(ours.c_str(), theirs.c_str(), nullptr, MS_BIND, nullptr) != 0) return Error::os("mount --bind", theirs, errno);
  }
  return {};
}

}  // namespace

Result<LibvirtDaemon> LibvirtDaemon::start(const std::filesystem::path& dir, std::chrono::seconds timeout) {
  if (::geteuid() != 0) {
    return Error::invalid("libvirt's system daemon needs root", "libvirtd", "run the benchmark as root, or --only minivmm,qemu");
  }
  DL_TRY(write_config(dir));
  std::vector<std::pair<std::string, std::string>> binds;
  for (const auto& [sub, system_path] : kPrivateDirs) binds.emplace_back((dir / sub).string(), system_path);

  LibvirtDaemon daemon;
  daemon.dir_ = dir;
  daemon.version_ = DL_TRY(run_checked({"libvirtd", "--version"}).context("asking libvirtd its version"));
  while (!daemon.version_.empty() && daemon.version_.back() == '\n') daemon.version_.pop_back();
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  options.before_exec = [binds] { return enter_private_namespace(binds); };
  daemon.daemon_ = DL_TRY(ChildProcess::spawn({"libvirtd"}, std::move(options)).context("starting libvirtd"));
  DL_TRY(daemon.wait_for_socket(timeout));
  RunOptions warm;
  warm.timeout = timeout;
  DL_TRY(run_checked(daemon.virsh({"domcapabilities", "--virttype", "kvm"}), warm)
             .context("asking libvirtd for KVM's capabilities (it probes QEMU)"));
  return daemon;
}

Result<void> LibvirtDaemon::wait_for_socket(std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!std::filesystem::exists(dir_ / "run" / "libvirt-sock")) {
    auto ended = daemon_.try_wait();
    if (ended && ended.value()) {
      auto log = read_file(dir_ / "log" / "libvirtd.log").value_or("");
      return Error::invalid("libvirtd " + ended.value()->describe() + " before opening its socket: " + first_error_line(log));
    }
    if (std::chrono::steady_clock::now() > deadline) return Error::invalid("libvirtd opened no socket in time", (dir_ / "run").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

std::vector<std::string> LibvirtDaemon::virsh(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"virsh", "-q", "-c", "qemu+unix:///system?socket=" + (dir_ / "run" / "libvirt-sock").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::filesystem::path LibvirtDaemon::qemu_pid_file(const std::string& name) const {
  return dir_ / "run" / "qemu" / (name + ".pid");
}

void LibvirtDaemon::destroy(const std::string& name) {
  RunOptions options;
  options.timeout = std::chrono::seconds(30);
  (void)run(virsh({"destroy", name}), options);  // "domain is not running" is fine
}

LibvirtDaemon::~LibvirtDaemon() { stop(); }

// Destroys what still runs, then SIGTERM to libvirtd and up to 10 s for it to go (ChildProcess
// sends SIGKILL after that).
void LibvirtDaemon::stop() noexcept {
  if (!daemon_.running()) return;
  try {
    RunOptions options;
    options.timeout = std::chrono::seconds(30);
    auto listed = run(virsh({"list", "--name"}), options);
    if (listed && listed.value().status.success()) {
      std::istringstream names(listed.value().out);
      for (std::string name; std::getline(names, name);) {
        if (!name.empty()) destroy(name);
      }
    }
  } catch (...) {
  }
  (void)daemon_.kill(SIGTERM);
  for (int i = 0; i < 200 && daemon_.running(); ++i) {
    auto ended = daemon_.try_wait();
    if (ended && ended.value()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace deploylab::bench
