// orchestrator/store/gateway/routes_test.cpp: each path decodes its request, calls the Store and
// answers as etcd's gateway does, errors included (routes.h). No sockets: a FakeStore.
#include "orchestrator/store/gateway/routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "orchestrator/store/gateway/fake_store.h"
#include "orchestrator/store/protocol/json_codec.h"
#include "orchestrator/store/protocol/request_size.h"

namespace deploylab::store::gateway {
namespace {

using nlohmann::json;

class RoutesTest : public ::testing::Test {
 protected:
  // Calls `path` with `body`; fails the test if the path is unknown.
  Reply call(std::string_view path, std::string_view body) {
    auto reply = routes.call(path, body);
    if (!reply) {
      ADD_FAILURE() << path << " should be a known path";
      return Reply{0, ""};
    }
    return *reply;
  }

  // Checks `reply` is an etcd error body with `status` and grpc `code` whose message contains `text`.
  static void expect_error(const Reply& reply, int status, int code, const std::string& text) {
    EXPECT_EQ(reply.status, status) << reply.body;
    json body = json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "error bodies are JSON: " << reply.body;
    EXPECT_EQ(body.value("code", -1), code) << reply.body;
    EXPECT_EQ(body.value("error", ""), body.value("message", "?")) << "etcd repeats the message: " << reply.body;
    EXPECT_NE(body.value("message", "").find(text), std::string::npos)
        << "expected the message to contain \"" << text << "\": " << reply.body;
  }

  testing::FakeStore store;
  Routes routes{store, kDefaultMaxRequestBytes};
};

TEST_F(RoutesTest, RangeDecodesTheRequestAndEncodesTheResponse) {
  Reply reply = call("/v3/kv/range", R"({"key":"Zm9v","range_end":"Zm9w","limit":"5","revision":3,"keys_only":true})");
  EXPECT_EQ(reply.status, 200) << reply.body;
  ASSERT_TRUE(store.last_range.has_value());
  EXPECT_EQ(store.last_range->key, "foo");
  EXPECT_EQ(store.last_range->range_end, "fop");
  EXPECT_EQ(store.last_range->limit, 5);
  EXPECT_EQ(store.last_range->revision, 3);
  EXPECT_TRUE(store.last_range->keys_only);
  json body = json::parse(reply.body);
  EXPECT_EQ(body["header"]["revision"], "7");
  EXPECT_EQ(body["kvs"][0]["key"], "Zm9v");
  EXPECT_EQ(body["count"], "1");
}

TEST_F(RoutesTest, EveryUnaryPathReachesItsStoreMethod) {
  EXPECT_EQ(call("/v3/kv/put", R"({"key":"YQ==","value":"Yg==","lease":"9","prev_kv":true})").status, 200);
  ASSERT_TRUE(store.last_put.has_value());
  EXPECT_EQ(store.last_put->value, "b");
  EXPECT_EQ(store.last_put->lease, 9);
  EXPECT_EQ(call("/v3/kv/deleterange", R"({"key":"YQ==","prev_kv":true})").status, 200);
  EXPECT_TRUE(store.last_delete.has_value() && store.last_delete->prev_kv);
  EXPECT_EQ(call("/v3/kv/txn", R"({"compare":[{"key":"YQ==","target":"CREATE","create_revision":"0"}]})").status, 200);
  ASSERT_TRUE(store.last_txn.has_value());
  EXPECT_EQ(store.last_txn->compare.at(0).target, Compare::Target::create);
  EXPECT_EQ(call("/v3/kv/compaction", R"({"revision":"3","physical":true})").status, 200);
  EXPECT_EQ(store.last_compaction->revision, 3);
  EXPECT_EQ(json::parse(call("/v3/lease/grant", R"({"TTL":30})").body)["ID"], "42");
  EXPECT_EQ(store.last_grant->ttl, 30);
  EXPECT_EQ(call("/v3/lease/revoke", R"({"ID":"5"})").status, 200);
  EXPECT_EQ(store.last_revoke->id, 5);
  EXPECT_EQ(call("/v3/kv/lease/revoke", R"({"ID":"6"})").status, 200) << "etcd 3.4's older alias";
  EXPECT_EQ(store.last_revoke->id, 6);
  EXPECT_EQ(call("/v3/lease/timetolive", R"({"ID":"5","keys":true})").status, 200);
  EXPECT_TRUE(store.last_time_to_live->keys);
  EXPECT_EQ(call("/v3/kv/lease/timetolive", R"({"ID":"8"})").status, 200) << "etcd 3.4's older alias";
  EXPECT_EQ(store.last_time_to_live->id, 8);
}

TEST_F(RoutesTest, KeepaliveAnswersAsAStreamMessage) {
  Reply reply = call("/v3/lease/keepalive", R"({"ID":"12345"})");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"result":{"ID":"12345","TTL":"60","header":{"cluster_id":"1","member_id":"1","raft_term":"1","revision":"7"}}})"
                        "\n")
      << "etcd wraps keepalive's answer in \"result\" and ends it with a newline";
}

TEST_F(RoutesTest, KeepaliveOfAnUnknownLeaseIsA200WithoutTtlAsInEtcd) {
  store.fail_with = StoreError::make(StoreErrc::lease_not_found);
  Reply reply = call("/v3/lease/keepalive", R"({"ID":"999"})");
  EXPECT_EQ(reply.status, 200) << reply.body;
  json body = json::parse(reply.body);
  EXPECT_EQ(body["result"]["ID"], "999");
  EXPECT_FALSE(body["result"].contains("TTL")) << reply.body;
}

