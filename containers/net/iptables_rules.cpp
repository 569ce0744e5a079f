// containers/net/iptables_rules.cpp: the rules minictr adds, as data (see iptables_rules.h).
#include "containers/net/iptables_rules.h"

namespace deploylab::ctr {
namespace {

std::vector<std::string> command(const IptablesRule& rule, std::string_view action) {
  std::vector<std::string> argv = {"iptables", "-w", "-t", rule.table, std::string(action), rule.chain};
  argv.insert(argv.end(), rule.spec.begin(), rule.spec.end());
  return argv;
}

}  // namespace

std::vector<IptablesChain> own_chains() {
  return {{"nat", kPostroutingChain}, {"nat", kDnatChain}, {"filter", kForwardChain}};
}

std::vector<IptablesRule> jump_rules() {
  // Only packets for one of the host's own addresses are candidates for a published port.
  const std::vector<std::string> to_dnat = {"-m", "addrtype", "--dst-type", "LOCAL", "-j", kDnatChain};
  return {
      {"nat", "POSTROUTING", {"-j", kPostroutingChain}, RulePosition::append},
      {"nat", "PREROUTING", to_dnat, RulePosition::append},
      {"nat", "OUTPUT", to_dnat, RulePosition::append},
      {"filter", "FORWARD", {"-j", kForwardChain}, RulePosition::first},
  };
}

std::vector<IptablesRule> network_rules(std::string_view bridge, const Subnet& subnet) {
  const std::string b(bridge);
  const std::string tag = "minictr network " + b;
  return {
      {"nat", kPostroutingChain, {"-s", to_string(subnet), "!", "-o", b, "-m", "comment", "--comment", tag, "-j", "MASQUERADE"}},
      {"nat", kPostroutingChain, {"-s", "127.0.0.0/8", "-o", b, "-m", "comment", "--comment", tag, "-j", "MASQUERADE"}},
      {"filter", kForwardChain, {"-i", b, "-m", "comment", "--comment", tag, "-j", "ACCEPT"}},
      {"filter", kForwardChain, {"-o", b, "-m", "comment", "--comment", tag, "-j", "ACCEPT"}},
  };
}

std::vector<IptablesRule> publish_rules(std::string_view container_id, Ipv4Address address,
                                        const std::vector<PortMapping>& ports) {
  std::vector<IptablesRule> rules;
  // BEGIN SOLUTION lab 8: the DNAT rule of each published port
  for (const PortMapping& port : ports) {
    std::vector<std::string> spec = {"-p", std::string(to_string(port.protocol))};
    if (port.host_ip) spec.insert(spec.end(), {"-d", to_string(*port.host_ip) + "/32"});
    spec.insert(spec.end(), {"--dport", std::to_string(port.host_port), "-m", "comment", "--comment",
                             "minictr container " + std::string(container_id), "-j", "DNAT", "--to-destination",
                             to_string(address) + ":" + std::to_string(port.container_port)});
    rules.push_back({"nat", kDnatChain, std::move(spec), RulePosition::append});
  }
  // END SOLUTION
  return rules;
}

std::vector<std::string> add_argv(const IptablesRule& rule) {
  return command(rule, rule.position == RulePosition::first ? "-I" : "-A");
}

std::vector<std::string> delete_argv(const IptablesRule& rule) { return command(rule, "-D"); }

std::vector<std::string> check_argv(const IptablesRule& rule) { return command(rule, "-C"); }

}  // namespace deploylab::ctr
