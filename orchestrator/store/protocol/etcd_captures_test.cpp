// orchestrator/store/protocol/etcd_captures_test.cpp: decoding what a real etcd 3.4.23 sent and
// accepted (captured with curl against its gateway; protocol/README.md), so the client reads
// etcd's answers and ministore accepts etcd's requests.
#include <gtest/gtest.h>

#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::json {
namespace {

using nlohmann::json;

// Decodes `text` as T or fails the test with the store's message.
template <class T>
T decode_text(const std::string& text) {
  auto decoded = decode<T>(json::parse(text));
  if (!decoded.ok()) {
    ADD_FAILURE() << "decoding " << text << "\nfailed: " << decoded.error().message;
    return T{};
  }
  return decoded.value();
}

// The message of decoding `text` as T, which must fail.
template <class T>
std::string decode_problem(const std::string& text) {
  auto decoded = decode<T>(json::parse(text));
  if (decoded.ok()) {
    ADD_FAILURE() << "decoding " << text << " should have failed";
    return "";
  }
  EXPECT_EQ(decoded.error().code, StoreErrc::invalid_argument) << decoded.error().message;
  return decoded.error().message;
}

constexpr const char* kHeader =
    R"("header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"4","raft_term":"2"})";

TEST(EtcdCaptures, RangeResponseWithLimit) {
  auto response = decode_text<RangeResponse>(std::string("{") + kHeader +
      R"(,"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"3","version":"2","value":"YmF6"}],"more":true,"count":"2"})");
  EXPECT_EQ(response.revision, 4);
  ASSERT_EQ(response.kvs.size(), 1u);
  EXPECT_EQ(response.kvs[0], (KeyValue{.key = "foo", .value = "baz", .create_revision = 2, .mod_revision = 3, .version = 2}));
  EXPECT_TRUE(response.more);
  EXPECT_EQ(response.count, 2);
}

TEST(EtcdCaptures, EmptyRangeHasOnlyAHeader) {
  auto response = decode_text<RangeResponse>(std::string("{") + kHeader + "}");
  EXPECT_EQ(response.revision, 4);
  EXPECT_TRUE(response.kvs.empty());
  EXPECT_EQ(response.count, 0);
}

TEST(EtcdCaptures, PutWithPrevKvAndDeleteWithPrevKvs) {
  auto put = decode_text<PutResponse>(std::string("{") + kHeader +
      R"(,"prev_kv":{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}})");
  ASSERT_TRUE(put.prev_kv.has_value());
  EXPECT_EQ(put.prev_kv->value, "bar");

  auto deleted = decode_text<DeleteRangeResponse>(std::string("{") + kHeader +
      R"(,"deleted":"2","prev_kvs":[{"key":"ZDE=","create_revision":"5","mod_revision":"5","version":"1","value":"eA=="},)"
      R"({"key":"ZDI=","create_revision":"6","mod_revision":"6","version":"1","value":"eQ=="}]})");
  EXPECT_EQ(deleted.deleted, 2);
  ASSERT_EQ(deleted.prev_kvs.size(), 2u);
  EXPECT_EQ(deleted.prev_kvs[1].key, "d2");
}

TEST(EtcdCaptures, TxnResponses) {
  auto succeeded = decode_text<TxnResponse>(std::string("{") + kHeader +
      R"(,"succeeded":true,"responses":[{"response_put":{"header":{"revision":"8"},"prev_kv":{"key":"Zm9v",)"
      R"("create_revision":"2","mod_revision":"3","version":"2","value":"YmF6"}}},{"response_range":{"header":)"
      R"({"revision":"8"},"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"8","version":"3","value":"dDE="}],)"
      R"("count":"1"}},{"response_delete_range":{"header":{"revision":"8"},"deleted":"1"}}]})");
  EXPECT_TRUE(succeeded.succeeded);
  ASSERT_EQ(succeeded.responses.size(), 3u);
  EXPECT_EQ(std::get<PutResponse>(succeeded.responses[0]).prev_kv->value, "baz");
  EXPECT_EQ(std::get<RangeResponse>(succeeded.responses[1]).kvs.at(0).value, "t1");
  EXPECT_EQ(std::get<DeleteRangeResponse>(succeeded.responses[2]).deleted, 1);
  EXPECT_EQ(std::get<DeleteRangeResponse>(succeeded.responses[2]).revision, 8);

  // A failed compare: no "succeeded" at all (false is the default).
  auto failed = decode_text<TxnResponse>(std::string("{") + kHeader + "}");
  EXPECT_FALSE(failed.succeeded);
  EXPECT_TRUE(failed.responses.empty());
}

