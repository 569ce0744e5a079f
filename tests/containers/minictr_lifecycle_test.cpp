// tests/containers/minictr_lifecycle_test.cpp: create, start, state, exec, ps, stats, kill and
// delete, one command at a time as a container manager calls them, and the hooks on the way.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

#include "common/file_io.h"
#include "containers/oci/proc_stat.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;


nlohmann::json state_of(const TestBundle& b) {
  Completed done = b.minictr({"state", b.id()});
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  return nlohmann::json::parse(done.out, nullptr, false);
}

TEST(MinictrLifecycle, CreateStartStateKillDelete) {
  TestBundle b = TestBundle::make("deploylab-test-life");
  b.config()["hostname"] = "life";
  b.set_args({"sleep", "60"});
  fs::path pid_file = b.dir() / "init.pid";
  b.write_config();
  Completed created = b.minictr_detached({"create", "--bundle", b.dir().string(), "--pid-file", pid_file.string(), b.id()});
  ASSERT_EQ(created.status.code, 0) << transcript(created);

  nlohmann::json state = state_of(b);
  EXPECT_EQ(state["status"], "created");
  EXPECT_EQ(state["id"], b.id());
  EXPECT_EQ(state["ociVersion"].get<std::string>().substr(0, 2), "1.");
  EXPECT_EQ(fs::path(state["bundle"].get<std::string>()), b.dir());
  EXPECT_EQ(std::to_string(state["pid"].get<int>()), read_file(pid_file).value_or("")) << "--pid-file holds the init's pid";
  EXPECT_NE(b.minictr({"create", "--bundle", b.dir().string(), b.id()}).err.find("already exists"), std::string::npos);
  EXPECT_EQ(state_of(b)["status"], "created") << "a refused duplicate must not touch the first container";

  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  EXPECT_EQ(state_of(b)["status"], "running");
  Completed again = b.minictr({"start", b.id()});
  EXPECT_NE(again.status.code, 0);
  EXPECT_NE(again.err.find("not created"), std::string::npos) << transcript(again);

  Completed exec = b.minictr({"exec", b.id(), "--", "hostname"});
  EXPECT_EQ(exec.status.code, 0) << transcript(exec);
  EXPECT_EQ(exec.out, "life\n") << "exec runs inside the container's uts namespace";
  Completed ps = b.minictr({"ps", "--format", "json", b.id()});
  EXPECT_EQ(nlohmann::json::parse(ps.out, nullptr, false), nlohmann::json::array({state["pid"]})) << transcript(ps);
  Completed stats = b.minictr({"stats", "--json", b.id()});
  nlohmann::json usage = nlohmann::json::parse(stats.out, nullptr, false);
  ASSERT_TRUE(usage.is_object()) << transcript(stats);
  EXPECT_GE(usage["pids_current"].get<int>(), 1);

  Completed refused = b.minictr({"delete", b.id()});
  EXPECT_NE(refused.status.code, 0) << "a running container is only deleted with --force";
  ASSERT_EQ(b.minictr({"kill", b.id(), "KILL"}).status.code, 0);
  for (int i = 0; i < 50 && state_of(b)["status"] != "stopped"; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(state_of(b)["status"], "stopped");
  Completed deleted = b.minictr({"delete", b.id()});
  EXPECT_EQ(deleted.status.code, 0) << transcript(deleted);
  EXPECT_FALSE(fs::exists(b.state_root() / b.id()));
  EXPECT_FALSE(cgroup_left_behind(b.id()));
  EXPECT_NE(b.minictr({"state", b.id()}).err.find("does not exist"), std::string::npos);
}

TEST(MinictrLifecycle, DeletingACreatedContainerKillsItsWaitingInit) {
  TestBundle b = TestBundle::make("deploylab-test-created");
  b.set_args({"sh", "-c", "echo never-started"});
  b.write_config();
  ASSERT_EQ(b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()}).status.code, 0);
  int pid = state_of(b)["pid"].get<int>();
  Completed deleted = b.minictr({"delete", b.id()});
  EXPECT_EQ(deleted.status.code, 0) << transcript(deleted);
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(process_alive(pid)) << "the waiting init must be gone (a zombie counts as gone)";
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

// Nobody waits for a started container's process, yet `state` must say why it ended.
TEST(MinictrLifecycle, StateReportsAnOomKillOfADetachedContainer) {
  TestBundle b = TestBundle::make("deploylab-test-oom-state");
  b.config()["linux"]["resources"] = {{"memory", {{"limit", 16 << 20}}}};
  b.set_args({"dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"});
  b.write_config();
  ASSERT_EQ(b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()}).status.code, 0);
  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  nlohmann::json state;
  for (int i = 0; i < 50; ++i) {
    state = state_of(b);
    if (state["status"] == "stopped") break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(state["status"], "stopped") << state.dump();
  EXPECT_EQ(state.value("oomKilled", false), true) << state.dump();
  EXPECT_EQ(b.minictr({"delete", b.id()}).status.code, 0);
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(MinictrLifecycle, HooksGetTheStateOnStdin) {
  TestBundle b = TestBundle::make("deploylab-test-hooks");
  fs::path log = b.dir() / "hooks.log";
  auto hook = [&](const std::string& name) {
    return nlohmann::json{{"path", "/bin/sh"}, {"args", {"sh", "-c", "echo " + name + " $(cat) >> " + log.string()}}};
  };
  b.config()["hooks"] = {{"createRuntime", {hook("createRuntime")}}, {"poststart", {hook("poststart")}},
                         {"poststop", {hook("poststop")}}};
  b.set_args({"true"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  std::string text = read_file(log).value_or("");
  EXPECT_NE(text.find("createRuntime {"), std::string::npos) << text;
  EXPECT_NE(text.find("\"id\": \"deploylab-test-hooks\""), std::string::npos) << "the state JSON goes to stdin\n" << text;
  EXPECT_LT(text.find("createRuntime"), text.find("poststart")) << text;
  EXPECT_LT(text.find("poststart"), text.find("poststop")) << text;
}

}  // namespace
}  // namespace deploylab::ctr::testing
