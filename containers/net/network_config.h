// containers/net/network_config.h: what defines a network: its name, its bridge and its subnet;
// the checks a new one must pass and the default subnet it gets. Pure.
//
// `minictr network create web` makes the network "web" with the bridge "mctr-web" and the first
// 10.88.N.0/24 that no other network uses; --subnet and --bridge choose them instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/net/ipv4.h"

namespace deploylab::ctr {

struct NetworkConfig {
  std::string name;
  std::string bridge;
  Subnet subnet;
  Ipv4Address gateway() const { return subnet.gateway(); }
};

struct NetworkRequest {
  std::string name;
  std::optional<Subnet> subnet;  // empty: the first free 10.88.N.0/24
  std::string bridge;            // empty: default_bridge_name(name)
};

// The config for a new network next to `existing` ones: a valid, unused name, a bridge no other
// network has, and a subnet that overlaps none of theirs.
Result<NetworkConfig> plan_network(const NetworkRequest& request, const std::vector<NetworkConfig>& existing);

// The first 10.88.N.0/24 (N = 0..255) overlapping no existing subnet.
Result<Subnet> first_free_subnet(const std::vector<NetworkConfig>& existing);

// network.json: {"name": ..., "bridge": ..., "subnet": "10.88.0.0/24"}.
std::string to_json_text(const NetworkConfig& config);
Result<NetworkConfig> parse_network_config(std::string_view json, std::string_view origin);

}  // namespace deploylab::ctr
