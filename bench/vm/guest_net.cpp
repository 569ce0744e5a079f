// bench/vm/guest_net.cpp: a tap in a namespace, or QEMU's user-mode network (guest_net.h).
#include "bench/vm/guest_net.h"

#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bench/vm/guest_script.h"
#include "bench/vm/workload_lines.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

constexpr const char* kUserHostIp = "10.0.2.2";  // slirp's alias for the host's loopback
constexpr std::string_view kRrTag = "deploylab-bench: net ";
constexpr std::string_view kStreamTag = "deploylab-bench: net_stream ";

// The text after `tag` on `line`, without trailing blanks; std::nullopt when the tag is not there.
std::optional<std::string> after_tag(const std::string& line, std::string_view tag) {
  std::size_t at = line.find(tag);
  if (at == std::string::npos) return std::nullopt;
  std::string rest = line.substr(at + tag.size());
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r' || rest.back() == '\n')) rest.pop_back();
  return rest;
}

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

std::optional<double> stream_gbit_per_s(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("bytes") || !j.contains("seconds")) return std::nullopt;
  if (!j["bytes"].is_number() || !j["seconds"].is_number()) return std::nullopt;
  double bytes = j["bytes"].get<double>(), seconds = j["seconds"].get<double>();
  if (bytes <= 0 || seconds <= 0) return std::nullopt;
  return bytes * 8 / seconds / 1e9;
}

NetFigures read_net_lines(const std::vector<std::string>& lines) {
  NetFigures figures;
  auto note = [&](const std::string& what, const std::string& text) {
    if (figures.problem.empty()) figures.problem = what + ": " + (text.empty() ? "no output" : text);
  };
  for (const std::string& line : lines) {
    if (auto rr = after_tag(line, kRrTag)) {
      figures.rr_us = parse_workload_lines({line}).rr_us;
      if (figures.rr_us.empty()) note("net-probe rr", *rr);
    } else if (auto stream = after_tag(line, kStreamTag)) {
      figures.gbit_per_s = stream_gbit_per_s(*stream);
      if (!figures.gbit_per_s) note("net-probe stream", *stream);
    }
  }
  return figures;
}

// The namespace with lo up: the server's home in both modes (the machine's own lo may be down:
// vmhost's init never brings it up). On failure the namespace goes.
Result<void> GuestNetwork::make_namespace() {
  std::string name = "deploylab-vm-rows-" + std::to_string(::getpid());
  DL_TRY(ip({"netns", "add", name}).context("making the guest network's namespace (iproute2, root)"));
  if (auto lo = ip({"netns", "exec", name, "ip", "link", "set", "lo", "up"}); !lo) {
    delete_netns(name);
    return lo.error();
  }
  netns_ = name;
  return {};
}

// The tap in the namespace, with the host's address. A tap half made stays until the namespace
// goes; QEMU's user-mode network does not mind it.
Result<void> GuestNetwork::make_tap() {
  DL_TRY(ip({"netns", "exec", netns_, "ip", "tuntap", "add", "dev", tap_, "mode", "tap"}).context("making a tap"));
  DL_TRY(ip({"netns", "exec", netns_, "ip", "addr", "add", std::string(kHostIp) + "/24", "dev", tap_}));
  DL_TRY(ip({"netns", "exec", netns_, "ip", "link", "set", tap_, "up"}));
  return {};
}

Result<GuestNetwork> GuestNetwork::create(const std::filesystem::path& net_probe, int port) {
  GuestNetwork net;
  net.port_ = port;
  DL_TRY(net.make_namespace());
  if (auto tap = net.make_tap(); !tap) {
    net.mode_ = NetMode::user;
    net.tap_problem_ = tap.error().message();
    for (char& c : net.tap_problem_) c = c == '\n' ? ' ' : c;  // one line in the table's cell
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
  if (netns_.empty()) return argv;
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

// Over the namespace's loopback: the same server, no NIC on the way.
NetFigures GuestNetwork::host_figures(const std::filesystem::path& net_probe, int round_trips, long mebibytes) const {
  RunOptions options;
  options.timeout = std::chrono::seconds(120);
  auto probe = [&](const std::string& mode, const std::string& amount, std::string_view tag) {
    auto done = run(inside({net_probe.string(), mode, "127.0.0.1", std::to_string(port_), amount}), options);
    std::string text = done ? done.value().out + done.value().err : done.error().message();
    for (char& c : text) c = c == '\n' ? ' ' : c;
    return std::string(tag) + text;
  };
  return read_net_lines({probe("rr", std::to_string(round_trips), kRrTag),
                         probe("stream", std::to_string(mebibytes), kStreamTag)});
}

}  // namespace deploylab::bench
