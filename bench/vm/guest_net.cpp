// bench/vm/guest_net.cpp: a tap in a namespace, or QEMU's user-mode network (guest_net.h).
#include "bench/vm/guest_net.h"

#include <signal.h>
#include <unistd.h>

#include "bench/vm/guest_script.h"
#include "bench/vm/workload_lines.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

constexpr const char* kUserHostIp = "10.0.2.2";  // slirp's alias for the host's loopback

Result<void> ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"ip"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = std::chrono::seconds(10);
  DL_TRY(run_checked(argv, options));
  return {};
}

void delete_netns(const std::string& name) {
  RunOptions options;
  options.timeout = std::chrono::seconds(10);
  (void)run({"ip", "netns", "del", name}, options);
}

}  // namespace

// The namespace, the tap in it with the host's address, lo up. On failure the namespace goes.
Result<void> GuestNetwork::make_tap() {
  std::string name = "deploylab-vm-rows-" + std::to_string(::getpid());
  DL_TRY(ip({"netns", "add", name}).context("making the guest network's namespace (iproute2, root)"));
  auto steps = [&]() -> Result<void> {
    DL_TRY(ip({"netns", "exec", name, "ip", "tuntap", "add", "dev", tap_, "mode", "tap"}).context("making a tap"));
    DL_TRY(ip({"netns", "exec", name, "ip", "addr", "add", std::string(kHostIp) + "/24", "dev", tap_}));
    DL_TRY(ip({"netns", "exec", name, "ip", "link", "set", tap_, "up"}));
    DL_TRY(ip({"netns", "exec", name, "ip", "link", "set", "lo", "up"}));
    return {};
  };
  if (auto made = steps(); !made) {
    delete_netns(name);
    return made.error();
  }
  netns_ = name;
  return {};
}

Result<GuestNetwork> GuestNetwork::create(const std::filesystem::path& net_probe, int port) {
  GuestNetwork net;
  net.port_ = port;
  if (auto tap = net.make_tap(); !tap) {
    net.mode_ = NetMode::user;
    net.tap_problem_ = tap.error().message();
  }
  SpawnOptions options;
  options.out = Stream::null;
  net.server_ = DL_TRY(ChildProcess::spawn(net.inside({net_probe.string(), "serve", std::to_string(port)}), options));
  return net;
}

GuestNetwork::GuestNetwork(GuestNetwork&& other) noexcept
    : mode_(other.mode_),
      netns_(std::move(other.netns_)),
      tap_(std::move(other.tap_)),
      tap_problem_(std::move(other.tap_problem_)),
      port_(other.port_),
      server_(std::move(other.server_)) {
  other.netns_.clear();
}

GuestNetwork::~GuestNetwork() {
  if (server_.running()) {
    (void)server_.kill(SIGKILL);
    (void)server_.wait();
  }
  if (!netns_.empty()) delete_netns(netns_);
}

std::vector<std::string> GuestNetwork::inside(const std::vector<std::string>& argv) const {
  if (mode_ == NetMode::user) return argv;
  std::vector<std::string> out{"ip", "netns", "exec", netns_};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::vector<std::string> GuestNetwork::wrap(const std::vector<std::string>& argv) const { return inside(argv); }

std::string GuestNetwork::netdev() const {
  if (mode_ == NetMode::user) return "user,id=net0";
  return "tap,id=net0,ifname=" + tap_ + ",script=no,downscript=no";
}

std::string GuestNetwork::host_address() const { return mode_ == NetMode::user ? kUserHostIp : kHostIp; }

std::string GuestNetwork::describe() const {
  if (mode_ == NetMode::tap) return "virtio-net on a tap in a network namespace of its own";
  return "virtio-net on QEMU's user-mode network (slirp: QEMU relays the guest's TCP through a socket of its "
         "own), because no tap could be made here (" + tap_problem_ + ")";
}

Result<std::vector<double>> GuestNetwork::host_round_trips(const std::filesystem::path& net_probe, int count) const {
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  std::string address = mode_ == NetMode::user ? "127.0.0.1" : kHostIp;
  std::string out = DL_TRY(
      run_checked(inside({net_probe.string(), "rr", address, std::to_string(port_), std::to_string(count)}), options));
  return parse_workload_lines({"deploylab-bench: net " + out}).rr_us;
}

}  // namespace deploylab::bench
