// containers/net/netlink.cpp: links, addresses and routes over route netlink (see netlink.h).
#include "containers/net/netlink.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

struct NlAddrPut {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
struct RtnlAddrPut {
  void operator()(rtnl_addr* addr) const { rtnl_addr_put(addr); }
};
struct RtnlRoutePut {
  void operator()(rtnl_route* route) const { rtnl_route_put(route); }
};
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrPut>;

// libnl returns -NLE_* codes, not errno: nl_geterror() says what they mean.
Error netlink_error(std::string op, std::string_view object, int code, std::string hint = {}) {
  return Error::invalid(op + ": " + nl_geterror(code), std::string(object),
                        hint.empty() ? "netlink needs CAP_NET_ADMIN in the network namespace: run as root" : hint);
}

NlAddrPtr ipv4_nl_addr(Ipv4Address address, int prefix) {
  std::uint32_t network_order = htonl(address.value);
  NlAddrPtr addr(nl_addr_build(AF_INET, &network_order, sizeof network_order));
  if (addr) nl_addr_set_prefixlen(addr.get(), prefix);
  return addr;
}

Result<LinkPtr> get_link(const NetlinkSocket& sock, std::string_view name) {
  rtnl_link* link = nullptr;
  int err = rtnl_link_get_kernel(sock.get(), 0, std::string(name).c_str(), &link);
  if (err < 0) return netlink_error("RTM_GETLINK", name, err, "no interface by that name here");
  return LinkPtr(link);
}

Result<int> required_index(const NetlinkSocket& sock, std::string_view name) {
  auto index = DL_TRY(link_index(sock, name));
  if (!index) return Error::invalid("no interface \"" + std::string(name) + "\" in this network namespace");
  return *index;
}

}  // namespace

Result<NetlinkSocket> NetlinkSocket::connect() {
  nl_sock* raw = nl_socket_alloc();
  if (raw == nullptr) return Error::invalid("nl_socket_alloc: out of memory");
  NetlinkSocket sock(raw);
  int err = nl_connect(raw, NETLINK_ROUTE);
  if (err < 0) return netlink_error("nl_connect(NETLINK_ROUTE)", "", err);
  return sock;
}

Result<std::optional<int>> link_index(const NetlinkSocket& sock, std::string_view name) {
  rtnl_link* raw = nullptr;
  int err = rtnl_link_get_kernel(sock.get(), 0, std::string(name).c_str(), &raw);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return std::optional<int>();
  if (err < 0) return netlink_error("RTM_GETLINK", name, err);
  LinkPtr link(raw);
  return std::optional<int>(rtnl_link_get_ifindex(link.get()));
}

Result<void> ensure_bridge(const NetlinkSocket& sock, std::string_view name) {
  LinkPtr bridge(rtnl_link_alloc());
  rtnl_link_set_name(bridge.get(), std::string(name).c_str());
  int err = rtnl_link_set_type(bridge.get(), "bridge");
  if (err < 0) return netlink_error("rtnl_link_set_type(bridge)", name, err, "is the bridge module available?");
  err = rtnl_link_add(sock.get(), bridge.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err == -NLE_EXIST) {
    LinkPtr existing = DL_TRY(get_link(sock, name));
    const char* type = rtnl_link_get_type(existing.get());
    if (type != nullptr && std::string_view(type) == "bridge") return {};
    return Error::invalid("interface \"" + std::string(name) + "\" exists and is not a bridge", "", "pick another --bridge name");
  }
  if (err < 0) return netlink_error("RTM_NEWLINK (bridge)", name, err);
  return {};
}

Result<void> set_link_up(const NetlinkSocket& sock, std::string_view name) {
  LinkPtr link = DL_TRY(get_link(sock, name));
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_flags(change.get(), IFF_UP);
  int err = rtnl_link_change(sock.get(), link.get(), change.get(), 0);
  if (err < 0) return netlink_error("RTM_NEWLINK (up)", name, err);
  return {};
}

Result<void> delete_link(const NetlinkSocket& sock, std::string_view name) {
  if (!DL_TRY(link_index(sock, name))) return {};
  LinkPtr link(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), std::string(name).c_str());
  int err = rtnl_link_delete(sock.get(), link.get());
  if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV) return netlink_error("RTM_DELLINK", name, err);
  return {};
}

Result<void> add_address(const NetlinkSocket& sock, std::string_view name, Ipv4Address address, int prefix) {
  int index = DL_TRY(required_index(sock, name));
  std::unique_ptr<rtnl_addr, RtnlAddrPut> addr(rtnl_addr_alloc());
  NlAddrPtr local = ipv4_nl_addr(address, prefix);
  rtnl_addr_set_ifindex(addr.get(), index);
  rtnl_addr_set_local(addr.get(), local.get());
  rtnl_addr_set_prefixlen(addr.get(), prefix);
  Subnet subnet{{address.value & (prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix))}, prefix};
  NlAddrPtr broadcast = ipv4_nl_addr(subnet.broadcast(), 32);
  rtnl_addr_set_broadcast(addr.get(), broadcast.get());
  int err = rtnl_addr_add(sock.get(), addr.get(), 0);
  if (err < 0 && err != -NLE_EXIST) return netlink_error("RTM_NEWADDR " + to_string(address) + "/" + std::to_string(prefix), name, err);
  return {};
}

Result<void> add_default_route(const NetlinkSocket& sock, std::string_view name, Ipv4Address gateway) {
  int index = DL_TRY(required_index(sock, name));
  std::unique_ptr<rtnl_route, RtnlRoutePut> route(rtnl_route_alloc());
  NlAddrPtr anywhere = ipv4_nl_addr({0}, 0);
  NlAddrPtr via = ipv4_nl_addr(gateway, 32);
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_dst(route.get(), anywhere.get());
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
  rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
  rtnl_nexthop* hop = rtnl_route_nh_alloc();
  rtnl_route_nh_set_ifindex(hop, index);
  rtnl_route_nh_set_gateway(hop, via.get());
  rtnl_route_add_nexthop(route.get(), hop);  // the route owns the hop from here
  int err = rtnl_route_add(sock.get(), route.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err < 0) return netlink_error("RTM_NEWROUTE default via " + to_string(gateway), name, err);
  return {};
}

Result<void> create_veth(const NetlinkSocket& sock, const VethRequest& request) {
  int bridge = DL_TRY(required_index(sock, request.bridge));
  LinkPtr host(rtnl_link_veth_alloc());
  if (!host) return Error::invalid("rtnl_link_veth_alloc: out of memory");
  LinkPtr peer(rtnl_link_veth_get_peer(host.get()));
  rtnl_link_set_name(host.get(), request.host_name.c_str());
  rtnl_link_set_master(host.get(), bridge);
  rtnl_link_set_name(peer.get(), request.peer_name.c_str());
  rtnl_link_set_ns_fd(peer.get(), request.peer_netns_fd);
  int err = rtnl_link_add(sock.get(), host.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err == -NLE_EXIST) {
    return netlink_error("RTM_NEWLINK (veth)", request.host_name, err,
                         "an interface by this name exists already here, or \"" + request.peer_name +
                             "\" exists in the container's namespace: is the container connected already?");
  }
  if (err < 0) return netlink_error("RTM_NEWLINK (veth " + request.host_name + " <-> " + request.peer_name + ")", request.host_name, err);
  return {};
}

}  // namespace deploylab::ctr
