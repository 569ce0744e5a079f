// bench/network/net_bench.cpp: set up the host namespace, the network and two containers, run
// the rounds, clean up (see net_bench.h).
#include "bench/network/net_bench.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/child_process.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "containers/net/loopback.h"

namespace deploylab::bench {
namespace {

using Json = nlohmann::json;
using Argv = std::vector<std::string>;
constexpr int kProbePort = 5201;
constexpr int kPublishedPort = 8080;

// minictr with the benchmark's own state root.
struct Minictr {
  std::filesystem::path binary, root;
  std::chrono::seconds timeout;

  Argv argv(Argv words) const {
    Argv all{binary.string(), "--root", root.string()};
    all.insert(all.end(), words.begin(), words.end());
    return all;
  }
  Result<std::string> call(Argv words) const {
    RunOptions options;
    options.timeout = timeout;
    return run_checked(argv(std::move(words)), options);
  }
};

// A bundle whose process is `net-probe serve` from /mnt, a bind mount of the probe's directory
// over the busybox root's empty /mnt; the root itself is shared and read-only.
Result<void> make_bundle(const Minictr& minictr, const std::filesystem::path& bundle, const NetBenchOptions& options,
                         const std::filesystem::path& probe_dir) {
  std::filesystem::create_directories(bundle);
  DL_TRY(minictr.call({"spec", "--bundle", bundle.string()}));
  Json config = Json::parse(DL_TRY(read_file(bundle / "config.json")));
  config["root"] = {{"path", options.rootfs.string()}, {"readonly", true}};
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"/mnt/net-probe", "serve", std::to_string(kProbePort)};
  config["mounts"].push_back({{"destination", "/mnt"}, {"type", "bind"}, {"source", probe_dir.string()},
                              {"options", {"rbind", "ro"}}});
  return write_file_atomic(bundle / "config.json", config.dump(2));
}

// The address minictr gave the container ("10.203.0.2"), from `minictr state`.
Result<std::string> container_address(const Minictr& minictr, const std::string& id) {
  Json state = Json::parse(DL_TRY(minictr.call({"state", id})), nullptr, false);
  if (!state.is_object() || !state.contains("network") || !state["network"].contains("address")) {
    return Error::invalid("`minictr state " + id + "` has no network.address", "was it created with --net?");
  }
  return state["network"]["address"].get<std::string>();
}

// What a path's client runs: the probe on the host, or in container B through minictr exec.
struct Path {
  NetSeries series;
  Argv client;          // the probe's argv up to (not including) the subcommand
  std::string address;  // where the server is
  int port = kProbePort;
};

Result<Json> run_probe(const Path& path, Argv words, std::chrono::seconds timeout) {
  Argv argv = path.client;
  argv.insert(argv.end(), words.begin(), words.end());
  RunOptions options;
  options.timeout = timeout;
  std::string out = DL_TRY(run_checked(argv, options));
  Json result = Json::parse(out, nullptr, false);
  if (!result.is_object()) return Error::invalid("net-probe printed no JSON: " + out);
  return result;
}

// One round of one path: a request/response run, then a bulk transfer.
Result<void> measure(Path& path, const NetBenchOptions& options, bool keep) {
  Json rr = DL_TRY(run_probe(path, {"rr", path.address, std::to_string(path.port), std::to_string(options.round_trips)},
                             options.timeout));
  Json bulk = DL_TRY(run_probe(path, {"stream", path.address, std::to_string(path.port), std::to_string(options.mebibytes)},
                               options.timeout));
  if (!keep) return {};
  for (double us : rr["rr_us"]) path.series.round_trip_us.push_back(us);
  path.series.gbit_per_s.push_back(gbit_per_second(bulk["bytes"].get<double>(), bulk["seconds"].get<double>()));
  return {};
}

// Round 0 warms up (ARP, conntrack entries, page cache) and is not kept. Each round starts one
// path later than the one before, so no path always runs first on a cold machine.
void run_rounds(std::vector<Path>& paths, const NetBenchOptions& options) {
  for (int round = 0; round <= options.rounds; ++round) {
    for (std::size_t i = 0; i < paths.size(); ++i) {
      Path& path = paths[(i + static_cast<std::size_t>(round)) % paths.size()];
      if (!path.series.failure.empty()) continue;
      auto done = measure(path, options, round > 0);
      if (!done.ok()) path.series.failure = "round " + std::to_string(round) + ": " + done.error().message();
    }
  }
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return "load average (1, 5, 15 min) " + one + " " + five + " " + fifteen;
}

// Deletes the containers and the network even when the rounds fail half-way.
struct Teardown {
  const Minictr& minictr;
  std::vector<std::string> containers;
  bool network = false;
  ~Teardown() {
    for (const std::string& id : containers) (void)run(minictr.argv({"delete", "--force", id}));
    if (network) (void)run(minictr.argv({"network", "rm", "benchnet"}));
  }
};

}  // namespace

