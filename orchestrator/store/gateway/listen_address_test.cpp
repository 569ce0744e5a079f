// orchestrator/store/gateway/listen_address_test.cpp: `ministore serve --listen` (listen_address.h).
#include "orchestrator/store/gateway/listen_address.h"

#include <gtest/gtest.h>

namespace deploylab::store::gateway {
namespace {

TEST(ListenAddress, HostAndPort) {
  auto plain = parse_listen_address("127.0.0.1:2379");
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  EXPECT_EQ(plain.value().host, "127.0.0.1");
  EXPECT_EQ(plain.value().port, 2379);
  EXPECT_EQ(parse_listen_address("localhost:0").value().port, 0) << "port 0: any free port";
  EXPECT_EQ(parse_listen_address("http://127.0.0.1:23790").value().port, 23790) << "etcd's URL form";
  EXPECT_EQ(parse_listen_address("[::1]:2379").value().host, "::1");
}

TEST(ListenAddress, MistakesSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (auto [text, expected] : {Case{"127.0.0.1", "no port"}, Case{":2379", "no host"},
                                Case{"127.0.0.1:http", "not a number"}, Case{"127.0.0.1:70000", "not a number"},
                                Case{"127.0.0.1:-1", "not a number"}, Case{"https://127.0.0.1:1", "not HTTPS"}}) {
    auto parsed = parse_listen_address(text);
    ASSERT_FALSE(parsed.ok()) << text << " should be refused";
    EXPECT_NE(parsed.error().message().find(expected), std::string::npos)
        << text << ": expected \"" << expected << "\" in: " << parsed.error().message();
  }
}

}  // namespace
}  // namespace deploylab::store::gateway
