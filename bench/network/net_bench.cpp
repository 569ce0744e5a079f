// bench/network/net_bench.cpp: set up the host namespace, the network and two containers, run
// the rounds, clean up (see net_bench.h).
#include "bench/network/net_bench.h"

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/child_process.h"
#include "common/cpu_info.h"
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

// Set by SIGINT or SIGTERM: the rounds stop and the teardown still runs.
volatile sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

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
  // `create` hands its own stdout and stderr to the container, which keeps them open as long as
  // it runs: through a pipe we would wait for the end of its output forever. So the container
  // gets a log file, as a container manager would give it, and a failure shows its tail.
  Result<void> create(Argv words, const std::filesystem::path& log) const {
    Argv shell{"sh", "-c", "exec \"$0\" \"$@\" >>'" + log.string() + "' 2>&1"};
    Argv all = argv(std::move(words));
    shell.insert(shell.end(), all.begin(), all.end());
    RunOptions options;
    options.timeout = timeout;
    Completed done = DL_TRY(run(shell, options));
    if (done.status.success() && !done.timed_out) return {};
    return Error::invalid(shell_words(all) + " failed: " + read_file(log).value_or(std::string()));
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

// One round of one path: request/response runs sleeping and spinning, then a bulk transfer.
Result<void> measure(Path& path, const NetBenchOptions& options, bool keep) {
  Json rr = DL_TRY(run_probe(path, {"rr", path.address, std::to_string(path.port), std::to_string(options.round_trips)},
                             options.timeout));
  Json spin = DL_TRY(run_probe(path, {"spin", path.address, std::to_string(path.port), std::to_string(options.round_trips)},
                               options.timeout));
  Json bulk = DL_TRY(run_probe(path, {"stream", path.address, std::to_string(path.port), std::to_string(options.mebibytes)},
                               options.timeout));
  if (!keep) return {};
  for (double us : rr["rr_us"]) path.series.round_trip_us.push_back(us);
  for (double us : spin["rr_us"]) path.series.spin_round_trip_us.push_back(us);
  path.series.gbit_per_s.push_back(gbit_per_second(bulk["bytes"].get<double>(), bulk["seconds"].get<double>()));
  return {};
}

// Round 0 warms up (ARP, conntrack entries, page cache) and is not kept. Each round starts one
// path later than the one before, so no path always runs first on a cold machine.
void run_rounds(std::vector<Path>& paths, const NetBenchOptions& options) {
  for (int round = 0; round <= options.rounds && stop_requested == 0; ++round) {
    for (std::size_t i = 0; i < paths.size() && stop_requested == 0; ++i) {
      Path& path = paths[(i + static_cast<std::size_t>(round)) % paths.size()];
      if (!path.series.failure.empty()) continue;
      auto done = measure(path, options, round > 0);
      if (!done.ok()) path.series.failure = "round " + std::to_string(round) + ": " + done.error().message();
    }
  }
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

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;  // no SA_RESTART: a wait for a child returns at once
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

Result<void> enter_private_network() {
  if (::unshare(CLONE_NEWNET) != 0) return Error::os("unshare(CLONE_NEWNET)", "", errno, "run it as root");
  return ctr::bring_up_loopback();
}

Result<NetReport> run_net_bench(const NetBenchOptions& options) {
  TempDir dir = DL_TRY(TempDir::create("net-bench"));
  Minictr minictr{options.minictr, dir.path() / "state", options.timeout};
  std::filesystem::path probe_dir = dir.path() / "probe";
  std::filesystem::create_directories(probe_dir);
  std::filesystem::copy_file(options.probe, probe_dir / "net-probe");
  NetReport report;
  report.about.push_back(machine_line());
  report.about.push_back("before: " + load_average_line());
  Teardown teardown{minictr, {}, false};
  DL_TRY(minictr.call({"network", "create", "benchnet", "--subnet", options.subnet}));
  teardown.network = true;
  // Ids of their own (the pid), so a stale container of an earlier run cannot collide.
  const std::string a_id = "net-bench-a-" + std::to_string(::getpid()), b_id = "net-bench-b-" + std::to_string(::getpid());
  for (const std::string& id : {a_id, b_id}) {
    DL_TRY(make_bundle(minictr, dir.path() / id, options, probe_dir));
    Argv create{"create", "--bundle", (dir.path() / id).string(), "--net", "benchnet"};
    if (id == a_id) create.insert(create.end(), {"-p", std::to_string(kPublishedPort) + ":" + std::to_string(kProbePort)});
    create.push_back(id);
    teardown.containers.push_back(id);  // before create: a create that fails half-way is deleted too
    DL_TRY(minictr.create(create, dir.path() / (id + ".log")));
    DL_TRY(minictr.call({"start", id}));
  }
  std::string a = DL_TRY(container_address(minictr, a_id));
  SpawnOptions quiet;
  quiet.out = Stream::null;
  ChildProcess host_server = DL_TRY(ChildProcess::spawn({options.probe.string(), "serve", std::to_string(kProbePort)}, quiet));
  Argv on_host{options.probe.string()};
  Argv in_b = minictr.argv({"exec", b_id, "--", "/mnt/net-probe"});
  std::vector<Path> paths{{{"host loopback (127.0.0.1)", {}, {}, {}, ""}, on_host, "127.0.0.1", kProbePort},
                          {{"host -> container (bridge, veth)", {}, {}, {}, ""}, on_host, a, kProbePort},
                          {{"container -> container (veth, bridge, veth)", {}, {}, {}, ""}, in_b, a, kProbePort},
                          {{"host -> published port (DNAT to the container)", {}, {}, {}, ""}, on_host, "127.0.0.1", kPublishedPort}};
  run_rounds(paths, options);
  if (stop_requested != 0) report.about.push_back("stopped early by a signal: the rows hold the rounds done until then");
  report.about.push_back("after: " + load_average_line());
  report.about.push_back(std::to_string(options.rounds) + " rounds after 1 warm-up, paths interleaved; each round: " +
                         std::to_string(options.round_trips) + " round trips of 1 byte (TCP_NODELAY) sleeping, as many spinning, and " +
                         std::to_string(options.mebibytes) + " MiB in one TCP stream, per path");
  for (Path& path : paths) report.series.push_back(std::move(path.series));
  report.rounds = options.rounds;
  return report;
}

}  // namespace deploylab::bench
