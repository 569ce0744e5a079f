// tests/store/store_server_test.cpp: StoreServer starts, stops and restarts a real etcd or
// ministore, and a server that cannot start is reported with its own output
// (orchestrator/store/client/store_server.h).
#include <gtest/gtest.h>

#include <signal.h>

#include <cerrno>

#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

class StoreServerTest : public ::testing::TestWithParam<ServerKind> {
 protected:
  void SetUp() override {
    if (auto why = server_unavailable(GetParam())) GTEST_SKIP() << *why;
  }
};

TEST_P(StoreServerTest, AServerThatCannotStartIsReportedWithItsOutput) {
  TempDir dir = TempDir::create("deploylab-test-server-").value();
  StoreServerOptions options;
  options.kind = GetParam();
  options.data_dir = dir.path();
  options.extra_args = {"--no-such-flag"};
  auto started = StoreServer::start(options);
  ASSERT_FALSE(started.ok()) << "a bad flag must make the start fail";
  std::string message = started.error().message();
  EXPECT_NE(message.find("server.log"), std::string::npos) << "the error names the log: " << message;
  EXPECT_NE(message.find("no-such-flag"), std::string::npos) << "and shows what the server said: " << message;
}

TEST_P(StoreServerTest, StopEndsTheProcessAndRestartComesBackOnThePortWithTheData) {
  auto running = start_server(GetParam());
  StoreServer& server = running->server;
  pid_t pid = server.pid();
  ASSERT_GT(pid, 0);
  std::string endpoint = server.endpoint();
  StoreClient client = connect_to(endpoint);
  Revision written = put(client, "/server/k", "v");

  ASSERT_TRUE(server.stop().ok());
  EXPECT_EQ(server.pid(), 0) << "stopped: no pid";
  EXPECT_EQ(::kill(pid, 0), -1) << "the process must be gone";
  EXPECT_FALSE(client.range(range_op("/server/k")).ok()) << "nobody answers a stopped server";

  ASSERT_TRUE(server.restart().ok());
  EXPECT_EQ(server.endpoint(), endpoint) << "a restart keeps the port";
  auto kv = get(client, "/server/k");
  ASSERT_TRUE(kv.has_value()) << "a restart keeps the data";
  EXPECT_EQ(kv->mod_revision, written);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreServerTest, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         kind_name);

}  // namespace
}  // namespace deploylab::store::contract
