// orchestrator/store/protocol/json_codec_test.cpp: every message encodes to etcd's JSON and
// decodes back to itself (json_codec.h). etcd_captures_test.cpp decodes what etcd wrote.
#include "orchestrator/store/protocol/json_codec.h"

#include <gtest/gtest.h>

#include "orchestrator/store/protocol/json_fields.h"

namespace deploylab::store::json {
namespace {

using nlohmann::json;

const json kHeader9 = json::parse(R"({"cluster_id":"1","member_id":"1","raft_term":"1","revision":"9"})");

// Encodes `message`, checks the JSON is `expected`, sends it through text, decodes it and checks
// that encoding the result gives the same JSON again (so no field is lost either way).
template <class T>
T expect_round_trip(const T& message, const json& expected) {
  json encoded = encode(message);
  EXPECT_EQ(encoded, expected) << "encoded: " << encoded.dump() << "\nexpected: " << expected.dump();
  auto decoded = decode<T>(json::parse(encoded.dump()));
  if (!decoded.ok()) {
    ADD_FAILURE() << "decoding our own " << encoded.dump() << " failed: " << decoded.error().message;
    return T{};
  }
  EXPECT_EQ(encode(decoded.value()), encoded) << "a field was lost on the way back";
  return decoded.value();
}

KeyValue sample_kv() {
  return KeyValue{.key = "foo", .value = "bar", .create_revision = 2, .mod_revision = 3, .version = 2, .lease = 7};
}

Compare compare(Compare::Target target, Compare::Result result, std::string key, std::string range_end,
                std::int64_t number, std::string value) {
  return Compare{.target = target, .result = result, .key = std::move(key), .range_end = std::move(range_end),
                 .number = number, .value = std::move(value)};
}

const json kSampleKvJson = json::parse(
    R"({"key":"Zm9v","value":"YmFy","create_revision":"2","mod_revision":"3","version":"2","lease":"7"})");

TEST(JsonCodec, KeyValue) {
  EXPECT_EQ(expect_round_trip(sample_kv(), kSampleKvJson), sample_kv());
  EXPECT_EQ(expect_round_trip(KeyValue{}, json::object()), KeyValue{}) << "defaults are left out";
}

TEST(JsonCodec, BinaryKeysAndValuesSurvive) {
  KeyValue kv{.key = std::string("\0\xff/a", 4), .value = std::string("\n\0\x80", 3)};
  kv.mod_revision = 1;
  auto decoded = decode<KeyValue>(encode(kv));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value(), kv);
}

TEST(JsonCodec, RangeRequestAndResponse) {
  RangeRequest request{.key = "a", .range_end = "b", .limit = 10, .revision = 4, .keys_only = true,
                       .count_only = true};
  auto back = expect_round_trip(request, json::parse(R"({"key":"YQ==","range_end":"Yg==","limit":"10",
      "revision":"4","keys_only":true,"count_only":true})"));
  EXPECT_EQ(back.limit, 10);
  EXPECT_TRUE(back.keys_only && back.count_only);

  RangeResponse response{.revision = 9, .kvs = {sample_kv()}, .more = true, .count = 2};
  json expected = {{"header", kHeader9}, {"kvs", {kSampleKvJson}}, {"more", true}, {"count", "2"}};
  auto decoded = expect_round_trip(response, expected);
  EXPECT_EQ(decoded.revision, 9);
  EXPECT_EQ(decoded.kvs, response.kvs);
}

TEST(JsonCodec, PutRequestAndResponse) {
  PutRequest request{.key = "k", .value = "v", .lease = 5, .prev_kv = true, .ignore_value = true,
                     .ignore_lease = true};
  expect_round_trip(request, json::parse(R"({"key":"aw==","value":"dg==","lease":"5","prev_kv":true,
      "ignore_value":true,"ignore_lease":true})"));

  PutResponse response{.revision = 9, .prev_kv = sample_kv()};
  auto decoded = expect_round_trip(response, {{"header", kHeader9}, {"prev_kv", kSampleKvJson}});
  EXPECT_EQ(decoded.prev_kv, sample_kv());
  EXPECT_FALSE(expect_round_trip(PutResponse{.revision = 9, .prev_kv = std::nullopt}, {{"header", kHeader9}}).prev_kv.has_value());
}

TEST(JsonCodec, DeleteRangeRequestAndResponse) {
  expect_round_trip(DeleteRangeRequest{.key = "a", .range_end = "b", .prev_kv = true},
                    json::parse(R"({"key":"YQ==","range_end":"Yg==","prev_kv":true})"));
  DeleteRangeResponse response{.revision = 9, .deleted = 1, .prev_kvs = {sample_kv()}};
  auto decoded = expect_round_trip(response, {{"header", kHeader9}, {"deleted", "1"}, {"prev_kvs", {kSampleKvJson}}});
  EXPECT_EQ(decoded.deleted, 1);
}

TEST(JsonCodec, CompactionRequestAndResponse) {
  expect_round_trip(CompactionRequest{.revision = 3, .physical = true},
                    json::parse(R"({"revision":"3","physical":true})"));
  expect_round_trip(CompactionResponse{.revision = 9}, {{"header", kHeader9}});
}

TEST(JsonCodec, CompareWritesItsOperandInTheTargetsField) {
  using T = Compare::Target;
  using R = Compare::Result;
  expect_round_trip(compare(T::version, R::equal, "a", "", 0, ""),
                    json::parse(R"({"target":"VERSION","result":"EQUAL","key":"YQ==","version":"0"})"));
  expect_round_trip(compare(T::create, R::greater, "a", "", 4, ""),
                    json::parse(R"({"target":"CREATE","result":"GREATER","key":"YQ==","create_revision":"4"})"));
  expect_round_trip(compare(T::mod, R::less, "a", "b", 8, ""),
                    json::parse(R"({"target":"MOD","result":"LESS","key":"YQ==","range_end":"Yg==","mod_revision":"8"})"));
  auto value = expect_round_trip(compare(T::value, R::not_equal, "a", "", 0, "x"),
                                 json::parse(R"({"target":"VALUE","result":"NOT_EQUAL","key":"YQ==","value":"eA=="})"));
  EXPECT_EQ(value.value, "x");
  auto lease = expect_round_trip(compare(T::lease, R::equal, "a", "", 12, ""),
                                 json::parse(R"({"target":"LEASE","result":"EQUAL","key":"YQ==","lease":"12"})"));
  EXPECT_EQ(lease.target, T::lease);
  EXPECT_EQ(lease.number, 12);
}

TEST(JsonCodec, TxnRequestWithEveryKindOfOp) {
  TxnRequest request;
  request.compare.push_back(compare(Compare::Target::mod, Compare::Result::equal, "a", "", 3, ""));
  PutRequest put;
  put.key = "a";
  put.value = "1";
  RangeRequest range;
  range.key = "a";
  DeleteRangeRequest remove;
  remove.key = "b";
  request.success = {put, range, remove};
  request.failure = {range};
  auto decoded = expect_round_trip(request, json::parse(R"({
      "compare": [{"target":"MOD","result":"EQUAL","key":"YQ==","mod_revision":"3"}],
      "success": [{"request_put":{"key":"YQ==","value":"MQ=="}}, {"request_range":{"key":"YQ=="}},
                  {"request_delete_range":{"key":"Yg=="}}],
      "failure": [{"request_range":{"key":"YQ=="}}]})"));
  ASSERT_EQ(decoded.success.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<PutRequest>(decoded.success[0]));
  EXPECT_TRUE(std::holds_alternative<RangeRequest>(decoded.success[1]));
  EXPECT_TRUE(std::holds_alternative<DeleteRangeRequest>(decoded.success[2]));
  expect_round_trip(TxnRequest{}, json::object());
}

TEST(JsonCodec, TxnResponseGivesEachResponseAShortHeader) {
  TxnResponse response{.revision = 9, .succeeded = true, .responses = {}};
  response.responses = {PutResponse{.revision = 9, .prev_kv = std::nullopt},
                        RangeResponse{.revision = 9, .kvs = {sample_kv()}, .more = false, .count = 1},
                        DeleteRangeResponse{.revision = 9, .deleted = 1, .prev_kvs = {}}};
  json expected = json::parse(R"({"succeeded": true, "responses": [
      {"response_put": {"header": {"revision": "9"}}},
      {"response_range": {"header": {"revision": "9"}, "kvs": [{"key":"Zm9v","value":"YmFy","create_revision":"2",
                          "mod_revision":"3","version":"2","lease":"7"}], "count": "1"}},
      {"response_delete_range": {"header": {"revision": "9"}, "deleted": "1"}}]})");
  expected["header"] = kHeader9;
  auto decoded = expect_round_trip(response, expected);
  ASSERT_EQ(decoded.responses.size(), 3u);
  EXPECT_EQ(std::get<RangeResponse>(decoded.responses[1]).kvs, std::vector{sample_kv()});
  EXPECT_EQ(std::get<PutResponse>(decoded.responses[0]).revision, 9);
}

