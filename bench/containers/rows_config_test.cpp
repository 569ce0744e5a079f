// bench/containers/rows_config_test.cpp: the edits that make container-rows' bundles
// (rows_config.h).
#include "bench/containers/rows_config.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

nlohmann::json spec() {
  return nlohmann::json::parse(R"({"process": {"terminal": true, "args": ["sh"]},
                                   "root": {"path": "rootfs", "readonly": true},
                                   "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
                                   "linux": {"namespaces": [{"type": "pid"}]}})");
}

TEST(RowsConfig, SetsArgsTerminalAndAnAbsoluteRoot) {
  auto config = rows_config(spec(), "/var/tmp/x/rootfs", RootAccess::read_only, {"echo", "ready"});
  EXPECT_EQ(config["process"]["terminal"], false) << "with a terminal the runtimes would not pass stdout through";
  EXPECT_EQ(config["process"]["args"], nlohmann::json({"echo", "ready"}));
  EXPECT_EQ(config["root"]["path"], "/var/tmp/x/rootfs");
  EXPECT_EQ(config["root"]["readonly"], true);
  EXPECT_EQ(config["linux"]["namespaces"], spec()["linux"]["namespaces"]) << "the rest stays as the default has it";
  EXPECT_EQ(rows_config(spec(), "/m", RootAccess::writable, {"x"})["root"]["readonly"], false);
}

TEST(RowsConfig, AddsAReadOnlyBindMountAfterTheDefaults) {
  auto config = with_bind_mount(spec(), "/work/build/bin/compute-kernel", "/compute-kernel");
  ASSERT_EQ(config["mounts"].size(), 2u);
  const auto& mount = config["mounts"][1];
  EXPECT_EQ(mount["destination"], "/compute-kernel");
  EXPECT_EQ(mount["source"], "/work/build/bin/compute-kernel");
  EXPECT_EQ(mount["type"], "bind");
  auto options = mount["options"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(options.begin(), options.end(), "ro"), options.end());
  EXPECT_EQ(std::find(options.begin(), options.end(), "noexec"), options.end()) << "the binary must stay executable";
}

TEST(RowsConfig, SetsTheCgroupsPath) {
  auto config = with_cgroups_path(spec(), "/deploylab-bench-density-1-crun/c1");
  EXPECT_EQ(config["linux"]["cgroupsPath"], "/deploylab-bench-density-1-crun/c1");
}

}  // namespace
}  // namespace deploylab::bench
