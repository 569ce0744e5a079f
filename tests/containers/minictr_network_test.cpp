// tests/containers/minictr_network_test.cpp: minictr's container network end to end (lab 08's
// runtime, containers/net), as root, each test inside a network namespace of its own
// (net_sandbox.h) so the machine's interfaces and iptables are never touched: addresses from the
// subnet, container to container, egress through masquerade, published ports from the host and
// 127.0.0.1, conflicts, a full pool, clean deletes, --net none/host, concurrency, restarts and bad
// input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <thread>

#include "common/file_io.h"
#include "tests/containers/net_sandbox.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A bundle whose program is `args`; its container id is deploylab-test-net-<what>.
TestBundle bundle(const std::string& what, const std::vector<std::string>& args) {
  return net_bundle("deploylab-test-net-" + what, args);
}

TestBundle web_server(const std::string& what) { return web_server_bundle("deploylab-test-net-" + what); }

class MinictrNetwork : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "the network tests need root";
  }
};

TEST_F(MinictrNetwork, AContainerGetsAnAddressInTheSubnetAndReachesTheGateway) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  // The gateway answers: busybox httpd on the sandbox host's bridge address.
  ChildProcess server = ChildProcess::spawn({"nsenter", "--net=" + s.netns_path(), "--", "busybox", "httpd", "-f", "-p", "10.88.0.1:8000",
                                              "-h", s.root().string()}).value();
  write_file_atomic(s.root() / "index.html", "gateway here\n").value();
  TestBundle b = bundle("addr", {"sh", "-c", "ip -o -4 addr show eth0; ip route; " + http_get_script("10.88.0.1", 8000)});
  Completed done = run_on(s, b, "web");
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("inet 10.88.0.2/24"), std::string::npos) << "the first container gets 10.88.0.2/24 on eth0\n" << transcript(done);
  EXPECT_NE(done.out.find("default via 10.88.0.1"), std::string::npos) << "the default route goes via the bridge\n" << transcript(done);
  EXPECT_NE(done.out.find("gateway here"), std::string::npos) << "the container reaches the gateway\n" << transcript(done);
}

TEST_F(MinictrNetwork, TwoContainersTalkByAddress) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle server = web_server("server");
  Completed started = start(s, server, "web");
  ASSERT_EQ(started.status.code, 0) << transcript(started);
  std::string address = s.address_of(server.id());
  ASSERT_FALSE(address.empty()) << "minictr state shows the container's network address";
  TestBundle client = bundle("client", {"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do " + http_get_script(address, 80) +
                                                        " | grep hello && exit 0; sleep 0.2; done; exit 1"});
  Completed done = run_on(s, client, "web");
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("hello from " + server.id()), std::string::npos) << transcript(done);
}

TEST_F(MinictrNetwork, EgressIsMasqueradedBehindTheHostsAddress) {
  NetSandbox s = NetSandbox::make();
  FarNetwork internet = FarNetwork::make(s, "dlt-wan", "192.0.2.1", "192.0.2.2");
  // The far side answers each connection with its own view of it (ss): who called. The client
  // keeps its input open a second (sleep), as busybox nc stops at the end of its input.
  write_file_atomic(s.root() / "who", "#!/bin/sh\nexec ss -Htn state established\n").value();
  fs::permissions(s.root() / "who", fs::perms::owner_all);
  ChildProcess listener = internet.spawn({"busybox", "nc", "-ll", "-p", "9000", "-e", (s.root() / "who").string()});
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle b = bundle("egress", {"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1 | nc 192.0.2.2 9000 | grep 9000 && exit 0; "
                                               "sleep 0.2; done; exit 1"});
  Completed done = run_on(s, b, "web");
  ASSERT_EQ(done.status.code, 0) << "the container reaches 192.0.2.2 through the host\n" << transcript(done);
  // ss prints the far side's view of the connection: local 192.0.2.2:9000, peer <source>:<port>.
  EXPECT_NE(done.out.find("192.0.2.1"), std::string::npos) << "the far side sees the host's address as the source\n" << transcript(done);
  EXPECT_EQ(done.out.find("10.88."), std::string::npos) << "the container's own address must not leave the host\n" << transcript(done);
}