Result<void> enter_private_network() {
  if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) return Error::os("unshare(CLONE_NEWNET | CLONE_NEWNS)", "", errno, "run it as root");
  // Private first, so that the /sys mount below stays in this namespace.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Error::os("mount --make-rprivate", "/", errno);
  if (::umount2("/sys", MNT_DETACH) != 0) return Error::os("umount", "/sys", errno);
  if (::mount("sysfs", "/sys", "sysfs", 0, nullptr) != 0) return Error::os("mount sysfs", "/sys", errno);
  return ctr::bring_up_loopback();
}

Result<NetReport> run_net_bench(const NetBenchOptions& options) {
  TempDir dir = DL_TRY(TempDir::create("net-bench"));
  Minictr minictr{options.minictr, dir.path() / "state", options.timeout};
  std::filesystem::path probe_dir = dir.path() / "probe";
  std::filesystem::create_directories(probe_dir);
  std::filesystem::copy_file(options.probe, probe_dir / "net-probe");
  NetReport report;
  report.about.push_back("before: " + load_average());
  Teardown teardown{minictr, {}, false};
  DL_TRY(minictr.call({"network", "create", "benchnet", "--subnet", options.subnet}));
  teardown.network = true;
  for (const std::string id : {"bench-a", "bench-b"}) {
    DL_TRY(make_bundle(minictr, dir.path() / id, options, probe_dir));
    Argv create{"create", "--bundle", (dir.path() / id).string(), "--net", "benchnet"};
    if (id == "bench-a") create.insert(create.end(), {"-p", std::to_string(kPublishedPort) + ":" + std::to_string(kProbePort)});
    create.push_back(id);
    DL_TRY(minictr.call(create));
    teardown.containers.push_back(id);
    DL_TRY(minictr.call({"start", id}));
  }
  std::string a = DL_TRY(container_address(minictr, "bench-a"));
  SpawnOptions quiet;
  quiet.out = Stream::null;
  ChildProcess host_server = DL_TRY(ChildProcess::spawn({options.probe.string(), "serve", std::to_string(kProbePort)}, quiet));
  Argv on_host{options.probe.string()};
  Argv in_b = minictr.argv({"exec", "bench-b", "--", "/mnt/net-probe"});
  std::vector<Path> paths{{{"host loopback (127.0.0.1)", {}, {}, ""}, on_host, "127.0.0.1", kProbePort},
                          {{"host -> container (bridge, veth)", {}, {}, ""}, on_host, a, kProbePort},
                          {{"container -> container (veth, bridge, veth)", {}, {}, ""}, in_b, a, kProbePort},
                          {{"host -> published port (DNAT to the container)", {}, {}, ""}, on_host, "127.0.0.1", kPublishedPort}};
  run_rounds(paths, options);
  report.about.push_back("after: " + load_average());
  report.about.push_back(std::to_string(options.rounds) + " rounds after 1 warm-up, paths interleaved; each round: " +
                         std::to_string(options.round_trips) + " round trips of 1 byte (TCP_NODELAY) and " +
                         std::to_string(options.mebibytes) + " MiB in one TCP stream, per path");
  for (Path& path : paths) report.series.push_back(std::move(path.series));
  report.rounds = options.rounds;
  return report;
}

}  // namespace deploylab::bench
