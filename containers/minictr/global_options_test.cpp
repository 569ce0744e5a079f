// containers/minictr/global_options_test.cpp: runc-style global options before the subcommand.
#include "containers/minictr/global_options.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

using Args = std::vector<std::string>;

TEST(GlobalOptions, AsContainerdCallsIt) {
  GlobalOptions g = split_global_options({"--root", "/run/x", "--log", "/tmp/l.json", "--log-format", "json", "create",
                                          "--bundle", "/b", "web"}).value();
  EXPECT_EQ(g.root, "/run/x");
  EXPECT_EQ(g.log_file, "/tmp/l.json");
  EXPECT_EQ(g.log_format, "json");
  EXPECT_EQ(g.rest, (Args{"create", "--root", "/run/x", "--bundle", "/b", "web"}));
}

TEST(GlobalOptions, EqualsFormAndFlags) {
  GlobalOptions g = split_global_options({"--root=/r", "--debug", "state", "web"}).value();
  EXPECT_EQ(g.root, "/r");
  EXPECT_TRUE(g.debug);
  EXPECT_EQ(g.rest, (Args{"state", "--root", "/r", "web"}));
}

TEST(GlobalOptions, NothingGlobalPassesThroughUntouched) {
  EXPECT_EQ(split_global_options({"run", "--bundle", "b", "x"}).value().rest, (Args{"run", "--bundle", "b", "x"}));
  EXPECT_EQ(split_global_options({"--help"}).value().rest, (Args{"--help"}));
}

TEST(GlobalOptions, AMissingValueIsAnError) {
  auto g = split_global_options({"--root"});
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message().find("--root needs a value"), std::string::npos);
}

}  // namespace
}  // namespace deploylab::ctr
