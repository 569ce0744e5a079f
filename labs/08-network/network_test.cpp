// labs/08-network/network_test.cpp: lab 08's graded tests of minictr's network on real busybox
// containers, as root. Each test makes its own network namespace to play "the host"
// (tests/containers/net_sandbox.h), so the machine's interfaces and iptables are never touched
// and everything vanishes with the namespace: a container gets its own address and a gateway,
// two containers talk across the bridge, egress leaves with the host's address, a published port
// answers on the host's addresses and 127.0.0.1, and delete leaves nothing behind. The pure tests
// of tasks 1-5 are beside the code, in containers/net/*_test.cpp.
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "common/file_io.h"
#include "tests/containers/net_sandbox.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;

// Container ids deploylab-test-l8-<what>-<pid>: two runs of the tests never meet.
std::string l8_id(const std::string& what) { return "deploylab-test-l8-" + what + "-" + std::to_string(::getpid()); }

const char* kWhereToLook =
    "a container on a network needs every task: the address (tasks 1-3: ipv4.cpp, ipam.cpp), the "
    "veth's name (task 4: link_names.cpp) and the veth's inside end (task 6: configure_inside in attach.cpp)";

class Network : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "lab 08's tests make network namespaces and containers: run them as root";
  }
};

TEST_F(Network, AContainerGetsItsOwnAddressAndAGateway) {
  NetSandbox s = NetSandbox::make();
  Completed made = create_network(s, "lab");
  ASSERT_EQ(made.status.code, 0) << transcript(made);
  TestBundle b = net_bundle(l8_id("addr"), {"sh", "-c", "ip -o -4 addr show eth0; ip route; ip -o link show eth0"});
  Completed done = run_on(s, b, "lab");
  ASSERT_EQ(done.status.code, 0) << kWhereToLook << "\n" << transcript(done);
  EXPECT_NE(done.out.find("inet 10.88.0.2/24"), std::string::npos)
      << "expected eth0 to hold 10.88.0.2/24, the first address after the gateway\n" << transcript(done);
  EXPECT_NE(done.out.find("default via 10.88.0.1 dev eth0"), std::string::npos)
      << "expected a default route via the bridge's address (add_default_route in configure_inside)\n" << transcript(done);
  EXPECT_NE(done.out.find(",UP"), std::string::npos) << "eth0 must be up inside\n" << transcript(done);
}

TEST_F(Network, TwoContainersTalkAcrossTheBridge) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  TestBundle server = web_server_bundle(l8_id("server"));
  Completed started = start(s, server, "lab");
  ASSERT_EQ(started.status.code, 0) << kWhereToLook << "\n" << transcript(started);
  std::string address = s.address_of(server.id());
  ASSERT_EQ(address, "10.88.0.2") << "minictr state's network.address of the first container";
  TestBundle client = net_bundle(l8_id("client"), {"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do " + http_get_script(address, 80) +
                                                                   " | grep hello && exit 0; sleep 0.2; done; exit 1"});
  Completed done = run_on(s, client, "lab");
  EXPECT_EQ(done.status.code, 0) << "the client container could not fetch http://10.88.0.2/ from the server container\n"
                                 << transcript(done);
  EXPECT_NE(done.out.find("hello from " + server.id()), std::string::npos) << transcript(done);
}

TEST_F(Network, EgressLeavesWithTheHostsAddress) {
  NetSandbox s = NetSandbox::make();
  FarNetwork internet = FarNetwork::make(s, "dlt-wan", "192.0.2.1", "192.0.2.2");
  write_file_atomic(s.root() / "who", "#!/bin/sh\nexec ss -Htn state established\n").value();
  fs::permissions(s.root() / "who", fs::perms::owner_all);
  ChildProcess listener = internet.spawn({"busybox", "nc", "-ll", "-p", "9000", "-e", (s.root() / "who").string()});
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  TestBundle b = net_bundle(l8_id("egress"), {"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1 | nc 192.0.2.2 9000 | grep 9000 "
                                                          "&& exit 0; sleep 0.2; done; exit 1"});
  Completed done = run_on(s, b, "lab");
  ASSERT_EQ(done.status.code, 0) << "the container could not reach 192.0.2.2 beyond the host\n" << kWhereToLook << "\n" << transcript(done);
  EXPECT_NE(done.out.find("192.0.2.1"), std::string::npos)
      << "the far side must see the host's address (masquerade), not the container's\n" << transcript(done);
}

TEST_F(Network, APublishedPortAnswersOnTheHostAndLocalhost) {
  NetSandbox s = NetSandbox::make();
  FarNetwork outside = FarNetwork::make(s, "dlt-wan", "192.0.2.1", "192.0.2.2");
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  TestBundle server = web_server_bundle(l8_id("publish"));
  Completed started = start(s, server, "lab", {"-p", "8080:80"});
  ASSERT_EQ(started.status.code, 0) << kWhereToLook << "\n" << transcript(started);
  Completed direct = fetch_soon(s, s.address_of(server.id()), 80);
  ASSERT_NE(direct.out.find("hello"), std::string::npos) << "the server answers on its own address\n" << transcript(direct);
  Completed via_host = fetch_soon(s, "192.0.2.1", 8080);
  EXPECT_NE(via_host.out.find("hello from"), std::string::npos)
      << "192.0.2.1:8080 must reach the container's port 80: the DNAT rule of task 5 (publish_rules)\n" << transcript(via_host);
  Completed via_localhost = fetch_soon(s, "127.0.0.1", 8080);
  EXPECT_NE(via_localhost.out.find("hello from"), std::string::npos) << "127.0.0.1:8080 too\n" << transcript(via_localhost);
}

TEST_F(Network, DeleteLeavesNoVethRuleOrAddress) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "lab").status.code, 0);
  std::string links_before = links(s);
  TestBundle b = web_server_bundle(l8_id("delete"));
  ASSERT_EQ(start(s, b, "lab", {"-p", "8081:80"}).status.code, 0) << kWhereToLook;
  ASSERT_NE(iptables_save(s).find("--dport 8081"), std::string::npos) << "the DNAT rule is there while it runs (task 5)";
  Completed deleted = s.minictr({"delete", "--force", b.id()});
  ASSERT_EQ(deleted.status.code, 0) << transcript(deleted);
  EXPECT_EQ(links(s), links_before) << "the host end of the veth must go with the container";
  EXPECT_EQ(iptables_save(s).find("8081"), std::string::npos) << "delete removes the DNAT rule with -D of the same spec";
  EXPECT_FALSE(fs::exists(s.root() / "networks/lab/ipam/10.88.0.2")) << "delete releases the address";
}

}  // namespace
}  // namespace deploylab::ctr::testing
