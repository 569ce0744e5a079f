// containers/net/netlink.h: the interface work of ip(8), over route netlink (libnl-route-3).
//
// `ip link add br0 type bridge`, `ip link set X up`, `ip addr add 10.88.0.1/24 dev br0`,
// `ip route add default via 10.88.0.1` are all messages on a NETLINK_ROUTE socket, and a socket
// speaks to the network namespace it was made in (netns.h makes one inside a container's). Each
// libnl object has one owner here (unique_ptr with libnl's put/free as deleter), so no error path
// leaks one.
#pragma once

#include <netlink/route/link.h>
#include <netlink/socket.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "containers/net/ipv4.h"

namespace deploylab::ctr {

struct NlSockFree {
  void operator()(nl_sock* sock) const { nl_socket_free(sock); }
};
struct RtnlLinkPut {
  void operator()(rtnl_link* link) const { rtnl_link_put(link); }
};
using LinkPtr = std::unique_ptr<rtnl_link, RtnlLinkPut>;

class NetlinkSocket {
 public:
  // A NETLINK_ROUTE socket in the calling thread's network namespace.
  static Result<NetlinkSocket> connect();
  nl_sock* get() const { return sock_.get(); }

 private:
  explicit NetlinkSocket(nl_sock* sock) : sock_(sock) {}
  std::unique_ptr<nl_sock, NlSockFree> sock_;
};

// The interface's index, or nullopt when there is none by that name.
Result<std::optional<int>> link_index(const NetlinkSocket& sock, std::string_view name);

// `ip link add NAME type bridge` unless it exists (then it must be a bridge).
Result<void> ensure_bridge(const NetlinkSocket& sock, std::string_view name);
// `ip link set NAME up`.
Result<void> set_link_up(const NetlinkSocket& sock, std::string_view name);
// `ip link del NAME`; no such interface is not an error.
Result<void> delete_link(const NetlinkSocket& sock, std::string_view name);
// `ip addr add ADDRESS/PREFIX dev NAME`; the address already there is not an error.
Result<void> add_address(const NetlinkSocket& sock, std::string_view name, Ipv4Address address, int prefix);
// `ip route add default via GATEWAY dev NAME`.
Result<void> add_default_route(const NetlinkSocket& sock, std::string_view name, Ipv4Address gateway);

struct VethRequest {
  std::string host_name;       // stays in `sock`'s namespace, enslaved to `bridge`
  std::string bridge;
  std::string peer_name;       // e.g. eth0, made straight inside the namespace of peer_netns_fd
  int peer_netns_fd = -1;
};
// `ip link add HOST master BRIDGE type veth peer name PEER netns NS`: one message makes both
// ends, so there is never a moment when the container's end sits in the host's namespace.
Result<void> create_veth(const NetlinkSocket& sock, const VethRequest& request);

}  // namespace deploylab::ctr
