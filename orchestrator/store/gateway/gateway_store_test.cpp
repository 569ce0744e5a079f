// orchestrator/store/gateway/gateway_store_test.cpp: the gateway in front of a real Store (on
// SQLite in a temporary directory), over HTTP: the answers etcd gives, end to end. The contract
// tests (tests/store/) compare ministore with a real etcd through the client; these check the
// gateway's own part without either.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/temp_dir.h"
#include "orchestrator/store/gateway/gateway.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::gateway {
namespace {

using nlohmann::json;

class GatewayOnStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = TempDir::create("deploylab-test-gateway-").value();
    StoreOptions options;
    options.data_dir = dir.path();
    store = Store::open(options).value();
    gateway = std::make_unique<Gateway>(*store, GatewayOptions{});
    ASSERT_TRUE(gateway->start().ok());
    http = std::make_unique<httplib::Client>("127.0.0.1", gateway->port());
  }

  void TearDown() override {
    gateway.reset();
    if (store) store->close();
  }

  // POSTs and returns the parsed answer; fails the test unless the status is `expected_status`.
  json post(const std::string& path, const json& body, int expected_status = 200) {
    auto result = http->Post(path, body.dump(), "application/json");
    if (!result) {
      ADD_FAILURE() << path << ": no answer: " << httplib::to_string(result.error());
      return json();
    }
    EXPECT_EQ(result->status, expected_status) << path << " " << body.dump() << " -> " << result->body;
    return json::parse(result->body, nullptr, false);
  }

  static std::string b64(const std::string& text) { return store::json::base64_encode(text); }

  TempDir dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<httplib::Client> http;
};

TEST_F(GatewayOnStore, PutRangeAndTxnAsEtcd) {
  json put = post("/v3/kv/put", {{"key", b64("foo")}, {"value", b64("bar")}});
  EXPECT_EQ(put["header"]["revision"], "2") << "a new store is at revision 1; the first write makes it 2";
  json range = post("/v3/kv/range", {{"key", b64("foo")}});
  EXPECT_EQ(range["kvs"][0]["value"], b64("bar"));
  EXPECT_EQ(range["kvs"][0]["version"], "1");
  EXPECT_EQ(range["count"], "1");

  // Create-if-absent on a key that exists: the compare fails, the failure branch reads it.
  json txn = post("/v3/kv/txn", json::parse(R"({"compare":[{"key":")" + b64("foo") +
                                            R"(","target":"CREATE","result":"EQUAL","create_revision":"0"}],
      "success":[{"request_put":{"key":")" + b64("foo") + R"(","value":"eA=="}}],
      "failure":[{"request_range":{"key":")" + b64("foo") + R"("}}]})"));
  EXPECT_FALSE(txn.contains("succeeded")) << "etcd leaves a false succeeded out: " << txn.dump();
  EXPECT_EQ(txn["responses"][0]["response_range"]["kvs"][0]["value"], b64("bar"));
}

TEST_F(GatewayOnStore, ErrorsHaveEtcdsStatusesAndMessages) {
  post("/v3/kv/put", {{"key", b64("k")}, {"value", b64("1")}});
  json future = post("/v3/kv/range", {{"key", b64("k")}, {"revision", "100"}}, 400);
  EXPECT_EQ(future["message"], "etcdserver: mvcc: required revision is a future revision");
  EXPECT_EQ(future["code"], 11);
  json no_key = post("/v3/kv/put", json::object(), 400);
  EXPECT_EQ(no_key["message"], "etcdserver: key is not provided");
  json no_lease = post("/v3/lease/revoke", {{"ID", "999"}}, 404);
  EXPECT_EQ(no_lease["message"], "etcdserver: requested lease not found");
  post("/v3/lease/grant", {{"ID", "7"}, {"TTL", "60"}});
  json exists = post("/v3/lease/grant", {{"ID", "7"}, {"TTL", "60"}}, 412);
  EXPECT_EQ(exists["message"], "etcdserver: lease already exists");
}

