// labs/07-cgroups/lab07_support.h: helpers of lab 07's tests (cgroups_test.cpp and the hidden
// tests): the fixture that needs root and finds this machine's cgroup layout, bundles with
// limits in config.json, `minictr stats --json` read back, and the path of a container's cgroup
// files under v1 or v2. Containers are named deploylab-test-l7-<what>-<pid>, so two runs of the
// tests never meet and a leftover cgroup is easy to find (find /sys/fs/cgroup -name
// '*deploylab-test*').
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "containers/cgroups/layout.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {

inline constexpr std::int64_t MiB = 1024 * 1024;

// What minictr said, for failure messages.
// A bundle for container deploylab-test-l7-<what>-<pid>.
inline TestBundle lab07_bundle(const std::string& what) {
  return TestBundle::make("deploylab-test-l7-" + what + "-" + std::to_string(::getpid()));
}

// config.json's linux.resources.<group> = `limits`, next to what the default config has there
// (the devices list): {"memory": {"limit": ..., "swap": ...}}, {"pids": {"limit": 16}}, ...
inline void set_resources(TestBundle& bundle, const std::string& group, const nlohmann::json& limits) {
  bundle.config()["linux"]["resources"][group] = limits;
}

// `minictr create` then `minictr start`, for a container that keeps running; false (with a
// failure recorded) if either refused.
inline bool create_and_start(TestBundle& bundle) {
  bundle.write_config();
  Completed created = bundle.minictr_detached({"create", "--bundle", bundle.dir().string(), bundle.id()});
  EXPECT_EQ(created.status.code, 0) << "minictr create refused the container with limits\n" << transcript(created);
  if (created.status.code != 0) return false;
  Completed started = bundle.minictr({"start", bundle.id()});
  EXPECT_EQ(started.status.code, 0) << transcript(started);
  return started.status.code == 0;
}

// `minictr stats --json ID` as JSON; null (and a failure recorded) if minictr failed.
inline nlohmann::json stats_of(const TestBundle& bundle) {
  Completed done = bundle.minictr({"stats", "--json", bundle.id()});
  auto json = nlohmann::json::parse(done.out, nullptr, false);
  if (done.status.code == 0 && json.is_object()) return json;
  ADD_FAILURE() << "expected `minictr stats --json " << bundle.id() << "` to print one JSON object (the "
                << "fields of containers/cgroups/stats.h); it reads the files of tasks 3-5 (stat_parsers.cpp, "
                << "stats.cpp)\n" << transcript(done);
  return nullptr;
}

// `minictr delete --force ID`; true when it worked.
inline bool delete_container(const TestBundle& bundle) {
  Completed done = bundle.minictr({"delete", "--force", bundle.id()});
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  return done.status.code == 0;
}

// The fixture: root, and the layout minictr will find (containers/cgroups/layout.h, given code).
class CgroupsLabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "lab 07's tests make containers and cgroups: run them as root";
    auto found = discover_layout();
    ASSERT_TRUE(found.ok()) << "no usable cgroups on this machine: " << found.error().message();
    layout_ = found.value();
  }

  bool v2() const { return layout_.version() == CgroupVersion::v2; }

  // The directory of container `id`'s cgroup (minictr/ID: no cgroupsPath in config.json) that
  // holds `controller`: <its v1 hierarchy>/minictr/ID, or /sys/fs/cgroup/minictr/ID under v2.
  std::filesystem::path cgroup_dir(const std::string& controller, const std::string& id) const {
    std::filesystem::path mount = layout_.root;
    if (!v2()) mount = layout_.v1_mount(controller).value_or(layout_.root / ("(no " + controller + " hierarchy)"));
    return mount / "minictr" / id;
  }

  // The first line of a cgroup file of container `id`, or "(missing)".
  std::string cgroup_value(const std::string& controller, const std::string& id, const std::string& file) const {
    auto text = read_file(cgroup_dir(controller, id) / file);
    if (!text.ok()) return "(missing)";
    return text.value().substr(0, text.value().find('\n'));
  }

  CgroupLayout layout_;
};

}  // namespace deploylab::ctr::testing
