// labs/08-network/network_hidden_test.cpp: lab 08's hidden tests (instructor only; the student
// kit leaves this file out): round-robin in a tiny subnet, a port published twice, a full pool
// that leaves nothing behind, addresses that survive a new minictr, and connect for a namespace a
// kubelet made.
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "containers/net/ipam.h"
#include "tests/containers/net_sandbox.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;

std::string l8h_id(const std::string& what) { return "deploylab-test-l8h-" + what + "-" + std::to_string(::getpid()); }

class NetworkHidden : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "run as root";
  }
};

TEST(NetworkHiddenPure, RoundRobinWrapsInASmallSubnet) {
  Subnet s = parse_subnet("172.20.0.16/29").value();  // .17 gateway, .18-.22, .23 broadcast
  auto ip = [](const char* text) { return parse_ipv4(text).value(); };
  EXPECT_EQ(to_string(*choose_free_address(s, {}, ip("172.20.0.22"))), "172.20.0.18") << "after the last, the first";
  EXPECT_EQ(to_string(*choose_free_address(s, {ip("172.20.0.18"), ip("172.20.0.19")}, ip("172.20.0.22"))), "172.20.0.20");
  EXPECT_EQ(to_string(*choose_free_address(s, {ip("172.20.0.21")}, ip("172.20.0.20"))), "172.20.0.22");
  EXPECT_FALSE(choose_free_address(s, {ip("172.20.0.18"), ip("172.20.0.19"), ip("172.20.0.20"), ip("172.20.0.21"), ip("172.20.0.22")},
                                   std::nullopt)
                   .has_value());
}

TEST_F(NetworkHidden, APortPublishedTwiceIsRefusedAndTheFirstKeepsWorking) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  TestBundle first = web_server_bundle(l8h_id("first"));
  ASSERT_EQ(start(s, first, "lab", {"-p", "8080:80"}).status.code, 0);
  TestBundle second = web_server_bundle(l8h_id("second"));
  Completed refused = start(s, second, "lab", {"-p", "8080:8080"});
  EXPECT_NE(refused.status.code, 0) << transcript(refused);
  EXPECT_NE(refused.err.find("already published"), std::string::npos) << transcript(refused);
  EXPECT_NE(fetch_soon(s, "127.0.0.1", 8080).out.find("hello from " + first.id()), std::string::npos);
}

TEST_F(NetworkHidden, AFullPoolLeavesNothingBehind) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "tiny", "10.77.0.0/30").status.code, 0);
  TestBundle first = net_bundle(l8h_id("pool1"), {"sleep", "60"});
  ASSERT_EQ(start(s, first, "tiny").status.code, 0);
  std::string before = links(s);
  TestBundle second = net_bundle(l8h_id("pool2"), {"sleep", "60"});
  Completed refused = start(s, second, "tiny");
  EXPECT_NE(refused.status.code, 0);
  EXPECT_NE(refused.err.find("no free address"), std::string::npos) << transcript(refused);
  EXPECT_EQ(links(s), before);
  EXPECT_FALSE(fs::exists(s.root() / second.id()));
}

TEST_F(NetworkHidden, AddressesSurviveANewMinictr) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  TestBundle first = net_bundle(l8h_id("keep1"), {"sleep", "60"});
  ASSERT_EQ(start(s, first, "lab").status.code, 0);
  TestBundle second = net_bundle(l8h_id("keep2"), {"ip", "-o", "-4", "addr", "show", "eth0"});
  Completed done = run_on(s, second, "lab");
  EXPECT_NE(done.out.find("10.88.0.3/24"), std::string::npos) << "10.88.0.2 belongs to the first container\n" << transcript(done);
  EXPECT_FALSE(fs::exists(s.root() / "networks/lab/ipam/10.88.0.3")) << "run released its address at the end";
}

TEST_F(NetworkHidden, ConnectGivesAPodNamespaceAnAddress) {
  NetSandbox s = NetSandbox::make();
  FarNetwork pod = FarNetwork::make(s, "dlt-x", "192.0.2.1", "192.0.2.2");
  ASSERT_EQ(s.run({"ip", "link", "del", "dlt-x"}).status.code, 0);
  ASSERT_EQ(create_network(s, "pods").status.code, 0);
  Completed connected = s.minictr({"network", "connect", "pods", l8h_id("pod"), "--netns", pod.netns_path()});
  ASSERT_EQ(connected.status.code, 0) << transcript(connected);
  EXPECT_EQ(connected.out, "10.88.0.2/24\n");
  EXPECT_EQ(s.minictr({"network", "disconnect", "pods", l8h_id("pod")}).status.code, 0);
  EXPECT_FALSE(fs::exists(s.root() / "networks/pods/ipam/10.88.0.2"));
}

}  // namespace
}  // namespace deploylab::ctr::testing
