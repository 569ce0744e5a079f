// bench/containers/runtimes_test.cpp: command lines, ids and the bundle's config (runtimes.h).
#include "bench/containers/runtimes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RuntimeCommand crun() { return {OciRuntime::crun, "/usr/bin/crun", "/tmp/b/state-crun"}; }

TEST(ParseRuntimes, KeepsTableOrderAndDropsDuplicates) {
  EXPECT_EQ(parse_runtimes("runc,minictr,runc"), (std::vector{OciRuntime::minictr, OciRuntime::runc}));
  EXPECT_EQ(parse_runtimes("crun"), (std::vector{OciRuntime::crun}));
}

TEST(ParseRuntimes, NamesTheUnknownWord) {
  try {
    parse_runtimes("crun,youki");
    FAIL() << "expected an error for 'youki'";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("'youki'"));
  }
}

TEST(RuntimeArgv, PutsTheStateRootBeforeTheCommandAsRuncDoes) {
  EXPECT_THAT(create_argv(crun(), "/tmp/b/bundle", "id1", "/tmp/b/id1.pid"),
              ElementsAre("/usr/bin/crun", "--root", "/tmp/b/state-crun", "create", "--bundle", "/tmp/b/bundle",
                          "--pid-file", "/tmp/b/id1.pid", "id1"));
  EXPECT_THAT(start_argv(crun(), "id1"), ElementsAre("/usr/bin/crun", "--root", "/tmp/b/state-crun", "start", "id1"));
  EXPECT_THAT(delete_argv(crun(), "id1", DeleteMode::force),
              ElementsAre("/usr/bin/crun", "--root", "/tmp/b/state-crun", "delete", "--force", "id1"));
  EXPECT_THAT(delete_argv(crun(), "id1", DeleteMode::normal), ElementsAre("/usr/bin/crun", "--root", "/tmp/b/state-crun", "delete", "id1"));
  EXPECT_THAT(run_argv(crun(), "/tmp/b/bundle", "id1"),
              ElementsAre("/usr/bin/crun", "--root", "/tmp/b/state-crun", "run", "--bundle", "/tmp/b/bundle", "id1"));
}

TEST(ScaleArgv, AreTheCommandsTheIssueNames) {
  EXPECT_THAT(unshare_argv(), ElementsAre("unshare", "-pfmnui", "--mount-proc", "true"));
  EXPECT_THAT(true_argv(), ElementsAre("true"));
}

TEST(ContainerId, IsUniquePerRuntimeRunAndSerialAndSaysBench) {
  EXPECT_EQ(container_id(OciRuntime::runc, 4242, 17), "deploylab-bench-runc-4242-17");
  EXPECT_NE(container_id(OciRuntime::runc, 4242, 17), container_id(OciRuntime::crun, 4242, 17));
}

TEST(BenchConfig, RunsTrueWithoutATerminalAndKeepsTheRest) {
  nlohmann::json spec = {{"process", {{"terminal", true}, {"args", {"sh"}}, {"cwd", "/"}}},
                         {"linux", {{"resources", {{"devices", nlohmann::json::array()}}}}}};
  nlohmann::json config = bench_config(spec, std::nullopt);
  EXPECT_EQ(config["process"]["terminal"], false);
  EXPECT_EQ(config["process"]["args"], nlohmann::json({"/bin/true"}));
  EXPECT_EQ(config["process"]["cwd"], "/") << "fields the benchmark does not care about stay as the default has them";
  EXPECT_FALSE(config["linux"]["resources"].contains("memory")) << "no limit unless asked";
}

TEST(BenchConfig, SetsTheMemoryLimitWhenGiven) {
  nlohmann::json config = bench_config(nlohmann::json::object(), 1 << 20);
  EXPECT_EQ(config["linux"]["resources"]["memory"]["limit"], 1 << 20);
}

}  // namespace
}  // namespace deploylab::bench
