// containers/cgroups/cgroup_files_test.cpp: the error texts and pid lists of cgroup_files.h,
// with ordinary files in a temporary directory standing in for cgroup files.
#include "containers/cgroups/cgroup_files.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(WriteHint, ExplainsTheKernelsRefusalsOfMemoryLimits) {
  EXPECT_TRUE(contains(write_hint("memory.limit_in_bytes", EBUSY), "already uses more memory"));
  EXPECT_TRUE(contains(write_hint("memory.max", EBUSY), "already uses more memory"));
  EXPECT_TRUE(contains(write_hint("memory.limit_in_bytes", EINVAL), "memsw"))
      << "v1's EINVAL on the limit is the limit <= memsw rule";
}

TEST(WriteHint, CoversCpuPidsProcsAndSubtreeControl) {
  EXPECT_TRUE(contains(write_hint("cpu.cfs_quota_us", EINVAL), "1000"));
  EXPECT_TRUE(contains(write_hint("pids.max", EINVAL), "PID_MAX_LIMIT"));
  EXPECT_TRUE(contains(write_hint("cgroup.procs", ESRCH), "exited"));
  EXPECT_TRUE(contains(write_hint("cgroup.subtree_control", EBUSY), "no-internal-processes"));
  EXPECT_TRUE(contains(write_hint("memory.max", EACCES), "root"));
  EXPECT_TRUE(contains(write_hint("memory.max", ENOENT), "controller is not enabled"));
}

TEST(WriteCgroupFile, AFailedWriteNamesTheValueTheFileAndErrno) {
  auto written = write_cgroup_file("/nonexistent/deploylab-test", "memory.max", "100");
  ASSERT_FALSE(written.ok());
  std::string message = written.error().message();
  EXPECT_TRUE(contains(message, "writing \"100\" to `/nonexistent/deploylab-test/memory.max`")) << message;
  EXPECT_TRUE(contains(message, "[ENOENT]")) << message;
  EXPECT_TRUE(contains(message, "(hint: ")) << message;
}

TEST(WriteCgroupFile, WritesTheValueAsIs) {
  TempDir dir = TempDir::create("deploylab-test-files-").value();
  write_file_atomic(dir / "pids.max", "").value();
  write_cgroup_file(dir.path(), "pids.max", "20").value();
  EXPECT_EQ(read_cgroup_file(dir.path(), "pids.max").value(), "20");
  EXPECT_TRUE(cgroup_file_exists(dir.path(), "pids.max"));
  EXPECT_FALSE(cgroup_file_exists(dir.path(), "cgroup.kill"));
}

TEST(ParsePidList, ReadsOnePidALine) {
  EXPECT_EQ(parse_pid_list("12\n345\n6\n").value(), (std::vector<pid_t>{12, 345, 6}));
  EXPECT_TRUE(parse_pid_list("").value().empty()) << "an empty cgroup lists nothing";
  EXPECT_FALSE(parse_pid_list("12\nabc\n").ok());
  EXPECT_FALSE(parse_pid_list("0\n").ok()) << "pid 0 is never a process in a cgroup";
}

TEST(CgroupDirectory, MakeIsIdempotentAndRemoveToleratesAbsence) {
  TempDir parent = TempDir::create("deploylab-test-dirs-").value();
  auto dir = parent / "web";
  EXPECT_EQ(make_cgroup_directory(dir).value(), DirectoryCreated::created);
  EXPECT_EQ(make_cgroup_directory(dir).value(), DirectoryCreated::existed);
  remove_cgroup_directory(dir).value();
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_TRUE(remove_cgroup_directory(dir).ok()) << "removing what is gone is success";
}

}  // namespace
}  // namespace deploylab::ctr
