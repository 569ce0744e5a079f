// tests/store/bad_input_contract_test.cpp: what a store answers to requests it cannot take
// (malformed JSON, bad base64, wrong types, too large, unknown paths): a 4xx with an error
// body, and it keeps serving. Against etcd and ministore alike (store_contract.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "orchestrator/store/protocol/json_codec.h"
#include "tests/store/store_contract.h"

namespace deploylab::store::contract {
namespace {

class BadInputContract : public StoreContract {
 protected:
  // Posts `body` to `path` and checks the answer is a 400 with etcd's JSON error body of grpc
  // code 3 (InvalidArgument); then that the store still serves.
  void expect_invalid(const std::string& path, const std::string& body, const std::string& what) {
    SCOPED_TRACE(what);
    auto [status, answer] = client().post_raw(path, body).value();
    EXPECT_EQ(status, 400) << "body: " << answer;
    auto json = nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(json.is_object()) << "an error body is JSON: " << answer;
    EXPECT_TRUE(json.contains("error") && json["error"].is_string()) << answer;
    EXPECT_TRUE(json.contains("message") && json["message"].is_string()) << answer;
    EXPECT_EQ(json.value("code", -1), 3) << "InvalidArgument: " << answer;
    expect_still_serving();
  }

  void expect_still_serving() {
    put(client(), key("alive"), "yes");
    EXPECT_EQ(get(client(), key("alive"))->value, "yes") << "the store must keep serving after bad input";
  }

  std::string put_body(const std::string& name, std::size_t value_bytes) {
    nlohmann::json body = {{"key", json::base64_encode(key(name))},
                           {"value", json::base64_encode(std::string(value_bytes, 'x'))}};
    return body.dump();
  }
};

TEST_P(BadInputContract, MalformedJsonIsInvalid) {
  expect_invalid("/v3/kv/range", "{bad", "malformed JSON");
  expect_invalid("/v3/kv/put", "", "an empty body");
  expect_invalid("/v3/kv/txn", "[1,2", "truncated JSON");
}

TEST_P(BadInputContract, BadBase64IsInvalid) {
  expect_invalid("/v3/kv/range", R"({"key":"!!!"})", "a key that is not base64");
  expect_invalid("/v3/kv/put", R"({"key":"YQ==","value":"*"})", "a value that is not base64");
}

TEST_P(BadInputContract, WrongTypesAreInvalid) {
  expect_invalid("/v3/kv/range", R"({"key":5})", "a key that is a number");
  expect_invalid("/v3/kv/range", R"({"key":"YQ==","limit":"ten"})", "a limit that is not a number");
  expect_invalid("/v3/kv/range", R"({"key":"YQ==","limit":{}})", "a limit that is an object");
}

TEST_P(BadInputContract, NumbersAreAcceptedAsStringsOrNumbersAndUnknownFieldsIgnored) {
  Revision r = put(client(), key("k"), "v");
  nlohmann::json as_number = {{"key", json::base64_encode(key("k"))}, {"revision", r}, {"unknown_field", 1}};
  auto [status, answer] = client().post_raw("/v3/kv/range", as_number.dump()).value();
  EXPECT_EQ(status, 200) << "etcd takes 64-bit numbers as JSON numbers too, and ignores unknown fields: " << answer;
  nlohmann::json as_string = {{"key", json::base64_encode(key("k"))}, {"revision", std::to_string(r)}};
  std::tie(status, answer) = client().post_raw("/v3/kv/range", as_string.dump()).value();
  EXPECT_EQ(status, 200) << answer;
}

TEST_P(BadInputContract, ARequestOverOnePointFiveMebibytesIsTooLarge) {
  auto [status, answer] = client().post_raw("/v3/kv/put", put_body("big", 1600 * 1024)).value();
  EXPECT_EQ(status, 400) << answer.substr(0, 300);
  auto json = nlohmann::json::parse(answer, nullptr, false);
  ASSERT_TRUE(json.is_object()) << answer.substr(0, 300);
  EXPECT_EQ(json.value("message", ""), "etcdserver: request is too large");
  EXPECT_FALSE(get(client(), key("big")).has_value());
  expect_still_serving();
}

TEST_P(BadInputContract, AOneMebibyteValueIsAccepted) {
  auto [status, answer] = client().post_raw("/v3/kv/put", put_body("mebibyte", 1024 * 1024)).value();
  EXPECT_EQ(status, 200) << answer.substr(0, 300);
  auto kv = get(client(), key("mebibyte"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->value.size(), 1024u * 1024u);
}

TEST_P(BadInputContract, TheLimitIsOnTheRequestNotOnItsJson) {
  // etcd measures the decoded request against --max-request-bytes (1.5 MiB): a 1.4 MiB value
  // is accepted although its base64 JSON is 1.9 MB.
  auto [status, answer] = client().post_raw("/v3/kv/put", put_body("under", 1400 * 1024)).value();
  EXPECT_EQ(status, 200) << answer.substr(0, 300);
  auto kv = get(client(), key("under"));
  ASSERT_TRUE(kv.has_value());
  EXPECT_EQ(kv->value.size(), 1400u * 1024u);
}

TEST_P(BadInputContract, AnUnknownPathIsNotFound) {
  for (const char* path : {"/v3/kv/nope", "/v2/keys/a", "/"}) {
    auto [status, answer] = client().post_raw(path, "{}").value();
    EXPECT_EQ(status, 404) << path << ": " << answer;
    EXPECT_FALSE(answer.empty()) << path << ": a 404 says so in its body";
  }
  expect_still_serving();
}

TEST_P(BadInputContract, AnEndpointWhereNobodyListensIsUnavailable) {
  StoreClient::Options options;
  options.endpoint = "http://127.0.0.1:1";
  options.timeout = std::chrono::milliseconds(1000);
  StoreClient nowhere(options);
  auto response = nowhere.range(range_op("k"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, StoreErrc::unavailable);
  EXPECT_NE(response.error().message.find("127.0.0.1:1"), std::string::npos)
      << "the error names the endpoint: " << response.error().message;
  auto watch = nowhere.watch(WatchRequest{});
  ASSERT_FALSE(watch.ok()) << "a watch on nowhere fails at once";
  EXPECT_EQ(watch.error().code, StoreErrc::unavailable) << watch.error().message;
}

INSTANTIATE_TEST_SUITE_P(Stores, BadInputContract, ::testing::Values(ServerKind::etcd, ServerKind::ministore),
                         kind_name);

}  // namespace
}  // namespace deploylab::store::contract
