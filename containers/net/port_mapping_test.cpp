// containers/net/port_mapping_test.cpp: the -p syntax (port_mapping.h).
#include "containers/net/port_mapping.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

TEST(PortMapping, ParsesEveryForm) {
  PortMapping simple = parse_port_mapping("8080:80").value();
  EXPECT_FALSE(simple.host_ip.has_value());
  EXPECT_EQ(simple.host_port, 8080);
  EXPECT_EQ(simple.container_port, 80);
  EXPECT_EQ(simple.protocol, Protocol::tcp) << "tcp when no protocol is given, as Docker";
  PortMapping full = parse_port_mapping("127.0.0.1:5353:53/udp").value();
  EXPECT_EQ(to_string(*full.host_ip), "127.0.0.1");
  EXPECT_EQ(full.protocol, Protocol::udp);
  EXPECT_EQ(to_string(full), "127.0.0.1:5353:53/udp");
  EXPECT_EQ(to_string(simple), "8080:80/tcp");
}

TEST(PortMapping, RefusesBadSyntax) {
  for (const char* bad : {"", "80", "8080:", ":80", "0:80", "8080:65536", "8080:80/sctp", "x:8080:80", "1.2.3:8080:80", "8080:80/"}) {
    auto parsed = parse_port_mapping(bad);
    EXPECT_FALSE(parsed.ok()) << "-p \"" << bad << "\" must be refused";
    if (!parsed.ok()) {
      EXPECT_NE(parsed.error().message().find("HOSTPORT"), std::string::npos) << "the hint shows the syntax";
    }
  }
}

TEST(PortMapping, ConflictsOnTheSamePortProtocolAndAddress) {
  auto p = [](const char* text) { return parse_port_mapping(text).value(); };
  EXPECT_TRUE(p("8080:80").conflicts_with(p("8080:81")));
  EXPECT_TRUE(p("8080:80").conflicts_with(p("127.0.0.1:8080:80"))) << "every address includes 127.0.0.1";
  EXPECT_FALSE(p("8080:80").conflicts_with(p("8080:80/udp")));
  EXPECT_FALSE(p("127.0.0.1:8080:80").conflicts_with(p("10.0.0.1:8080:80")));
  EXPECT_FALSE(parse_port_mappings({"8080:80", "8080:90"}).ok()) << "one -p list cannot use a host port twice";
}

}  // namespace
}  // namespace deploylab::ctr
