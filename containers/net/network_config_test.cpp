// containers/net/network_config_test.cpp: planning a network (network_config.h).
#include "containers/net/network_config.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

NetworkConfig config(const char* name, const char* cidr) { return {name, std::string("mctr-") + name, parse_subnet(cidr).value()}; }

TEST(PlanNetwork, DefaultsToTheFirstFree10_88Subnet) {
  NetworkConfig first = plan_network({"web", std::nullopt, ""}, {}).value();
  EXPECT_EQ(to_string(first.subnet), "10.88.0.0/24");
  EXPECT_EQ(first.bridge, "mctr-web");
  NetworkConfig second = plan_network({"db", std::nullopt, ""}, {config("web", "10.88.0.0/24")}).value();
  EXPECT_EQ(to_string(second.subnet), "10.88.1.0/24");
}

TEST(PlanNetwork, RefusesDuplicatesAndOverlaps) {
  std::vector<NetworkConfig> existing = {config("web", "10.88.0.0/16")};
  EXPECT_FALSE(plan_network({"web", parse_subnet("10.99.0.0/24").value(), ""}, existing).ok()) << "the name is taken";
  auto overlap = plan_network({"db", parse_subnet("10.88.7.0/24").value(), ""}, existing);
  ASSERT_FALSE(overlap.ok());
  EXPECT_NE(overlap.error().message().find("overlaps"), std::string::npos) << overlap.error().message();
  EXPECT_FALSE(plan_network({"db", std::nullopt, "mctr-web"}, existing).ok()) << "the bridge is taken";
  EXPECT_FALSE(plan_network({"Bad Name", std::nullopt, ""}, {}).ok());
}

TEST(PlanNetwork, ConfigRoundTripsThroughJson) {
  NetworkConfig c = config("web", "10.88.3.0/24");
  NetworkConfig back = parse_network_config(to_json_text(c), "network.json").value();
  EXPECT_EQ(back.name, "web");
  EXPECT_EQ(back.bridge, "mctr-web");
  EXPECT_EQ(back.subnet, c.subnet);
  EXPECT_FALSE(parse_network_config("{\"name\": 1}", "network.json").ok());
}

}  // namespace
}  // namespace deploylab::ctr