TEST_F(MinictrNetwork, APublishedPortAnswersOnTheHostsAddressAndLocalhost) {
  NetSandbox s = NetSandbox::make();
  FarNetwork outside = FarNetwork::make(s, "dlt-wan", "192.0.2.1", "192.0.2.2");  // gives the host 192.0.2.1
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle server = web_server("published");
  Completed started = start(s, server, "web", {"-p", "8080:80"});
  ASSERT_EQ(started.status.code, 0) << transcript(started);
  Completed via_address = fetch_soon(s, "192.0.2.1", 8080);
  EXPECT_NE(via_address.out.find("hello from"), std::string::npos) << "DNAT in OUTPUT for the host's own address (192.0.2.1)\n" << transcript(via_address);
  Completed via_localhost = fetch_soon(s, "127.0.0.1", 8080);
  EXPECT_NE(via_localhost.out.find("hello from"), std::string::npos)
      << "127.0.0.1 needs route_localnet and the masquerade of 127.0.0.0/8\n" << transcript(via_localhost);
  auto state = nlohmann::json::parse(s.minictr({"state", server.id()}).out, nullptr, false);
  EXPECT_EQ(state["network"]["ports"], nlohmann::json::array({"8080:80/tcp"})) << state.dump();
}

TEST_F(MinictrNetwork, PublishingAPortTwiceFailsAndTheFirstKeepsWorking) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  ASSERT_EQ(create_network(s, "db").status.code, 0);
  TestBundle first = web_server("first");
  ASSERT_EQ(start(s, first, "web", {"-p", "8080:80"}).status.code, 0);
  TestBundle second = web_server("second");
  Completed refused = start(s, second, "db", {"-p", "8080:80"});
  EXPECT_NE(refused.status.code, 0) << "8080/tcp is taken, even on another network\n" << transcript(refused);
  EXPECT_NE(refused.err.find("already published"), std::string::npos) << transcript(refused);
  EXPECT_NE(refused.err.find(first.id()), std::string::npos) << "the error names the container holding the port\n" << transcript(refused);
  EXPECT_FALSE(fs::exists(s.root() / second.id())) << "the refused container left no state";
  EXPECT_EQ(iptables_save(s).find("minictr container " + second.id()), std::string::npos);
  Completed still = fetch_soon(s, "127.0.0.1", 8080);
  EXPECT_NE(still.out.find("hello from " + first.id()), std::string::npos) << transcript(still);
}

TEST_F(MinictrNetwork, AFullPoolFailsClearlyAndLeavesNothingBehind) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "tiny", "10.99.0.0/30").status.code, 0);
  TestBundle first = bundle("pool-1", {"sleep", "60"});
  ASSERT_EQ(start(s, first, "tiny").status.code, 0);
  std::string links_before = links(s);
  TestBundle second = bundle("pool-2", {"sleep", "60"});
  Completed refused = start(s, second, "tiny", {"-p", "9090:80"});
  EXPECT_NE(refused.status.code, 0) << transcript(refused);
  EXPECT_NE(refused.err.find("no free address"), std::string::npos) << transcript(refused);
  EXPECT_NE(refused.err.find("10.99.0.0/30"), std::string::npos) << transcript(refused);
  EXPECT_FALSE(fs::exists(s.root() / second.id())) << "no container state left";
  EXPECT_EQ(links(s), links_before) << "no veth left\nbefore:\n" << links_before << "after:\n" << links(s);
  EXPECT_EQ(iptables_save(s).find("9090"), std::string::npos) << "no rule left";
  EXPECT_FALSE(cgroup_left_behind(second.id()));
}

TEST_F(MinictrNetwork, DeleteRemovesTheVethTheRulesAndTheAddress) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle b = web_server("delete");
  ASSERT_EQ(start(s, b, "web", {"-p", "8080:80"}).status.code, 0);
  std::string address = s.address_of(b.id());
  fs::path ipam_file = s.root() / "networks/web/ipam" / address;
  EXPECT_TRUE(fs::exists(ipam_file)) << ipam_file;
  EXPECT_NE(iptables_save(s).find("minictr container " + b.id()), std::string::npos);
  EXPECT_NE(links(s).find("vm"), std::string::npos) << "the host end of the veth is there while it runs\n" << links(s);
  Completed deleted = s.minictr({"delete", "--force", b.id()});
  ASSERT_EQ(deleted.status.code, 0) << transcript(deleted);
  EXPECT_EQ(links(s).find("vm"), std::string::npos) << "delete removes the host veth\n" << links(s);
  EXPECT_EQ(iptables_save(s).find("minictr container " + b.id()), std::string::npos) << iptables_save(s);
  EXPECT_FALSE(fs::exists(ipam_file)) << "delete releases the address";
}

