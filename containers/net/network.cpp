// containers/net/network.cpp: creating, listing and removing networks (see network.h).
#include "containers/net/network.h"

#include <fcntl.h>

#include "common/error.h"
#include "common/file_io.h"
#include "containers/net/iptables.h"
#include "containers/net/netlink.h"
#include "containers/net/rollback.h"

namespace deploylab::ctr {
namespace {

// /proc/sys/net is per network namespace: these change only the namespace minictr runs in.
Result<void> write_sysctl(const std::string& key, const std::string& value) {
  std::string path = "/proc/sys/net/" + key;
  UniqueFd fd = DL_TRY(open_file(path, O_WRONLY | O_CLOEXEC).context("sysctl net." + key));
  return write_all(fd.get(), value + "\n", path).context("sysctl net." + key);
}

Result<void> enable_forwarding(const NetworkConfig& config) {
  // The host routes between the bridge and its other interfaces only with forwarding on.
  DL_TRY(write_sysctl("ipv4/ip_forward", "1"));
  // Lets the host send packets from 127.0.0.1 out of the bridge, so that a published port
  // answers on 127.0.0.1 too (the DNAT'd connection keeps that source until masquerade).
  return write_sysctl("ipv4/conf/" + config.bridge + "/route_localnet", "1");
}

// A new network makes its own bridge: taking over an interface that exists already (docker0,
// another tool's bridge) would let `network rm` delete it.
Result<void> require_new_bridge(const NetworkConfig& config) {
  NetlinkSocket sock = DL_TRY(NetlinkSocket::connect());
  if (!DL_TRY(link_index(sock, config.bridge))) return {};
  return Error::invalid("interface \"" + config.bridge + "\" exists already", "",
                        "choose another --bridge; minictr makes and removes its bridges itself");
}

}  // namespace

Result<void> set_up_network(const NetworkConfig& config) {
  NetlinkSocket sock = DL_TRY(NetlinkSocket::connect());
  DL_TRY(ensure_bridge(sock, config.bridge));
  DL_TRY(add_address(sock, config.bridge, config.gateway(), config.subnet.prefix));
  DL_TRY(set_link_up(sock, config.bridge));
  DL_TRY(enable_forwarding(config));
  DL_TRY(ensure_own_chains());
  return add_rules(network_rules(config.bridge, config.subnet));
}

Result<void> tear_down_network(const NetworkConfig& config) {
  DL_TRY(delete_rules(network_rules(config.bridge, config.subnet)));
  NetlinkSocket sock = DL_TRY(NetlinkSocket::connect());
  return delete_link(sock, config.bridge);
}

Result<NetworkConfig> create_network(const NetworkStore& store, const NetworkRequest& request) {
  FileLock lock = DL_TRY(store.lock());
  NetworkConfig config = DL_TRY(plan_network(request, DL_TRY(store.list())));
  DL_TRY(require_new_bridge(config));
  Rollback rollback;
  rollback.push([&] { (void)tear_down_network(config); });
  DL_TRY(set_up_network(config).context("setting up network \"" + config.name + "\""));
  rollback.push([&] { (void)store.remove(config.name); });
  DL_TRY(store.save(config));
  rollback.commit();
  return config;
}

Result<void> remove_network(const NetworkStore& store, const std::string& name) {
  FileLock lock = DL_TRY(store.lock());
  NetworkConfig config = DL_TRY(store.load(name));
  auto attached = DL_TRY(store.attachments(name));
  if (!attached.empty()) {
    std::string ids;
    for (const NetworkRecord& record : attached) ids += (ids.empty() ? "" : ", ") + record.container_id;
    return Error::invalid("network \"" + name + "\" is in use by " + std::to_string(attached.size()) + " container(s): " + ids, "",
                          "delete them (minictr delete) or disconnect them (minictr network disconnect " + name + " ID) first");
  }
  DL_TRY(tear_down_network(config).context("removing network \"" + name + "\""));
  DL_TRY(store.remove(name));
  if (DL_TRY(store.list()).empty()) DL_TRY(remove_own_chains());
  return {};
}

Result<std::vector<NetworkUsage>> list_networks(const NetworkStore& store) {
  std::vector<NetworkUsage> all;
  for (NetworkConfig& config : DL_TRY(store.list())) {
    auto in_use = DL_TRY(store.ipam(config).in_use());
    all.push_back({std::move(config), std::move(in_use)});
  }
  return all;
}

}  // namespace deploylab::ctr
