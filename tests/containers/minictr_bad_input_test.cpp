// tests/containers/minictr_bad_input_test.cpp: what minictr says about bad bundles and wrong
// commands: a clear message naming what is wrong, a non-zero exit, and nothing left behind (no
// state directory, no cgroup, no process).
#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_io.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;


// Runs `minictr run` on a bundle the test has spoiled; the error must contain `expected`.
void expect_refused(TestBundle& b, const std::string& expected, bool write_config = true) {
  Completed done = write_config ? b.run() : b.minictr({"run", "--bundle", b.dir().string(), b.id()});
  EXPECT_NE(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.err.find(expected), std::string::npos) << "expected the error to say: " << expected << "\n" << transcript(done);
  EXPECT_FALSE(fs::exists(b.state_root() / b.id())) << "a failed create leaves no state";
  EXPECT_FALSE(cgroup_left_behind(b.id())) << "a failed create leaves no cgroup";
}

TEST(MinictrBadInput, EmptyArgsNameTheJsonPath) {
  TestBundle b = TestBundle::make("deploylab-test-bad-args");
  b.set_args({});
  expect_refused(b, "process.args");
}

TEST(MinictrBadInput, UnknownNamespaceType) {
  TestBundle b = TestBundle::make("deploylab-test-bad-ns");
  b.config()["linux"]["namespaces"].push_back({{"type", "galaxy"}});
  expect_refused(b, "unknown namespace type");
}

TEST(MinictrBadInput, MissingRootfs) {
  TestBundle b = TestBundle::make("deploylab-test-bad-root");
  b.config()["root"]["path"] = "no-such-rootfs";
  expect_refused(b, "no-such-rootfs");
}

TEST(MinictrBadInput, MalformedAndMissingConfig) {
  TestBundle b = TestBundle::make("deploylab-test-bad-json");
  b.write_config();
  write_file_atomic(b.dir() / "config.json", "{\"ociVersion\": \"1.0.2\", ").value();
  expect_refused(b, "config.json", false);
  fs::remove(b.dir() / "config.json");
  expect_refused(b, "no config.json", false);
}

TEST(MinictrBadInput, ALimitTheKernelRefuses) {
  TestBundle b = TestBundle::make("deploylab-test-bad-limit");
  b.config()["linux"]["resources"] = {{"cpu", {{"quota", 100}, {"period", 100000}}}};  // below the 1 ms minimum
  expect_refused(b, "cpu");
}

TEST(MinictrBadInput, AProgramThatDoesNotExist) {
  TestBundle b = TestBundle::make("deploylab-test-bad-prog");
  b.set_args({"/no/such/program"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 127) << transcript(done);
  EXPECT_NE(done.err.find("/no/such/program"), std::string::npos) << transcript(done);
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(MinictrBadInput, BadIdsAndUnknownContainers) {
  TestBundle b = TestBundle::make("deploylab-test-bad-id");
  Completed bad_id = b.minictr({"run", "--bundle", b.dir().string(), "a/b"});
  EXPECT_NE(bad_id.err.find("invalid container id"), std::string::npos) << transcript(bad_id);
  Completed unknown = b.minictr({"start", "deploylab-test-nobody"});
  EXPECT_NE(unknown.status.code, 0);
  EXPECT_NE(unknown.err.find("does not exist"), std::string::npos) << transcript(unknown);
  Completed signal = b.minictr({"kill", "deploylab-test-nobody", "NOPE"});
  EXPECT_NE(signal.err.find("unknown signal"), std::string::npos) << transcript(signal);
}

}  // namespace
}  // namespace deploylab::ctr::testing
