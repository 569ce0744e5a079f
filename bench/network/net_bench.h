// bench/network/net_bench.h: the network benchmark (bench/network/README.md): what a packet pays
// to reach a container, measured side by side with the same programs over the host's loopback.
//
// Everything happens in a network namespace the benchmark makes for itself (enter_private_network),
// which plays "the host": minictr makes its bridge, veth pairs and NAT rules there, and they
// vanish with it, so the machine's real interfaces and firewall are never touched. In it:
//   - `minictr network create` makes a bridge network;
//   - two containers (busybox root, net-probe bind-mounted at /mnt) run `net-probe serve`, A with
//     a published port (-p 8080:5201);
//   - net-probe also serves on the host itself.
// Each round runs every path once, in a rotating order, each path a request/response run (1-byte
// round trips) and a bulk transfer:
//   host loopback                 net-probe on the host -> 127.0.0.1
//   host -> container             net-probe on the host -> A's address, over the bridge and A's veth
//   container -> container        net-probe in B (minictr exec) -> A's address, veth-bridge-veth
//   host -> published port        net-probe on the host -> 127.0.0.1:8080, DNAT to A:5201
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "bench/network/net_report.h"
#include "common/result.h"

namespace deploylab::bench {

struct NetBenchOptions {
  std::filesystem::path minictr;     // BUILD/bin/minictr
  std::filesystem::path probe;       // BUILD/bin/net-probe (static)
  std::filesystem::path rootfs;      // BUILD/assets/rootfs (used read-only)
  std::string subnet = "10.203.0.0/24";
  int rounds = 10;                   // after one warm-up round
  int round_trips = 2000;            // per request/response run
  int mebibytes = 256;               // per bulk transfer
  std::chrono::seconds timeout{60};  // per command
};

// Moves this process into a new network namespace with lo up; the commands it starts inherit
// it. (/proc/sys/net follows the namespace of whoever opens it, so minictr's sysctls land there
// too.) Call it first, before any thread starts. Needs root.
Result<void> enter_private_network();

// Ctrl-C (SIGINT) or SIGTERM ends the rounds early instead of the process, so that the teardown
// still deletes the containers and the network (their cgroups would outlive the process).
void stop_on_signals();

// Sets everything up, runs the rounds, tears everything down (containers, network, servers).
// A path that fails records why and sits out the remaining rounds; an error means the set-up
// itself failed.
Result<NetReport> run_net_bench(const NetBenchOptions& options);

}  // namespace deploylab::bench
