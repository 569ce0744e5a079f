// bench/vm/guest_net.h: the network between vm-rows and a QEMU guest, one of two ways:
//
// Both live in a network namespace of its own (deploylab-vm-rows-PID, lo up) holding net-probe's
// server, and QEMU runs inside it (`ip netns exec NS qemu-system-x86_64 ...`), so the machine's
// interfaces are never touched:
//   tap   tap0 10.0.2.1/24 in the namespace (-netdev tap,...). The guest's packets go
//         virtio-net -> tap -> the host's TCP stack, as with a bridged VM. Needs /dev/net/tun
//         (the test host, vmhost, loads the tun module for this).
//   user  where no tap can be made: QEMU's user-mode network (slirp), which terminates the
//         guest's TCP inside QEMU and opens a socket of its own to the server on the namespace's
//         loopback, which the guest reaches as 10.0.2.2.
//
// The guest (eth0 10.0.2.15, guest_script.h) measures round trips and bulk throughput to
// host_address(); the host's own figures are net-probe to the same server over loopback (inside
// the namespace for a tap: its lo, the same kernel). The destructor kills the server and deletes
// the namespace with its tap.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::bench {

enum class NetMode { tap, user };

// What the network lines said: net-probe's round trips (us) and bulk throughput (Gbit/s), and
// the first problem when a figure is missing ("net-probe: connect 10.0.2.1:7000: ...").
struct NetFigures {
  std::vector<double> rr_us;
  std::optional<double> gbit_per_s;
  std::string problem;
};

// net-probe stream's JSON {"bytes":N,"seconds":S} as Gbit/s; std::nullopt when it is not that
// (an error message instead) or not a positive amount in a positive time. Pure.
std::optional<double> stream_gbit_per_s(const std::string& json);

// The "deploylab-bench: net ..." (round trips) and "deploylab-bench: net_stream ..." (bulk)
// lines among `lines`, as figures; a line that is not net-probe's JSON is the problem. Pure.
NetFigures read_net_lines(const std::vector<std::string>& lines);

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
  // net-probe rr and stream to the server over the host's loopback: the host's figures.
  NetFigures host_figures(const std::filesystem::path& net_probe, int round_trips, long mebibytes) const;

 private:
  GuestNetwork() = default;
  Result<void> make_namespace();
  Result<void> make_tap();
  std::vector<std::string> inside(const std::vector<std::string>& argv) const;

  NetMode mode_ = NetMode::tap;
  std::string netns_;  // empty: nothing to delete (moved from)
  std::string tap_ = "tap0";
  std::string tap_problem_;  // why the tap could not be made (user mode)
  int port_ = 0;
  ChildProcess server_;
};

}  // namespace deploylab::bench
