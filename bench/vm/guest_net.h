// bench/vm/guest_net.h: the network between vm-rows and a QEMU guest, one of two ways:
//
//   tap   a network namespace of its own (deploylab-vm-rows-PID) holding tap0 10.0.2.1/24 and
//         net-probe's echo server; QEMU runs inside it (`ip netns exec NS qemu-system-x86_64
//         ... -netdev tap,...`), so the machine's interfaces are never touched. The guest's
//         packets go virtio-net -> tap -> the host's TCP stack, as with a bridged VM.
//   user  when there is no /dev/net/tun (the test host, vmhost, has no tun module): QEMU's
//         user-mode network (slirp), which terminates the guest's TCP inside QEMU and opens a
//         socket of its own to the server on the host's loopback, reached as 10.0.2.2.
//
// The guest (eth0 10.0.2.15, guest_script.h) measures round trips to host_address(); the host's
// own figure is net-probe to the same server over loopback. The destructor kills the server and
// deletes the namespace with its tap.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::bench {

enum class NetMode { tap, user };

class GuestNetwork {
 public:
  static Result<GuestNetwork> create(const std::filesystem::path& net_probe, int port);

  GuestNetwork(GuestNetwork&& other) noexcept;
  GuestNetwork& operator=(GuestNetwork&&) = delete;
  GuestNetwork(const GuestNetwork&) = delete;
  ~GuestNetwork();

  // QEMU's argv as it must run: inside the namespace for a tap.
  std::vector<std::string> wrap(const std::vector<std::string>& argv) const;
  // The -netdev value (id net0) for BootSpec::netdev.
  std::string netdev() const;
  // Where the guest finds the server: 10.0.2.1 (tap) or 10.0.2.2 (user).
  std::string host_address() const;
  // "virtio-net on a tap in a network namespace" / "virtio-net on QEMU's user-mode network (slirp)..."
  std::string describe() const;
  // net-probe rr to the server over the host's loopback: the host's round trips (us).
  Result<std::vector<double>> host_round_trips(const std::filesystem::path& net_probe, int count) const;

 private:
  GuestNetwork() = default;
  Result<void> make_tap();
  std::vector<std::string> inside(const std::vector<std::string>& argv) const;

  NetMode mode_ = NetMode::tap;
  std::string netns_;  // empty: nothing to delete
  std::string tap_ = "tap0";
  std::string tap_problem_;  // why the tap could not be made (user mode)
  int port_ = 0;
  ChildProcess server_;
};

}  // namespace deploylab::bench