TEST(JsonCodec, LeaseMessagesUseIdAndTtlInCapitals) {
  expect_round_trip(LeaseGrantRequest{.ttl = 60, .id = 12345}, json::parse(R"({"TTL":"60","ID":"12345"})"));
  expect_round_trip(LeaseGrantResponse{.revision = 9, .id = 12345, .ttl = 60},
                    {{"header", kHeader9}, {"ID", "12345"}, {"TTL", "60"}});
  expect_round_trip(LeaseRevokeRequest{.id = 12345}, json::parse(R"({"ID":"12345"})"));
  expect_round_trip(LeaseRevokeResponse{.revision = 9}, {{"header", kHeader9}});
  expect_round_trip(LeaseKeepAliveRequest{.id = 12345}, json::parse(R"({"ID":"12345"})"));
  expect_round_trip(LeaseKeepAliveResponse{.revision = 9, .id = 12345, .ttl = 60},
                    {{"result", {{"header", kHeader9}, {"ID", "12345"}, {"TTL", "60"}}}});
  expect_round_trip(LeaseTimeToLiveRequest{.id = 12345, .keys = true}, json::parse(R"({"ID":"12345","keys":true})"));
  LeaseTimeToLiveResponse ttl{.revision = 9, .id = 12345, .ttl = 59, .granted_ttl = 60, .keys = {"leased", "l2"}};
  auto decoded = expect_round_trip(ttl, {{"header", kHeader9}, {"ID", "12345"}, {"TTL", "59"}, {"grantedTTL", "60"},
                                         {"keys", {"bGVhc2Vk", "bDI="}}});
  EXPECT_EQ(decoded.keys, ttl.keys);
  EXPECT_EQ(decoded.granted_ttl, 60);
}

