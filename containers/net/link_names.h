// containers/net/link_names.h: the names minictr gives to network interfaces. Pure.
//
// The kernel allows interface names of at most 15 characters (IFNAMSIZ - 1), made of printable
// characters without '/', ':' or spaces. Container ids can be 1024 characters long, so a host veth
// cannot simply be named after its container: like Docker ("veth" + hash) and CNI, minictr derives
// a short name from a hash of the id: "vm" + 8 hex digits. The same id always gives the same name,
// so `delete` finds the veth again without having stored it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

inline constexpr std::size_t kMaxInterfaceName = 15;

// "vm" + 8 hex digits of FNV-1a over "NETWORK/ID" (one container may join several networks).
std::string host_veth_name(std::string_view network, std::string_view container_id);

// The default bridge of a network: "mctr-" + the name, cut to 15 characters; a name too long
// for that gets a hash instead ("mctr-" + 8 hex digits), so two long names do not collide.
std::string default_bridge_name(std::string_view network);

// A kernel-acceptable interface name.
Result<void> validate_interface_name(std::string_view name);

// A network name: 1 to 32 of [a-z0-9_-], starting with a letter or digit (it is a directory
// name and part of the default bridge name).
Result<void> validate_network_name(std::string_view name);

}  // namespace deploylab::ctr
