// containers/runtime/network_setup_test.cpp: --net and -p against config.json's namespaces.
#include "containers/runtime/network_setup.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

Spec spec_with(std::vector<Namespace> namespaces) {
  Spec spec;
  spec.linux_spec.namespaces = std::move(namespaces);
  return spec;
}

CreateRequest request_for(std::string net, std::vector<std::string> ports = {}) {
  CreateRequest r;
  r.net = std::move(net);
  r.publish = parse_port_mappings(ports).value();
  return r;
}

TEST(NetworkChoice, HostDropsTheNamespaceNoneAndNameMakeOne) {
  Spec host = spec_with({{NamespaceType::pid, {}}, {NamespaceType::network, {}}});
  EXPECT_FALSE(apply_network_choice(host, request_for("host")).value().has_value());
  EXPECT_FALSE(host.linux_spec.has_namespace(NamespaceType::network)) << "--net host shares the host's namespace";
  Spec none = spec_with({{NamespaceType::pid, {}}});
  EXPECT_FALSE(apply_network_choice(none, request_for("none")).value().has_value());
  EXPECT_TRUE(none.linux_spec.has_namespace(NamespaceType::network)) << "--net none adds a new, empty namespace";
  Spec named = spec_with({});
  EXPECT_EQ(apply_network_choice(named, request_for("web", {"8080:80"})).value(), "web");
  EXPECT_TRUE(named.linux_spec.has_namespace(NamespaceType::network));
}

TEST(NetworkChoice, WithoutNetConfigDecides) {
  Spec spec = spec_with({{NamespaceType::network, "/run/netns/pod"}});
  EXPECT_FALSE(apply_network_choice(spec, request_for("")).value().has_value());
  EXPECT_EQ(spec.linux_spec.find_namespace(NamespaceType::network)->path, "/run/netns/pod");
}

TEST(NetworkChoice, RefusesAJoinedNamespaceAndPortsWithoutANetwork) {
  Spec joined = spec_with({{NamespaceType::network, "/run/netns/pod"}});
  auto refused = apply_network_choice(joined, request_for("web"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("/run/netns/pod"), std::string::npos) << refused.error().message();
  Spec spec = spec_with({});
  EXPECT_FALSE(apply_network_choice(spec, request_for("", {"8080:80"})).ok()) << "-p needs --net NAME";
  EXPECT_FALSE(apply_network_choice(spec, request_for("none", {"8080:80"})).ok());
}

}  // namespace
}  // namespace deploylab::ctr