TEST(EtcdCaptures, LeaseResponses) {
  auto grant = decode_text<LeaseGrantResponse>(std::string("{") + kHeader + R"(,"ID":"4111120273747147809","TTL":"30"})");
  EXPECT_EQ(grant.id, 4111120273747147809);
  EXPECT_EQ(grant.ttl, 30);

  auto ttl = decode_text<LeaseTimeToLiveResponse>(std::string("{") + kHeader +
      R"(,"ID":"12345","TTL":"59","grantedTTL":"60","keys":["bGVhc2VkMg==","bGVhc2Vk"]})");
  EXPECT_EQ(ttl.granted_ttl, 60);
  EXPECT_EQ(ttl.keys, (std::vector<std::string>{"leased2", "leased"}));
  EXPECT_EQ(decode_text<LeaseTimeToLiveResponse>(std::string("{") + kHeader + R"(,"ID":"999","TTL":"-1"})").ttl, -1);

  auto keepalive = decode_text<LeaseKeepAliveResponse>(std::string(R"({"result":{)") + kHeader + R"(,"ID":"12345","TTL":"60"}})");
  EXPECT_EQ(keepalive.id, 12345);
  EXPECT_EQ(keepalive.ttl, 60);
  EXPECT_EQ(keepalive.revision, 4);
  auto gone = decode_text<LeaseKeepAliveResponse>(std::string(R"({"result":{)") + kHeader + R"(,"ID":"999"}})");
  EXPECT_EQ(gone.ttl, 0) << "etcd answers a keepalive of an unknown lease with no TTL";
}

TEST(EtcdCaptures, WatchStreamMessages) {
  auto created = decode_text<WatchResponse>(std::string(R"({"result":{)") + kHeader + R"(,"created":true}})");
  EXPECT_TRUE(created.created);
  EXPECT_EQ(created.watch_id, 0);

  auto events = decode_text<WatchResponse>(std::string(R"({"result":{)") + kHeader +
      R"(,"events":[{"type":"DELETE","kv":{"key":"dzE=","mod_revision":"17"},"prev_kv":{"key":"dzE=",)"
      R"("create_revision":"14","mod_revision":"15","version":"2","value":"Yg=="}},)"
      R"({"kv":{"key":"dzI=","create_revision":"16","mod_revision":"16","version":"1","value":"Yw=="}}]}})");
  ASSERT_EQ(events.events.size(), 2u);
  EXPECT_EQ(events.events[0].type, EventType::remove);
  EXPECT_EQ(events.events[0].kv.mod_revision, 17);
  EXPECT_EQ(events.events[0].prev_kv->value, "b");
  EXPECT_EQ(events.events[1].type, EventType::put);

  auto canceled = decode_text<WatchResponse>(
      R"({"result":{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","raft_term":"2"},)"
      R"("canceled":true,"compact_revision":"3"}})");
  EXPECT_TRUE(canceled.canceled);
  EXPECT_EQ(canceled.compact_revision, 3);
  EXPECT_EQ(canceled.revision, 0) << "etcd's cancel message has no header revision";
}