TEST_F(MinictrNetwork, NetworkRmRefusesWhileInUse) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle b = bundle("inuse", {"sleep", "60"});
  ASSERT_EQ(start(s, b, "web").status.code, 0);
  Completed refused = s.minictr({"network", "rm", "web"});
  EXPECT_NE(refused.status.code, 0) << transcript(refused);
  EXPECT_NE(refused.err.find(b.id()), std::string::npos) << "the error names the containers\n" << transcript(refused);
  ASSERT_EQ(s.minictr({"delete", "--force", b.id()}).status.code, 0);
  Completed removed = s.minictr({"network", "rm", "web"});
  EXPECT_EQ(removed.status.code, 0) << transcript(removed);
  EXPECT_EQ(links(s).find("mctr-web"), std::string::npos) << "rm removes the bridge";
  EXPECT_EQ(iptables_save(s).find("MINICTR"), std::string::npos) << "the last network's rm removes every chain\n" << iptables_save(s);
}

TEST_F(MinictrNetwork, NetNoneHasOnlyLoopback) {
  NetSandbox s = NetSandbox::make();
  TestBundle b = bundle("none", {"ip", "-o", "link"});
  Completed done = run_on(s, b, "none");
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("lo:"), std::string::npos) << transcript(done);
  EXPECT_EQ(std::count(done.out.begin(), done.out.end(), '\n'), 1) << "only lo\n" << transcript(done);
}

TEST_F(MinictrNetwork, NetHostSeesTheHostsInterfaces) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(s.sh("ip link add dlt-marker type veth peer name dlt-marker2").status.code, 0);
  TestBundle b = bundle("host", {"ip", "-o", "link"});
  Completed done = run_on(s, b, "host");
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("dlt-marker"), std::string::npos) << "--net host shares the (sandbox) host's interfaces\n" << transcript(done);
}

TEST_F(MinictrNetwork, ConcurrentContainersGetDistinctAddresses) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  constexpr int kContainers = 4;
  std::vector<TestBundle> bundles;
  std::string script;
  for (int i = 0; i < kContainers; ++i) {
    bundles.push_back(bundle("many-" + std::to_string(i), {"sh", "-c", "ip -o -4 addr show eth0; sleep 1"}));
    script += shell_words({minictr_binary().string(), "--root", s.root().string(), "run", "--net", "web", "--bundle",
                           bundles.back().dir().string(), bundles.back().id()}) + " & ";
  }
  Completed done = s.sh(script + "wait", 120s);
  std::set<std::string> addresses;
  for (std::size_t at = done.out.find("inet "); at != std::string::npos; at = done.out.find("inet ", at + 1)) {
    addresses.insert(done.out.substr(at, done.out.find('/', at) - at));
  }
  EXPECT_EQ(addresses.size(), static_cast<std::size_t>(kContainers)) << "four containers at once, four addresses\n" << transcript(done);
  EXPECT_EQ(s.minictr({"network", "ls", "--json"}).out.find("deploylab-test"), std::string::npos) << "all released after run";
}

TEST_F(MinictrNetwork, AddressesSurviveANewMinictrProcess) {
  NetSandbox s = NetSandbox::make();
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle first = bundle("keep-1", {"sleep", "60"});
  ASSERT_EQ(start(s, first, "web").status.code, 0);
  TestBundle second = bundle("keep-2", {"sleep", "60"});
  ASSERT_EQ(start(s, second, "web").status.code, 0);
  EXPECT_EQ(s.address_of(first.id()), "10.88.0.2");
  EXPECT_EQ(s.address_of(second.id()), "10.88.0.3") << "a new minictr process reads the first one's allocation from disk";
  auto listed = nlohmann::json::parse(s.minictr({"network", "ls", "--json"}).out, nullptr, false);
  ASSERT_TRUE(listed.is_array() && listed.size() == 1) << listed.dump();
  EXPECT_EQ(listed[0]["addresses"]["10.88.0.2"], first.id()) << listed.dump();
  EXPECT_EQ(listed[0]["addresses"]["10.88.0.3"], second.id()) << listed.dump();
}

