// orchestrator/store/client/gateway_answer_test.cpp: how the client reads the gateway's answers
// (gateway_answer.h), with the bodies etcd 3.4 really sends.
#include "orchestrator/store/client/gateway_answer.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

TEST(ReadGatewayAnswer, OkAnswerIsItsJson) {
  auto answer = read_gateway_answer(200, R"({"header":{"revision":"5"},"count":"1"})");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value()["count"], "1");
}

TEST(ReadGatewayAnswer, EtcdErrorBodyBecomesItsStoreError) {
  const char* body =
      R"({"error":"etcdserver: mvcc: required revision has been compacted",)"
      R"("message":"etcdserver: mvcc: required revision has been compacted","code":11})";
  auto answer = read_gateway_answer(400, body);
  ASSERT_FALSE(answer.ok()) << "a 400 is an error";
  EXPECT_EQ(answer.error().code, StoreErrc::compacted) << answer.error().message;
}

TEST(ReadGatewayAnswer, PlainText404IsNotFound) {
  // etcd's gateway answers an unknown path itself, in plain text.
  auto answer = read_gateway_answer(404, "Not Found\n");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, StoreErrc::not_found);
  EXPECT_NE(answer.error().message.find("404"), std::string::npos) << answer.error().message;
}

TEST(ReadGatewayAnswer, OkAnswerThatIsNotJsonIsInternal) {
  auto answer = read_gateway_answer(200, "<html>proxy</html>");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, StoreErrc::internal);
  EXPECT_NE(answer.error().message.find("<html>"), std::string::npos)
      << "the error should show what came back; got: " << answer.error().message;
}

TEST(UnwrapResult, TakesTheMessageOutOfResult) {
  auto wrapped = nlohmann::json::parse(R"({"result":{"ID":"7","TTL":"2"}})");
  EXPECT_EQ(unwrap_result(wrapped)["ID"], "7");
  auto plain = nlohmann::json::parse(R"({"ID":"7"})");
  EXPECT_EQ(unwrap_result(plain), plain) << "a message without `result` is returned unchanged";
}

TEST(StreamError, GrpcGatewayStreamErrorIsAStoreError) {
  auto message = nlohmann::json::parse(
      R"({"error":{"grpc_code":11,"http_code":400,"message":"etcdserver: mvcc: required revision has been compacted","http_status":"Bad Request"}})");
  auto error = stream_error(message);
  ASSERT_TRUE(error.has_value()) << "an {\"error\": {...}} message is an error";
  EXPECT_EQ(error->code, StoreErrc::compacted) << error->message;
  EXPECT_FALSE(stream_error(nlohmann::json::parse(R"({"result":{}})")).has_value());
}

TEST(Unreachable, SaysWhereAndWhatToDo) {
  StoreError error = unreachable("http://127.0.0.1:1/v3/kv/range", "Connection");
  EXPECT_EQ(error.code, StoreErrc::unavailable);
  EXPECT_NE(error.message.find("http://127.0.0.1:1"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("hint"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace deploylab::store