TEST(EtcdCaptures, AStreamErrorBecomesTheStoreError) {
  auto decoded = decode<WatchResponse>(json::parse(
      R"({"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: server stopped","http_status":"Service Unavailable"}})"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, StoreErrc::unavailable) << decoded.error().message;
}

TEST(EtcdCaptures, RangeOptionsMinistoreLacksAreRefusedNotIgnored) {
  EXPECT_NE(decode_problem<RangeRequest>(R"({"key":"eA==","sort_order":"DESCEND"})").find("sort_order: not supported"),
            std::string::npos);
  EXPECT_NE(decode_problem<RangeRequest>(R"({"key":"eA==","sort_order":"ASCEND","sort_target":"MOD"})").find("sort_order"),
            std::string::npos);
  EXPECT_NE(decode_problem<RangeRequest>(R"({"key":"eA==","min_mod_revision":"1000"})").find("min_mod_revision"),
            std::string::npos);
  EXPECT_EQ(decode_text<RangeRequest>(R"({"key":"eA==","sort_order":"ASCEND","sort_target":"KEY"})").key, "x")
      << "ascending by key is what ministore always does";
}

TEST(EtcdCaptures, RequestsEtcdAccepted) {
  // Integers as numbers or strings, null as absent, unknown fields ignored, negative limits.
  auto range = decode_text<RangeRequest>(R"({"key":"Zm9v","limit":"1","revision":2,"sort_order":"NONE","count_only":null})");
  EXPECT_EQ(range.key, "foo");
  EXPECT_EQ(range.limit, 1);
  EXPECT_EQ(range.revision, 2);
  EXPECT_EQ(decode_text<RangeRequest>(R"({"key":"Zm9v","limit":-1})").limit, -1);

  // Enums by number: target 1 is CREATE, result 3 is NOT_EQUAL.
  auto txn = decode_text<TxnRequest>(R"({"compare":[{"key":"bmV3","target":1,"result":3,"create_revision":"5"}]})");
  ASSERT_EQ(txn.compare.size(), 1u);
  EXPECT_EQ(txn.compare[0].target, Compare::Target::create);
  EXPECT_EQ(txn.compare[0].result, Compare::Result::not_equal);
  EXPECT_EQ(txn.compare[0].number, 5);
  // No target and no result: VERSION and EQUAL.
  auto defaults = decode_text<TxnRequest>(R"({"compare":[{"key":"bmV3"}]})");
  EXPECT_EQ(defaults.compare[0].target, Compare::Target::version);
  EXPECT_EQ(defaults.compare[0].result, Compare::Result::equal);

  auto grant = decode_text<LeaseGrantRequest>(R"({"TTL":"60","ID":12345})");
  EXPECT_EQ(grant.ttl, 60);
  EXPECT_EQ(grant.id, 12345);

  auto watch = decode_text<WatchRequest>(R"({"create_request":{"key":"dw==","filters":["NODELETE",0]}})");
  EXPECT_TRUE(watch.no_put && watch.no_delete);
}

TEST(EtcdCaptures, RequestsEtcdRefusedNameTheField) {
  EXPECT_EQ(decode_problem<RangeRequest>(R"({"key":"!!!"})"), "invalid request: key: not base64");
  EXPECT_EQ(decode_problem<RangeRequest>(R"({"key":"Zm9v","range_end":"@@"})"), "invalid request: range_end: not base64");
  EXPECT_EQ(decode_problem<RangeRequest>(R"({"key":12})"), "invalid request: key: not a base64 string but 12");
  EXPECT_EQ(decode_problem<RangeRequest>(R"({"key":"Zm9v","limit":1.5})"),
            "invalid request: limit: not a 64-bit integer but 1.5");
  EXPECT_EQ(decode_problem<RangeRequest>(R"({"key":"Zm9v","count_only":"yes"})"),
            "invalid request: count_only: not true or false but \"yes\"");
  EXPECT_EQ(decode_problem<TxnRequest>(R"({"compare":[{"key":"bmV3","target":"BOGUS"}]})"),
            "invalid request: compare[0].target: unknown value \"BOGUS\" (one of VERSION, CREATE, MOD, VALUE, LEASE)");
  EXPECT_EQ(decode_problem<TxnRequest>(R"({"success":[{"request_put":{"key":"YQ==","value":"%"}}]})"),
            "invalid request: success[0].request_put.value: not base64");
  EXPECT_EQ(decode_problem<LeaseKeepAliveRequest>(R"({"ID":"abc"})"),
            "invalid request: ID: not a 64-bit integer but \"abc\"");
  EXPECT_EQ(decode_problem<WatchRequest>(R"({"create_request":{"key":"!!"}})"),
            "invalid request: create_request.key: not base64");
}

TEST(EtcdCaptures, OpsMustHoldExactlyOneRequest) {
  EXPECT_NE(decode_problem<TxnRequest>(R"({"success":[{}]})").find("success[0]: no operation"), std::string::npos);
  EXPECT_NE(decode_problem<TxnRequest>(R"({"failure":[{"request_put":{"key":"YQ=="},"request_range":{"key":"YQ=="}}]})")
                .find("failure[0]: more than one operation"),
            std::string::npos);
  EXPECT_NE(decode_problem<TxnRequest>(R"({"success":[{"request_txn":{}}]})").find("nested transactions"),
            std::string::npos);
  EXPECT_NE(decode_problem<WatchRequest>(R"({"cancel_request":{"watch_id":"0"}})").find("create_request: missing"),
            std::string::npos);
}

TEST(EtcdCaptures, ErrorBodies) {
  auto compacted = decode_error(json::parse(R"({"error":"etcdserver: mvcc: required revision has been compacted",)"
                                            R"("message":"etcdserver: mvcc: required revision has been compacted","code":11})"),
                                400);
  EXPECT_EQ(compacted, StoreError::make(StoreErrc::compacted));

  auto exists = decode_error(json::parse(R"({"error":"etcdserver: lease already exists",)"
                                         R"("message":"etcdserver: lease already exists","code":9})"),
                             412);
  EXPECT_EQ(exists.code, StoreErrc::lease_exists);

  auto bad_base64 = decode_error(json::parse(R"({"error":"illegal base64 data at input byte 0",)"
                                             R"("message":"illegal base64 data at input byte 0","code":3})"),
                                 400);
  EXPECT_EQ(bad_base64.code, StoreErrc::invalid_argument);
  EXPECT_EQ(bad_base64.message, "illegal base64 data at input byte 0") << "etcd's own words are kept";

  auto too_big = decode_error(json::parse(R"x({"error":"grpc: received message larger than max (2097162 vs. 2097152)",)x"
                                          R"x("message":"grpc: received message larger than max (2097162 vs. 2097152)","code":8})x"),
                              429);
  EXPECT_EQ(too_big.code, StoreErrc::request_too_large);

  EXPECT_EQ(decode_error(json("Not Found\n"), 404).code, StoreErrc::not_found) << "etcd's 404 body is plain text";
  EXPECT_EQ(decode_error(json(), 503).code, StoreErrc::unavailable);
  EXPECT_EQ(decode_error(json(), 500).code, StoreErrc::internal);
}

}  // namespace
}  // namespace deploylab::store::json
