// containers/net/network.h: the life of a network on the host: `minictr network create`, `ls`
// and `rm`.
//
// A network is a Linux bridge (a virtual switch) holding the gateway address, plus the iptables
// rules that let its containers out (masquerade) and in (forwarding). Creating one writes its
// definition (network_store.h), then sets the host up; set_up_network() can run again at any
// time (after a reboot the bridge is gone but /run/minictr may not be) and changes nothing that
// is already right.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/net/network_config.h"
#include "containers/net/network_store.h"

namespace deploylab::ctr {

// Bridge up with the gateway address, forwarding on, minictr's chains and this network's rules.
Result<void> set_up_network(const NetworkConfig& config);
// The reverse: the network's rules and its bridge.
Result<void> tear_down_network(const NetworkConfig& config);

Result<NetworkConfig> create_network(const NetworkStore& store, const NetworkRequest& request);
// Refuses while containers are attached (naming them).
Result<void> remove_network(const NetworkStore& store, const std::string& name);

struct NetworkUsage {
  NetworkConfig config;
  std::map<Ipv4Address, std::string> in_use;  // address -> container id
};
Result<std::vector<NetworkUsage>> list_networks(const NetworkStore& store);

}  // namespace deploylab::ctr