TEST_F(MinictrNetwork, ConnectAttachesANamespaceSomeoneElseMade) {
  NetSandbox s = NetSandbox::make();
  FarNetwork pod = FarNetwork::make(s, "dlt-unused", "192.0.2.1", "192.0.2.2");  // any namespace will do
  ASSERT_EQ(s.run({"ip", "link", "del", "dlt-unused"}).status.code, 0);
  ASSERT_EQ(create_network(s, "pods").status.code, 0);
  Completed connected = s.minictr({"network", "connect", "pods", "deploylab-test-pod", "--netns", pod.netns_path()});
  ASSERT_EQ(connected.status.code, 0) << transcript(connected);
  EXPECT_EQ(connected.out, "10.88.0.2/24\n") << "connect prints the address";
  Completed inside = s.run({"nsenter", "--net=" + pod.netns_path(), "--", "ip", "-o", "-4", "addr", "show", "eth0"});
  EXPECT_NE(inside.out.find("10.88.0.2/24"), std::string::npos) << transcript(inside);
  Completed disconnected = s.minictr({"network", "disconnect", "pods", "deploylab-test-pod"});
  EXPECT_EQ(disconnected.status.code, 0) << transcript(disconnected);
  EXPECT_EQ(links(s).find("vm"), std::string::npos) << links(s);
}

TEST_F(MinictrNetwork, AConnectThatFailsHalfWayUndoesItsSteps) {
  NetSandbox s = NetSandbox::make();
  FarNetwork pod = FarNetwork::make(s, "dlt-unused", "192.0.2.1", "192.0.2.2");  // the pod has an eth0 already
  ASSERT_EQ(create_network(s, "pods").status.code, 0);
  std::string links_before = links(s);
  Completed refused = s.minictr({"network", "connect", "pods", "deploylab-test-dup", "--netns", pod.netns_path(), "-p", "7070:70"});
  EXPECT_NE(refused.status.code, 0) << "the veth's inside end cannot be named eth0 twice\n" << transcript(refused);
  EXPECT_NE(refused.err.find("RTM_NEWLINK"), std::string::npos) << transcript(refused);
  EXPECT_EQ(links(s), links_before) << "no veth left";
  EXPECT_FALSE(fs::exists(s.root() / "networks/pods/ipam/10.88.0.2")) << "the address was released again";
  EXPECT_FALSE(fs::exists(s.root() / "networks/pods/attachments/deploylab-test-dup.json"));
  EXPECT_EQ(iptables_save(s).find("7070"), std::string::npos) << "no rule left";
}

TEST_F(MinictrNetwork, BadInputIsRefusedClearly) {
  NetSandbox s = NetSandbox::make();
  Completed bad_cidr = create_network(s, "web", "10.88.0.1/24");
  EXPECT_NE(bad_cidr.status.code, 0);
  EXPECT_NE(bad_cidr.err.find("host bits"), std::string::npos) << transcript(bad_cidr);
  ASSERT_EQ(create_network(s, "web").status.code, 0);
  TestBundle b = bundle("bad", {"true"});
  Completed bad_port = s.minictr({"run", "--net", "web", "-p", "80", "--bundle", b.dir().string(), b.id()});
  EXPECT_NE(bad_port.status.code, 0);
  EXPECT_NE(bad_port.err.find("HOSTPORT:CONTAINERPORT"), std::string::npos) << transcript(bad_port);
  Completed unknown = s.minictr({"run", "--net", "nosuch", "--bundle", b.dir().string(), b.id()});
  EXPECT_NE(unknown.status.code, 0);
  EXPECT_NE(unknown.err.find("network \"nosuch\" does not exist"), std::string::npos) << transcript(unknown);
  EXPECT_FALSE(fs::exists(s.root() / b.id())) << "a failed create leaves no state";
  Completed port_without_net = s.minictr({"run", "-p", "8080:80", "--bundle", b.dir().string(), b.id()});
  EXPECT_NE(port_without_net.status.code, 0);
  EXPECT_NE(port_without_net.err.find("--net NAME"), std::string::npos) << transcript(port_without_net);
  Completed overlap = create_network(s, "other", "10.88.0.0/16");
  EXPECT_NE(overlap.err.find("overlaps"), std::string::npos) << transcript(overlap);
  ASSERT_EQ(s.sh("ip link add dlt-taken type bridge").status.code, 0);
  Completed taken = s.minictr({"network", "create", "other", "--bridge", "dlt-taken"});
  EXPECT_NE(taken.err.find("exists already"), std::string::npos) << "an existing interface is never taken over\n" << transcript(taken);
  EXPECT_EQ(s.minictr({"network", "rm", "nosuch"}).status.code, 1);
}

}  // namespace
}  // namespace deploylab::ctr::testing
