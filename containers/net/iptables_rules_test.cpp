// containers/net/iptables_rules_test.cpp: the rules minictr adds, as data (iptables_rules.h).
#include "containers/net/iptables_rules.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

using Words = std::vector<std::string>;

TEST(IptablesRules, PublishingIsOneDnatPerPort) {
  auto ports = parse_port_mappings({"8080:80", "127.0.0.1:5353:53/udp"}).value();
  auto rules = publish_rules("web-1", parse_ipv4("10.88.0.2").value(), ports);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].table, "nat");
  EXPECT_EQ(rules[0].chain, "MINICTR-DNAT");
  EXPECT_EQ(rules[0].spec, (Words{"-p", "tcp", "--dport", "8080", "-m", "comment", "--comment", "minictr container web-1", "-j",
                                  "DNAT", "--to-destination", "10.88.0.2:80"}));
  EXPECT_EQ(rules[1].spec, (Words{"-p", "udp", "-d", "127.0.0.1/32", "--dport", "5353", "-m", "comment", "--comment",
                                  "minictr container web-1", "-j", "DNAT", "--to-destination", "10.88.0.2:53"}))
      << "a host IP restricts the rule to that destination";
  EXPECT_TRUE(publish_rules("web-1", parse_ipv4("10.88.0.2").value(), {}).empty());
}

TEST(IptablesRules, AddAndDeleteUseTheSameSpec) {
  auto rule = publish_rules("web", parse_ipv4("10.88.0.2").value(), parse_port_mappings({"8080:80"}).value()).at(0);
  Words add = add_argv(rule);
  Words del = delete_argv(rule);
  EXPECT_EQ((Words{add.begin(), add.begin() + 6}), (Words{"iptables", "-w", "-t", "nat", "-A", "MINICTR-DNAT"}));
  EXPECT_EQ(del[4], "-D");
  EXPECT_EQ((Words{add.begin() + 5, add.end()}), (Words{del.begin() + 5, del.end()})) << "-D must name the rule -A added";
  EXPECT_EQ(check_argv(rule)[4], "-C");
}

TEST(IptablesRules, TheNetworkMasqueradesItsSubnetAndLocalhost) {
  auto rules = network_rules("mctr-web", parse_subnet("10.88.0.0/24").value());
  auto has = [&](const std::string& table, const Words& start) {
    for (const auto& rule : rules) {
      if (rule.table == table && Words(rule.spec.begin(), rule.spec.begin() + std::min(start.size(), rule.spec.size())) == start) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("nat", {"-s", "10.88.0.0/24", "!", "-o", "mctr-web"})) << "egress from the subnet is masqueraded";
  EXPECT_TRUE(has("nat", {"-s", "127.0.0.0/8", "-o", "mctr-web"})) << "127.0.0.1 hairpin to a published port";
  EXPECT_TRUE(has("filter", {"-i", "mctr-web"}));
  EXPECT_TRUE(has("filter", {"-o", "mctr-web"}));
}

TEST(IptablesRules, JumpsReachOwnChainsFromTheBuiltIns) {
  auto jumps = jump_rules();
  int to_dnat = 0;
  for (const auto& rule : jumps) {
    if (rule.spec.back() == "MINICTR-DNAT") ++to_dnat;
  }
  EXPECT_EQ(to_dnat, 2) << "PREROUTING (other machines) and OUTPUT (the host itself) both reach published ports";
  EXPECT_EQ(own_chains().size(), 3u);
}

}  // namespace
}  // namespace deploylab::ctr