TEST_F(RoutesTest, StoreErrorsKeepEtcdsStatusAndMessage) {
  store.fail_with = StoreError::make(StoreErrc::compacted);
  expect_error(call("/v3/kv/range", R"({"key":"YQ==","revision":"2"})"), 400, 11,
               "etcdserver: mvcc: required revision has been compacted");
  store.fail_with = StoreError::make(StoreErrc::lease_not_found);
  expect_error(call("/v3/lease/revoke", R"({"ID":"1"})"), 404, 5, "etcdserver: requested lease not found");
  store.fail_with = StoreError::make(StoreErrc::lease_exists);
  expect_error(call("/v3/lease/grant", R"({"ID":"1","TTL":"5"})"), 412, 9, "etcdserver: lease already exists");
  store.fail_with = StoreError::make(StoreErrc::unavailable);
  expect_error(call("/v3/kv/put", R"({"key":"YQ=="})"), 503, 14, "etcdserver: server stopped");
}

TEST_F(RoutesTest, BadBodiesAre400WithTheField) {
  expect_error(call("/v3/kv/range", "{bad"), 400, 3, "body: malformed JSON");
  expect_error(call("/v3/kv/txn", "[1,2"), 400, 3, "body: malformed JSON");
  expect_error(call("/v3/kv/range", "[]"), 400, 3, "not a JSON object");
  expect_error(call("/v3/kv/range", R"({"key":"!!!"})"), 400, 3, "key: not base64");
  expect_error(call("/v3/kv/put", R"({"key":"YQ==","value":"*"})"), 400, 3, "value: not base64");
  expect_error(call("/v3/kv/range", R"({"key":5})"), 400, 3, "key: not a base64 string");
  expect_error(call("/v3/kv/range", R"({"key":"YQ==","limit":"ten"})"), 400, 3, "limit: not a 64-bit integer");
  expect_error(call("/v3/kv/range", R"({"key":"YQ==","limit":{}})"), 400, 3, "limit: not a 64-bit integer");
  EXPECT_FALSE(store.last_range.has_value()) << "a bad request never reaches the store";
}

TEST_F(RoutesTest, AnEmptyBodyIsAnEmptyRequest) {
  // etcd reads an empty body as {}: the store then says what is missing (here the key).
  EXPECT_EQ(call("/v3/kv/range", "").status, 200);
  ASSERT_TRUE(store.last_range.has_value());
  EXPECT_EQ(store.last_range->key, "");
}

TEST_F(RoutesTest, WriteRequestsOverTheLimitAreTooLarge) {
  std::string big = store::json::base64_encode(std::string(kDefaultMaxRequestBytes, 'x'));
  expect_error(call("/v3/kv/put", R"({"key":"YQ==","value":")" + big + R"("})"), 400, 3,
               "etcdserver: request is too large");
  EXPECT_FALSE(store.last_put.has_value()) << "a request that is too large never reaches the store";
  expect_error(call("/v3/kv/txn", R"({"success":[{"request_put":{"key":"YQ==","value":")" + big + R"("}}]})"), 400,
               3, "etcdserver: request is too large");

  std::string fits = store::json::base64_encode(std::string(1400 * 1024, 'x'));
  EXPECT_EQ(call("/v3/kv/put", R"({"key":"YQ==","value":")" + fits + R"("})").status, 200)
      << "the limit is on the decoded request, not on its base64 JSON";
  EXPECT_EQ(call("/v3/kv/range", R"({"key":")" + big + R"("})").status, 200) << "reads are not limited";
}

TEST_F(RoutesTest, UnknownPathsAreNotRoutes) {
  EXPECT_FALSE(routes.call("/v3/kv/nope", "{}").has_value());
  EXPECT_FALSE(routes.call("/v3/kv/lease/grant", "{}").has_value()) << "etcd 3.4 has no such alias (404)";
  EXPECT_FALSE(routes.call("/v3/watch", "{}").has_value()) << "the watch is a stream, not a unary call";
  EXPECT_TRUE(is_known_path("/v3/watch"));
  EXPECT_TRUE(is_known_path("/v3/kv/range"));
  EXPECT_FALSE(is_known_path("/"));
}

TEST_F(RoutesTest, OpenWatchDecodesTheCreateRequest) {
  auto opened = routes.open_watch(R"({"create_request":{"key":"dw==","start_revision":"4","filters":["NOPUT"]}})");
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<Watcher>>(opened));
  ASSERT_TRUE(store.last_watch.has_value());
  EXPECT_EQ(store.last_watch->key, "w");
  EXPECT_EQ(store.last_watch->start_revision, 4);
  EXPECT_TRUE(store.last_watch->no_put);

  auto bad = routes.open_watch(R"({"create_request":{"key":"!!"}})");
  ASSERT_TRUE(std::holds_alternative<Reply>(bad));
  expect_error(std::get<Reply>(bad), 400, 3, "create_request.key: not base64");
  auto cancel = routes.open_watch(R"({"cancel_request":{"watch_id":"0"}})");
  ASSERT_TRUE(std::holds_alternative<Reply>(cancel));
  expect_error(std::get<Reply>(cancel), 400, 3, "create_request: missing");
}

}  // namespace
}  // namespace deploylab::store::gateway