TEST(JsonCodec, WatchRequestIsACreateRequest) {
  WatchRequest request{.key = "w", .range_end = "x", .start_revision = 14, .prev_kv = true, .no_put = true,
                       .no_delete = true, .progress_notify = true};
  auto decoded = expect_round_trip(request, json::parse(R"({"create_request":{"key":"dw==","range_end":"eA==",
      "start_revision":"14","prev_kv":true,"filters":["NOPUT","NODELETE"],"progress_notify":true}})"));
  EXPECT_TRUE(decoded.no_put && decoded.no_delete && decoded.prev_kv && decoded.progress_notify);
}

TEST(JsonCodec, WatchResponsesAreWrappedInResult) {
  WatchResponse created;
  created.revision = 13;
  created.created = true;
  expect_round_trip(created, {{"result", {{"header", response_header(13)}, {"created", true}}}});

  Event put{.type = EventType::put, .kv = sample_kv(), .prev_kv = std::nullopt};
  Event remove{.type = EventType::remove, .kv = KeyValue{}, .prev_kv = sample_kv()};
  remove.kv.key = "foo";
  remove.kv.mod_revision = 17;
  WatchResponse events;
  events.revision = 17;
  events.watch_id = 3;
  events.events = {put, remove};
  json expected = json::parse(R"({"result": {"watch_id": "3", "events": [
      {"kv": {"key":"Zm9v","value":"YmFy","create_revision":"2","mod_revision":"3","version":"2","lease":"7"}},
      {"type": "DELETE", "kv": {"key": "Zm9v", "mod_revision": "17"},
       "prev_kv": {"key":"Zm9v","value":"YmFy","create_revision":"2","mod_revision":"3","version":"2","lease":"7"}}]}})");
  expected["result"]["header"] = response_header(17);
  EXPECT_EQ(expect_round_trip(events, expected).events, events.events);

  WatchResponse canceled;
  canceled.canceled = true;
  canceled.compact_revision = 3;
  canceled.cancel_reason = "compacted";
  json canceled_json = json::parse(R"({"result": {"canceled": true, "compact_revision": "3",
                                                   "cancel_reason": "compacted"}})");
  canceled_json["result"]["header"] = response_header(0);
  auto back = expect_round_trip(canceled, canceled_json);
  EXPECT_EQ(back.cancel_reason, "compacted");
}

TEST(JsonCodec, ErrorsRoundTrip) {
  StoreError error = StoreError::make(StoreErrc::compacted);
  json body = encode_error(error);
  EXPECT_EQ(body, json::parse(R"({"error":"etcdserver: mvcc: required revision has been compacted",
      "message":"etcdserver: mvcc: required revision has been compacted","code":11})"));
  EXPECT_EQ(decode_error(body, 400), error);
  StoreError detailed = StoreError::make(StoreErrc::invalid_argument, "key: not base64");
  EXPECT_EQ(decode_error(encode_error(detailed), 400), detailed);
}

TEST(JsonCodec, ParseBody) {
  ASSERT_TRUE(parse_body("").ok()) << "an empty body is an empty request, as in etcd";
  EXPECT_EQ(parse_body(" \n").value(), json::object());
  EXPECT_EQ(parse_body(R"({"key":"YQ=="})").value()["key"], "YQ==");

  auto truncated = parse_body(R"({"key": )");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, StoreErrc::invalid_argument);
  EXPECT_NE(truncated.error().message.find("body: malformed JSON"), std::string::npos) << truncated.error().message;

  auto array = parse_body("[]");
  ASSERT_FALSE(array.ok());
  EXPECT_NE(array.error().message.find("not a JSON object"), std::string::npos) << array.error().message;

  EXPECT_FALSE(parse_body(R"({"key":"YQ=="} trailing)").ok()) << "ministore is stricter than etcd here";
}

TEST(JsonCodec, DeeplyNestedBodiesDoNotCrash) {
  std::string deep(200000, '[');
  EXPECT_FALSE(parse_body(deep).ok());
  std::string closed = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(parse_body(closed).ok()) << "an array is not a request";
}

}  // namespace
}  // namespace deploylab::store::json
