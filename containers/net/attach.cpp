// containers/net/attach.cpp: connecting a container to a network and disconnecting it (see
// attach.h).
#include "containers/net/attach.h"

#include "common/error.h"
#include "containers/net/iptables.h"
#include "containers/net/link_names.h"
#include "containers/net/netlink.h"
#include "containers/net/network.h"
#include "containers/net/rollback.h"
#include "containers/oci/state_store.h"

namespace deploylab::ctr {
namespace {

constexpr const char* kContainerInterface = "eth0";

NetworkRecord make_record(const NetworkConfig& config, const ConnectRequest& request, Ipv4Address address) {
  NetworkRecord record;
  record.name = config.name;
  record.container_id = request.container_id;
  record.address = to_string(address);
  record.prefix = config.subnet.prefix;
  record.gateway = to_string(config.gateway());
  record.host_veth = host_veth_name(config.name, request.container_id);
  for (const PortMapping& port : request.ports) record.ports.push_back(to_string(port));
  return record;
}

// The published ports of every attachment on every network must not meet the new ones.
Result<void> check_ports_free(const NetworkStore& store, const std::vector<PortMapping>& wanted) {
  if (wanted.empty()) return {};
  for (const NetworkConfig& network : DL_TRY(store.list())) {
    for (const NetworkRecord& other : DL_TRY(store.attachments(network.name))) {
      for (const PortMapping& taken : DL_TRY(parse_port_mappings(other.ports))) {
        for (const PortMapping& port : wanted) {
          if (!port.conflicts_with(taken)) continue;
          return Error::invalid("host port " + std::to_string(port.host_port) + "/" + std::string(to_string(port.protocol)) +
                                    " is already published by container \"" + other.container_id + "\" on network \"" +
                                    network.name + "\" (" + to_string(taken) + ")",
                                "", "choose another host port, or delete that container first");
        }
      }
    }
  }
  return {};
}

// Inside the container's namespace: eth0 gets its address, comes up, and routes everything
// it has no closer route for through the bridge (the gateway).
Result<void> configure_inside(const NetnsHandle& netns, const NetworkRecord& record) {
  // BEGIN SOLUTION lab 8: configure the container's end of the veth inside its network namespace
  NetlinkSocket inside = DL_TRY(netlink_socket_in(netns));
  Ipv4Address address = DL_TRY(parse_ipv4(record.address));
  Ipv4Address gateway = DL_TRY(parse_ipv4(record.gateway));
  DL_TRY(add_address(inside, kContainerInterface, address, record.prefix));
  DL_TRY(set_link_up(inside, kContainerInterface));
  DL_TRY(add_default_route(inside, kContainerInterface, gateway));
  return {};
  // END SOLUTION
}

std::vector<IptablesRule> rules_of(const NetworkRecord& record) {
  auto address = parse_ipv4(record.address);
  auto ports = parse_port_mappings(record.ports);
  if (!address.ok() || !ports.ok()) return {};
  return publish_rules(record.container_id, address.value(), ports.value());
}

// The veth pair and everything on it; `rollback` learns how to undo each step.
Result<void> plug_in(const NetworkConfig& config, const NetworkRecord& record, const NetnsHandle& netns, Rollback& rollback) {
  NetlinkSocket host = DL_TRY(NetlinkSocket::connect());
  DL_TRY(create_veth(host, {record.host_veth, config.bridge, kContainerInterface, netns.fd()}));
  rollback.push([name = record.host_veth] {
    auto sock = NetlinkSocket::connect();
    if (sock.ok()) (void)delete_link(sock.value(), name);
  });
  DL_TRY(configure_inside(netns, record).context("configuring eth0 in " + netns.name()));
  DL_TRY(set_link_up(host, record.host_veth));
  DL_TRY(add_rules(rules_of(record)).context("publishing ports"));
  rollback.push([rules = rules_of(record)] { (void)delete_rules(rules); });
  return {};
}

}  // namespace

Result<NetworkRecord> connect_container(const NetworkStore& store, const ConnectRequest& request, const NetnsHandle& netns) {
  DL_TRY(validate_container_id(request.container_id));
  FileLock lock = DL_TRY(store.lock());
  NetworkConfig config = DL_TRY(store.load(request.network));
  if (DL_TRY(store.attachment(config.name, request.container_id))) {
    return Error::invalid("container \"" + request.container_id + "\" is connected to network \"" + config.name + "\" already", "",
                          "minictr network disconnect " + config.name + " " + request.container_id + " first");
  }
  DL_TRY(check_ports_free(store, request.ports));
  DL_TRY(set_up_network(config).context("setting up network \"" + config.name + "\""));
  Rollback rollback;
  Ipam ipam = store.ipam(config);
  Ipv4Address address = DL_TRY(ipam.allocate(request.container_id));
  rollback.push([ipam, id = request.container_id]() mutable { (void)ipam.release(id); });
  NetworkRecord record = make_record(config, request, address);
  DL_TRY(plug_in(config, record, netns, rollback).context("connecting \"" + request.container_id + "\" to network \"" + config.name + "\""));
  DL_TRY(store.save_attachment(record));
  rollback.commit();
  return record;
}

Result<void> disconnect_container(const NetworkStore& store, std::string_view network, std::string_view container_id) {
  DL_TRY(validate_container_id(container_id));
  FileLock lock = DL_TRY(store.lock());
  NetworkConfig config = DL_TRY(store.load(network));
  auto record = DL_TRY(store.attachment(network, container_id));
  if (record) DL_TRY(delete_rules(rules_of(*record)));
  NetlinkSocket host = DL_TRY(NetlinkSocket::connect());
  DL_TRY(delete_link(host, host_veth_name(config.name, container_id)));
  DL_TRY(store.ipam(config).release(container_id));
  return store.remove_attachment(network, container_id);
}

}  // namespace deploylab::ctr
