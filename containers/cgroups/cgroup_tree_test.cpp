// containers/cgroups/cgroup_tree_test.cpp: cgroup paths and the directories of a container
// under v1 and v2 (cgroup_tree.h), on a fake hierarchy of plain directories.
#include "containers/cgroups/cgroup_tree.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

TEST(NormalizeCgroupPath, RelativeAndAbsoluteMeanTheSame) {
  EXPECT_EQ(normalize_cgroup_path("minictr/web").value(), "minictr/web");
  EXPECT_EQ(normalize_cgroup_path("/minictr/web").value(), "minictr/web");
  EXPECT_EQ(normalize_cgroup_path("//minictr//web/").value(), "minictr/web");
}

TEST(NormalizeCgroupPath, RefusesPathsThatLeaveOrNameTheRoot) {
  EXPECT_FALSE(normalize_cgroup_path("").ok());
  EXPECT_FALSE(normalize_cgroup_path("/").ok()) << "the root cgroup is the machine's";
  EXPECT_FALSE(normalize_cgroup_path("minictr/../../etc").ok());
  EXPECT_FALSE(normalize_cgroup_path("./web").ok());
}

TEST(ParseControllerList, SplitsOnWhitespace) {
  EXPECT_EQ(parse_controller_list("cpuset cpu io memory hugetlb pids rdma misc\n"),
            (std::set<std::string>{"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"}));
  EXPECT_TRUE(parse_controller_list("\n").empty());
}

// A v1 layout over plain directories: memory and pids alone, cpu and cpuacct joint.
CgroupLayout fake_v1(const fs::path& root) {
  for (auto name : {"memory", "cpu,cpuacct", "pids"}) fs::create_directories(root / name);
  return {CgroupMode::legacy, root,
          {{"memory", root / "memory"}, {"cpu", root / "cpu,cpuacct"}, {"cpuacct", root / "cpu,cpuacct"},
           {"pids", root / "pids"}}};
}

TEST(MakeCgroupDirectories, V1MakesOneDirectoryPerHierarchy) {
  TempDir root = TempDir::create("deploylab-test-tree-").value();
  CgroupDirectories dirs;
  make_cgroup_directories(fake_v1(root.path()), "minictr/web", dirs).value();
  EXPECT_EQ(dirs.leaves, (std::vector<fs::path>{root / "memory/minictr/web", root / "cpu,cpuacct/minictr/web",
                                                root / "pids/minictr/web"}))
      << "a joint hierarchy gets one directory, not two";
  EXPECT_EQ(dirs.by_controller.at("cpuacct"), root / "cpu,cpuacct/minictr/web");
  EXPECT_EQ(dirs.created_parents.size(), 3u) << "minictr/ was made in each hierarchy";
  for (const auto& dir : dirs.leaves) EXPECT_TRUE(fs::is_directory(dir)) << dir;
}

TEST(MakeCgroupDirectories, AnExistingLeafIsAnErrorAndWhatWasMadeIsRecorded) {
  TempDir root = TempDir::create("deploylab-test-tree-").value();
  CgroupLayout layout = fake_v1(root.path());
  fs::create_directories(root / "pids/web");  // a stale container, only in the last hierarchy
  CgroupDirectories dirs;
  auto made = make_cgroup_directories(layout, "web", dirs);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message().find("EEXIST"), std::string::npos) << made.error().message();
  EXPECT_EQ(dirs.leaves.size(), 2u) << "memory and cpu,cpuacct were made and must be listed for removal";
}

TEST(MakeCgroupDirectories, V2EnablesControllersInTheParentThenMakesOneDirectory) {
  TempDir root = TempDir::create("deploylab-test-tree-").value();
  write_file_atomic(root / "cgroup.controllers", "cpuset cpu io memory pids\n").value();
  write_file_atomic(root / "cgroup.subtree_control", "cpu\n").value();
  CgroupDirectories dirs;
  make_cgroup_directories({CgroupMode::unified, root.path(), {}}, "web", dirs).value();
  EXPECT_EQ(dirs.leaves, (std::vector<fs::path>{root / "web"}));
  EXPECT_EQ(read_file(root / "cgroup.subtree_control").value(), "+memory +pids")
      << "only the controllers not yet enabled are asked for";
  EXPECT_EQ(dirs.by_controller.size(), 3u);
}

TEST(MakeCgroupDirectories, V2SkipsControllersTheHierarchyLacks) {
  TempDir root = TempDir::create("deploylab-test-tree-").value();
  write_file_atomic(root / "cgroup.controllers", "hugetlb\n").value();  // like this machine's hybrid tree
  write_file_atomic(root / "cgroup.subtree_control", "").value();
  CgroupDirectories dirs;
  make_cgroup_directories({CgroupMode::unified, root.path(), {}}, "web", dirs).value();
  EXPECT_TRUE(dirs.by_controller.empty()) << "no memory, cpu or pids to use";
  EXPECT_EQ(read_file(root / "cgroup.subtree_control").value(), "") << "nothing to enable, nothing written";
}

TEST(FindCgroupDirectories, AMissingDirectoryIsENOENT) {
  TempDir root = TempDir::create("deploylab-test-tree-").value();
  CgroupLayout layout = fake_v1(root.path());
  auto found = find_cgroup_directories(layout, "web");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message().find("ENOENT"), std::string::npos) << found.error().message();
  CgroupDirectories made;
  make_cgroup_directories(layout, "web", made).value();
  EXPECT_EQ(find_cgroup_directories(layout, "/web").value().leaves, made.leaves);
}

}  // namespace
}  // namespace deploylab::ctr
