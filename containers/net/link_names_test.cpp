// containers/net/link_names_test.cpp: interface and network names (link_names.h).
#include "containers/net/link_names.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

TEST(LinkNames, HostVethIsShortStableAndPerNetwork) {
  std::string name = host_veth_name("web", "a-container-id-far-longer-than-fifteen-characters");
  EXPECT_EQ(name.size(), 10u) << "\"vm\" + 8 hex digits, well under IFNAMSIZ: " << name;
  EXPECT_EQ(name.rfind("vm", 0), 0u) << name;
  EXPECT_EQ(name.find_first_not_of("0123456789abcdef", 2), std::string::npos) << name;
  EXPECT_EQ(name, host_veth_name("web", "a-container-id-far-longer-than-fifteen-characters")) << "the same id, the same name";
  EXPECT_NE(host_veth_name("web", "one"), host_veth_name("web", "two"));
  EXPECT_NE(host_veth_name("web", "one"), host_veth_name("db", "one")) << "one container on two networks needs two veths";
  EXPECT_TRUE(validate_interface_name(name).ok());
}

TEST(LinkNames, DefaultBridgeFitsIfnamsiz) {
  EXPECT_EQ(default_bridge_name("web"), "mctr-web");
  std::string longer = default_bridge_name("a-rather-long-network-name");
  EXPECT_LE(longer.size(), kMaxInterfaceName) << longer;
  EXPECT_NE(longer, default_bridge_name("a-rather-long-network-name2"));
}

TEST(LinkNames, ValidatesNames) {
  EXPECT_TRUE(validate_network_name("web-2").ok());
  for (const char* bad : {"", "-web", "Web", "a/b", "with space", "0123456789012345678901234567890123"}) {
    EXPECT_FALSE(validate_network_name(bad).ok()) << "network name \"" << bad << "\" must be refused";
  }
  EXPECT_FALSE(validate_interface_name("sixteen-chars-xx").ok());
  EXPECT_FALSE(validate_interface_name("a:b").ok());
  EXPECT_TRUE(validate_interface_name("br0").ok());
}

}  // namespace
}  // namespace deploylab::ctr