TEST_F(GatewayOnStore, LeasesAsEtcd) {
  json grant = post("/v3/lease/grant", {{"ID", "12345"}, {"TTL", "60"}});
  EXPECT_EQ(grant["ID"], "12345");
  post("/v3/kv/put", {{"key", b64("leased")}, {"value", b64("v")}, {"lease", "12345"}});
  json ttl = post("/v3/lease/timetolive", {{"ID", "12345"}, {"keys", true}});
  EXPECT_EQ(ttl["grantedTTL"], "60");
  EXPECT_EQ(ttl["keys"][0], b64("leased"));
  json keepalive = post("/v3/lease/keepalive", {{"ID", "12345"}});
  EXPECT_EQ(keepalive["result"]["TTL"], "60");
  post("/v3/lease/revoke", {{"ID", "12345"}});
  EXPECT_FALSE(post("/v3/kv/range", {{"key", b64("leased")}}).contains("kvs")) << "revoking deletes the key";
  json gone = post("/v3/lease/keepalive", {{"ID", "12345"}});
  EXPECT_FALSE(gone["result"].contains("TTL")) << "etcd's answer for a lease that is gone: " << gone.dump();
  EXPECT_EQ(post("/v3/lease/timetolive", {{"ID", "12345"}})["TTL"], "-1");
}

// Reads a watch stream on its own connection until `lines` lines arrived or 5 s passed.
std::vector<json> read_watch(int port, const json& request, std::size_t lines) {
  httplib::Client client("127.0.0.1", port);
  httplib::Request http;
  http.method = "POST";
  http.path = "/v3/watch";
  http.body = request.dump();
  std::string received;
  std::vector<json> messages;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  http.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    received.append(data, size);
    for (auto newline = received.find('\n'); newline != std::string::npos; newline = received.find('\n')) {
      messages.push_back(json::parse(received.substr(0, newline)));
      received.erase(0, newline + 1);
    }
    return messages.size() < lines && std::chrono::steady_clock::now() < deadline;
  };
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  client.send(http, response, error);
  return messages;
}

TEST_F(GatewayOnStore, AWatchFromThePastReplaysAndThenFollows) {
  post("/v3/kv/put", {{"key", b64("w1")}, {"value", b64("a")}});
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    httplib::Client client("127.0.0.1", gateway->port());
    client.Post("/v3/kv/deleterange", json{{"key", b64("w1")}}.dump(), "application/json");
  });
  auto messages = read_watch(gateway->port(), {{"create_request", {{"key", b64("w")}, {"range_end", b64("x")},
                                                                   {"start_revision", "1"}, {"prev_kv", true}}}},
                             3);
  writer.join();
  ASSERT_GE(messages.size(), 3u) << "expected created, the past put, then the delete";
  EXPECT_EQ(messages[0]["result"]["created"], true);
  EXPECT_EQ(messages[1]["result"]["events"][0]["kv"]["key"], b64("w1"));
  EXPECT_FALSE(messages[1]["result"]["events"][0].contains("type")) << "a put has no type (PUT is the default)";
  EXPECT_EQ(messages[2]["result"]["events"][0]["type"], "DELETE");
  EXPECT_EQ(messages[2]["result"]["events"][0]["prev_kv"]["value"], b64("a"));
}

TEST_F(GatewayOnStore, AWatchFromACompactedRevisionIsCreatedThenCanceled) {
  post("/v3/kv/put", {{"key", b64("c")}, {"value", b64("1")}});
  post("/v3/kv/put", {{"key", b64("c")}, {"value", b64("2")}});
  post("/v3/kv/compaction", {{"revision", "3"}});
  auto messages = read_watch(gateway->port(), {{"create_request", {{"key", b64("c")}, {"start_revision", "1"}}}}, 2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["result"]["created"], true);
  EXPECT_EQ(messages[1]["result"]["canceled"], true);
  EXPECT_EQ(messages[1]["result"]["compact_revision"], "3");
}

}  // namespace
}  // namespace deploylab::store::gateway
