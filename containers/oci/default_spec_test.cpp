// containers/oci/default_spec_test.cpp: the config.json `minictr spec` writes parses, holds the
// defaults a container needs, and matches `runc spec` field by field.
#include "containers/oci/default_spec.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "containers/oci/spec.h"

namespace deploylab::ctr {
namespace {

using Json = nlohmann::json;

Spec default_spec() { return parse_spec(default_spec_json(), "default_spec_json()").value(); }

// What `runc spec` writes, or std::nullopt (and a skip) where runc is not installed.
std::optional<Json> runc_default() {
  auto dir = TempDir::create("deploylab-test-runc-spec-").value();
  RunOptions options;
  options.spawn.cwd = dir.path().string();
  options.timeout = std::chrono::seconds(30);
  auto done = run({"runc", "spec"}, options);
  if (!done.ok() || !done.value().status.success()) return std::nullopt;
  return Json::parse(read_file(dir / "config.json").value());
}

TEST(DefaultSpec, ParsesAndHoldsTheDefaults) {
  Spec spec = default_spec();
  EXPECT_EQ(spec.oci_version, "1.0.2");
  EXPECT_EQ(spec.process.args, std::vector<std::string>{"sh"});
  EXPECT_TRUE(spec.process.terminal);
  EXPECT_EQ(spec.process.cwd, "/");
  EXPECT_TRUE(spec.process.no_new_privileges);
  ASSERT_EQ(spec.process.rlimits.size(), 1u);
  EXPECT_EQ(spec.process.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(spec.process.rlimits[0].hard, 1024u);
  EXPECT_EQ(spec.process.capabilities.bounding,
            (std::vector<std::string>{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_TRUE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "minictr");
  for (auto type : {NamespaceType::pid, NamespaceType::network, NamespaceType::ipc, NamespaceType::uts,
                    NamespaceType::mount, NamespaceType::cgroup}) {
    EXPECT_TRUE(spec.linux_spec.has_namespace(type)) << "no " << oci_name(type) << " namespace";
  }
  EXPECT_FALSE(spec.linux_spec.has_namespace(NamespaceType::user)) << "runc's default runs without one";
  ASSERT_EQ(spec.mounts.size(), 7u);
  EXPECT_EQ(spec.mounts[0].destination, "/proc");
  EXPECT_EQ(spec.mounts[6].destination, "/sys/fs/cgroup");
}

TEST(DefaultSpec, IsPrettyPrintedWithTabsLikeRunc) {
  auto text = default_spec_json();
  EXPECT_EQ(text.rfind("{\n\t\"ociVersion\": \"1.0.2\",\n\t\"process\": {", 0), 0u) << text.substr(0, 80);
  EXPECT_EQ(text.back(), '\n');
}

TEST(DefaultSpec, MatchesRuncSpec) {
  auto runc = runc_default();
  if (!runc) GTEST_SKIP() << "runc is not installed";
  Json ours = Json::parse(default_spec_json());
  for (const char* pointer : {"/process/user", "/process/args", "/process/env", "/process/cwd",
                              "/process/capabilities", "/process/rlimits", "/process/noNewPrivileges",
                              "/process/terminal", "/root", "/mounts", "/linux/resources", "/linux/maskedPaths",
                              "/linux/readonlyPaths"}) {
    auto at = Json::json_pointer(pointer);
    EXPECT_EQ(ours.at(at), runc->at(at)) << pointer << " differs from runc spec's";
  }
  // runc 1.1 leaves the cgroup namespace out; we add it (runc 1.2 does too).
  for (const auto& ns : runc->at(Json::json_pointer("/linux/namespaces"))) {
    auto& list = ours.at(Json::json_pointer("/linux/namespaces"));
    EXPECT_NE(std::find(list.begin(), list.end(), ns), list.end()) << "no " << ns.dump() << " namespace";
  }
}

TEST(DefaultSpec, ASeccompProfileGoesUnderLinux) {
  nlohmann::ordered_json profile{{"defaultAction", "SCMP_ACT_ALLOW"}};
  Spec spec = parse_spec(default_spec_json(profile), "default_spec_json(profile)").value();
  EXPECT_EQ(spec.linux_spec.seccomp, Json(profile));
  EXPECT_TRUE(default_spec().linux_spec.seccomp.is_null()) << "without a profile, as runc spec (which has none either)";
  EXPECT_EQ(Json::parse(default_spec_json(profile)).at("process"), Json::parse(default_spec_json()).at("process"))
      << "the profile changes nothing else";
  EXPECT_EQ(default_capabilities(), spec.process.capabilities.bounding);
}

}  // namespace
}  // namespace deploylab::ctr
