// containers/net/iptables_rules.h: minictr's iptables rules, as data. Pure.
//
// minictr keeps its rules in chains of its own, as Docker and CNI's portmap do, so they are easy
// to find (`iptables-save | grep MINICTR`) and never mixed with the host's:
//
//   nat    POSTROUTING -> MINICTR-POSTROUTING   masquerade: containers reach the outside world
//                                               with the host's address as source
//   nat    PREROUTING  -> MINICTR-DNAT          published ports, for packets from other machines
//   nat    OUTPUT      -> MINICTR-DNAT          ... and for connections the host itself makes
//   filter FORWARD     -> MINICTR-FORWARD       let the bridge's traffic through
//
// A rule is (table, chain, match-and-target words). The same words add it (-A or -I) and delete
// it (-D), so deleting exactly what was added needs no bookkeeping beyond the inputs: the network
// and the container's address and ports give back the rules. iptables.h runs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "containers/net/ipv4.h"
#include "containers/net/port_mapping.h"

namespace deploylab::ctr {

inline constexpr const char* kPostroutingChain = "MINICTR-POSTROUTING";
inline constexpr const char* kDnatChain = "MINICTR-DNAT";
inline constexpr const char* kForwardChain = "MINICTR-FORWARD";

enum class RulePosition { append, first };  // -A, or -I at the top (ahead of a host's DROP)

struct IptablesRule {
  std::string table;
  std::string chain;
  std::vector<std::string> spec;  // matches, then -j TARGET and its options
  RulePosition position = RulePosition::append;
  bool operator==(const IptablesRule&) const = default;
};

struct IptablesChain {
  std::string table;
  std::string name;
};

// minictr's own chains, and the rules that jump to them from the built-in chains.
std::vector<IptablesChain> own_chains();
std::vector<IptablesRule> jump_rules();

// One network's rules: masquerade of its subnet leaving by another interface, masquerade of
// 127.0.0.0/8 leaving by its bridge (the host reaching a published port as 127.0.0.1), and
// forwarding to and from the bridge.
std::vector<IptablesRule> network_rules(std::string_view bridge, const Subnet& subnet);

// One container's published ports: a DNAT rule per port, tagged with the container id.
std::vector<IptablesRule> publish_rules(std::string_view container_id, Ipv4Address address,
                                        const std::vector<PortMapping>& ports);

// argv for the iptables command: -A/-I to add, -D to delete, -C to check. -w waits for the
// xtables lock instead of failing when another iptables runs.
std::vector<std::string> add_argv(const IptablesRule& rule);
std::vector<std::string> delete_argv(const IptablesRule& rule);
std::vector<std::string> check_argv(const IptablesRule& rule);

}  // namespace deploylab::ctr
