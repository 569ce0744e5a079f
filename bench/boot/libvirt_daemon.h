// bench/boot/libvirt_daemon.h: a private libvirtd, started and stopped by the boot benchmark
// (bench/boot/README.md), so that it measures libvirt without touching the machine's own.
//
// libvirt's system daemon keeps its sockets, state, cache, logs and configuration at fixed paths
// (/run/libvirt, /var/lib/libvirt, ...). LibvirtDaemon starts it as our child in a mount
// namespace of its own where each of those directories is a bind mount of a directory under a
// temporary `dir`: whatever runs on the machine already is not seen and not disturbed, and
// everything it writes vanishes with `dir`. We reach it through its socket, dir/run/libvirt-sock
// (qemu+unix:///system?socket=...). Its configuration is the packaged default except:
//   - clients over the socket need no polkit (we are root; there is no session bus here);
//   - QEMU runs as root with no per-domain mount namespace, no file relabelling or chown and its
//     stdout logged to a file: libvirt must not chown the kernel in the build directory, and the
//     test host (vmhost) has neither virtlogd nor a /dev libvirt can rebuild.
// The destructor destroys every domain still running and stops libvirtd by its PID.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::bench {

class LibvirtDaemon {
 public:
  LibvirtDaemon() = default;
  ~LibvirtDaemon();
  LibvirtDaemon(LibvirtDaemon&&) = default;
  LibvirtDaemon& operator=(LibvirtDaemon&&) = default;

  // Starts libvirtd with its state in `dir` (which must exist and stay until the daemon is
  // gone), waits for its socket, and asks it once for KVM's capabilities so that its probe of
  // the QEMU binary (seconds) is not counted in the first boot. Needs root.
  static Result<LibvirtDaemon> start(const std::filesystem::path& dir, std::chrono::seconds timeout);

  // `virsh -c <our socket> ARGS...`
  std::vector<std::string> virsh(const std::vector<std::string>& args) const;
  // Where libvirt writes the PID of domain `name`'s QEMU.
  std::filesystem::path qemu_pid_file(const std::string& name) const;
  // Destroys domain `name` if it still runs; quiet when it is already gone.
  void destroy(const std::string& name);
  // "libvirtd (libvirt) 9.0.0"
  const std::string& version() const { return version_; }

 private:
  Result<void> wait_for_socket(std::chrono::seconds timeout);
  void stop() noexcept;

  std::filesystem::path dir_;
  ChildProcess daemon_;
  std::string version_;
};

}  // namespace deploylab::bench
