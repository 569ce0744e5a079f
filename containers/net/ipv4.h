// containers/net/ipv4.h: IPv4 addresses and subnets, as numbers. Pure: no sockets, no files.
//
// A subnet is a network address plus a prefix length: 10.88.0.0/24 holds 256 addresses, of
// which the first (10.88.0.0, the network) and the last (10.88.0.255, broadcast) name the
// subnet itself and are never given to a host. minictr's bridge takes the first host address
// (10.88.0.1, the containers' gateway) and IPAM (ipam.h) hands out the rest, one per container.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

// An IPv4 address in host byte order, so that "the next address" is value + 1.
struct Ipv4Address {
  std::uint32_t value = 0;
  auto operator<=>(const Ipv4Address&) const = default;
};

// "10.88.0.7": four decimal numbers 0..255, no leading '+' or spaces.
Result<Ipv4Address> parse_ipv4(std::string_view text);
std::string to_string(Ipv4Address address);

struct Subnet {
  Ipv4Address network;  // host bits zero
  int prefix = 0;       // 0..32
  auto operator<=>(const Subnet&) const = default;

  Ipv4Address gateway() const { return {network.value + 1}; }   // the first host address
  Ipv4Address broadcast() const;                                // the last address
  bool contains(Ipv4Address address) const;
  bool overlaps(const Subnet& other) const;
  // Addresses a container can get: all but network, broadcast and gateway.
  std::uint64_t assignable_count() const;
  // The address after `address` among the assignable ones, wrapping round to the first.
  Ipv4Address next_assignable(Ipv4Address address) const;
  bool is_assignable(Ipv4Address address) const;
};

// "10.88.0.0/24". Host bits must be zero (10.88.0.1/24 is refused: which subnet was meant?), and
// the prefix must leave room for a gateway and one container: /8 to /30.
Result<Subnet> parse_subnet(std::string_view text);
std::string to_string(const Subnet& subnet);

}  // namespace deploylab::ctr
