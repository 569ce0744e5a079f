// bench/vm/density_run_test.cpp: the density run for real (density_run.h), with a stand-in for a
// VMM: a python3 process that takes 60 MiB, prints the shell marker and idles. In a 160 MiB
// cgroup two fit; with the third, the OOM killer kills one of them. Needs root and a memory cgroup
// (skipped otherwise); the cgroup and the processes are gone at the end either way.
#include "bench/vm/density_run.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "common/temp_dir.h"

namespace deploylab::bench {
namespace {

std::vector<std::string> stand_in(int) {
  return {"python3", "-c",
          "import time\n"
          "block = bytearray(60 << 20)\n"
          "for i in range(0, len(block), 4096): block[i] = 1\n"
          "print('deploylab-initramfs: no virtio disk', flush=True)\n"
          "time.sleep(60)\n"};
}

TEST(RunDensity, CountsWhatFitsThenCleansUp) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (a memory cgroup)";
  if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "the stand-in VMM is a python3 one-liner";
  auto scratch = TempDir::create("deploylab-test-density-").value();
  DensityRun run;
  run.plan = plan_density(160, 64).value();
  run.argv = stand_in;
  run.boot_timeout = std::chrono::seconds(30);
  run.scratch = scratch.path();
  auto outcome = run_density(run);
  if (!outcome) GTEST_SKIP() << "no memory cgroup here: " << outcome.error().message();
  EXPECT_EQ(density_count(outcome.value().instances), 2)
      << "two 60 MiB processes fit in 160 MiB, the third does not: " << density_story(run.plan, outcome.value().instances);
  ASSERT_EQ(outcome.value().instances.size(), 3u) << "the run stops at the first instance lost";
  int killed = 0;
  for (const InstanceRecord& instance : outcome.value().instances) {
    killed += !instance.still_running && instance.detail.find("SIGKILL") != std::string::npos;
  }
  EXPECT_EQ(killed, 1) << "the OOM killer takes one, the newest or an older one: "
                       << density_story(run.plan, outcome.value().instances);
  std::string leftover = "/sys/fs/cgroup/memory/deploylab-vm-rows-" + std::to_string(::getpid());
  EXPECT_FALSE(std::filesystem::exists(leftover)) << "the cgroup must be removed";
}

}  // namespace
}  // namespace deploylab::bench
