// containers/net/ipam_test.cpp: choosing addresses (pure) and the host-local store on disk,
// including several processes allocating at once (ipam.h).
#include "containers/net/ipam.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

Ipv4Address ip(const char* text) { return parse_ipv4(text).value(); }
Subnet subnet(const char* text) { return parse_subnet(text).value(); }

TEST(ChooseFreeAddress, StartsAfterTheGatewayThenGoesRoundRobin) {
  Subnet s = subnet("10.88.0.0/24");
  EXPECT_EQ(to_string(*choose_free_address(s, {}, std::nullopt)), "10.88.0.2") << "first use: the address after the gateway";
  EXPECT_EQ(to_string(*choose_free_address(s, {ip("10.88.0.2")}, ip("10.88.0.2"))), "10.88.0.3");
  EXPECT_EQ(to_string(*choose_free_address(s, {}, ip("10.88.0.2"))), "10.88.0.3")
      << "10.88.0.2 was freed, but the search goes on after the last one given out";
  EXPECT_EQ(to_string(*choose_free_address(s, {ip("10.88.0.2")}, ip("10.88.0.254"))), "10.88.0.3")
      << "after .254 the search wraps round to .2 (taken) and .3";
}

TEST(ChooseFreeAddress, NothingWhenTheSubnetIsFull) {
  Subnet s = subnet("10.88.0.0/30");  // only 10.88.0.2
  EXPECT_EQ(to_string(*choose_free_address(s, {}, std::nullopt)), "10.88.0.2");
  EXPECT_FALSE(choose_free_address(s, {ip("10.88.0.2")}, std::nullopt).has_value());
}

class IpamOnDisk : public ::testing::Test {
 protected:
  TempDir dir_ = TempDir::create("deploylab-test-ipam-").value();
  Ipam make(const char* cidr) { return Ipam("test", subnet(cidr), dir_ / "ipam"); }
};

TEST_F(IpamOnDisk, AllocatesIdempotentlyAndReleases) {
  Ipam ipam = make("10.88.0.0/24");
  Ipv4Address a = ipam.allocate("a").value();
  EXPECT_EQ(to_string(a), "10.88.0.2");
  EXPECT_EQ(ipam.allocate("a").value(), a) << "the same container asking again gets the same address";
  EXPECT_EQ(to_string(ipam.allocate("b").value()), "10.88.0.3");
  EXPECT_EQ(read_file(dir_ / "ipam" / "10.88.0.2").value(), "a\n") << "one file per address, naming the container";
  EXPECT_EQ(ipam.release("a").value(), a);
  EXPECT_FALSE(fs::exists(dir_ / "ipam" / "10.88.0.2"));
  EXPECT_FALSE(ipam.release("a").value().has_value()) << "releasing twice is harmless";
  EXPECT_EQ(to_string(ipam.allocate("c").value()), "10.88.0.4") << "round-robin: the freed .2 is not reused at once";
}

TEST_F(IpamOnDisk, SurvivesANewIpamObject) {
  EXPECT_EQ(to_string(make("10.88.0.0/24").allocate("a").value()), "10.88.0.2");
  Ipam again = make("10.88.0.0/24");  // a new minictr process reads the same files
  EXPECT_EQ(to_string(again.allocate("a").value()), "10.88.0.2");
  EXPECT_EQ(to_string(again.allocate("b").value()), "10.88.0.3");
  EXPECT_EQ(again.in_use().value().size(), 2u);
}

TEST_F(IpamOnDisk, AFullPoolSaysWhoAndWhatToDo) {
  Ipam ipam = make("10.88.0.0/30");
  ipam.allocate("only").value();
  auto refused = ipam.allocate("second");
  ASSERT_FALSE(refused.ok()) << "a /30 has one address for containers";
  std::string message = refused.error().message();
  EXPECT_NE(message.find("\"test\""), std::string::npos) << message;
  EXPECT_NE(message.find("10.88.0.0/30"), std::string::npos) << message;
  EXPECT_NE(message.find("1 of"), std::string::npos) << "the error says how many are in use: " << message;
  EXPECT_NE(message.find("--subnet"), std::string::npos) << message;
}

TEST_F(IpamOnDisk, ConcurrentProcessesGetDistinctAddresses) {
  constexpr int kProcesses = 8;
  constexpr int kEach = 5;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Ipam ipam = make("10.88.0.0/24");
      bool ok = true;
      for (int i = 0; i < kEach; ++i) ok = ok && ipam.allocate("c" + std::to_string(p) + "-" + std::to_string(i)).ok();
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "an allocating process failed";
  }
  auto in_use = make("10.88.0.0/24").in_use().value();
  std::set<std::string> owners;
  for (const auto& [address, owner] : in_use) owners.insert(owner);
  EXPECT_EQ(in_use.size(), static_cast<std::size_t>(kProcesses * kEach)) << "every allocation got an address of its own";
  EXPECT_EQ(owners.size(), static_cast<std::size_t>(kProcesses * kEach)) << "no address was given to two containers";
}

}  // namespace
}  // namespace deploylab::ctr
