// containers/net/port_mapping.h: `-p [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]`, as Docker
// writes a published port. Pure.
//
// Publishing a port means: connections to HOSTPORT on the host (on every address of the host,
// or only on HOSTIP) are forwarded to CONTAINERPORT on the container's address (iptables DNAT,
// iptables_rules.h). "-p 8080:80" lets `curl http://HOST:8080/` reach a server on port 80 inside.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/net/ipv4.h"

namespace deploylab::ctr {

enum class Protocol { tcp, udp };
std::string_view to_string(Protocol protocol);

struct PortMapping {
  std::optional<Ipv4Address> host_ip;  // empty: every address of the host
  std::uint16_t host_port = 0;
  std::uint16_t container_port = 0;
  Protocol protocol = Protocol::tcp;
  bool operator==(const PortMapping&) const = default;

  // Two mappings conflict when they claim the same port and protocol on a common host address.
  bool conflicts_with(const PortMapping& other) const;
};

Result<PortMapping> parse_port_mapping(std::string_view text);
// Back to the -p syntax: "127.0.0.1:8080:80/tcp", "8080:80/udp".
std::string to_string(const PortMapping& mapping);
Result<std::vector<PortMapping>> parse_port_mappings(const std::vector<std::string>& texts);

}  // namespace deploylab::ctr
