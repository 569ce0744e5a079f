// orchestrator/store/client/endpoint_test.cpp: parse_endpoint (endpoint.h).
#include "orchestrator/store/client/endpoint.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

TEST(ParseEndpoint, HostAndPort) {
  auto endpoint = parse_endpoint("http://127.0.0.1:2379");
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint.value().host, "127.0.0.1");
  EXPECT_EQ(endpoint.value().port, 2379);
}

TEST(ParseEndpoint, TrailingSlashIsAccepted) {
  auto endpoint = parse_endpoint("http://localhost:80/");
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint.value().host, "localhost");
  EXPECT_EQ(endpoint.value().port, 80);
}

TEST(ParseEndpoint, RejectsWhatIsNotHttpHostPort) {
  for (const char* url : {"127.0.0.1:2379", "https://127.0.0.1:2379", "http://127.0.0.1", "http://:2379",
                          "http://h:0", "http://h:70000", "http://h:12ab"}) {
    auto endpoint = parse_endpoint(url);
    ASSERT_FALSE(endpoint.ok()) << url << " should be refused";
    EXPECT_EQ(endpoint.error().code, StoreErrc::invalid_argument) << url;
    EXPECT_NE(endpoint.error().message.find(url), std::string::npos)
        << "the error should quote the endpoint; got: " << endpoint.error().message;
  }
}

}  // namespace
}  // namespace deploylab::store
