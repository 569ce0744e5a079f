// tests/bench/tradeoff_bench_test.cpp: `make bench QUICK=1` end to end. The quick run with one
// round per figure must write results.json with the machine's facts and every row, a tradeoff.md
// with the lecture's seven rows and a verdict each, a CSV line per figure and plots that are real
// PNG and SVG pictures. Interrupted with SIGINT in the middle of the container step, it must stop,
// keep what it measured, and leave no mount, cgroup or process behind. In a chroot (a fresh-machine
// check) crun and runc cannot pivot_root, so there only the outputs' shape is checked: the run may
// report the failed steps, but it must still write everything, with a reason in each empty cell.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "bench/tradeoff/results.h"
#include "bench/tradeoff/rows.h"
#include "common/child_process.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;
const fs::path kBuild = DEPLOYLAB_BUILD_DIR;

// The output must sit inside the build directory: vmhost shares only that with its guest.
TempDir scratch() { return TempDir::create("tradeoff-test", kBuild).value(); }

Results load(const fs::path& out) {
  std::string text = read_file_or_empty(out / "results.json");
  EXPECT_FALSE(text.empty()) << "no results.json in " << out;
  auto results = results_from_json(nlohmann::json::parse(text.empty() ? "{}" : text));
  EXPECT_TRUE(results.ok()) << results.error().message();
  return results.ok() ? results.value() : Results{};
}

std::string head(const fs::path& file, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes(n, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  return bytes.substr(0, static_cast<std::size_t>(in.gcount()));
}

void skip_unless_root() {
  if (::geteuid() != 0) GTEST_SKIP() << "the container and VM rows need root";
}

TEST(TradeoffBench, QuickRunWritesEveryRowTheTableTheCsvAndThePlots) {
  skip_unless_root();
  TempDir dir = scratch();
  fs::path out = dir.path() / "bench";
  RunOptions options;
  options.timeout = std::chrono::minutes(10);
  options.merge_stderr = true;
  auto done = run({(kBuild / "bin/tradeoff-bench").string(), "--quick", "--rounds", "1", "--out", out.string()}, options);
  ASSERT_TRUE(done.ok()) << done.error().message();
  const bool chroot = ctr::testing::running_in_a_chroot();
  if (chroot) {
    EXPECT_LE(done.value().status.code, 1) << done.value().status.describe() << "\n" << done.value().out;
  } else {
    ASSERT_TRUE(done.value().status.success()) << done.value().status.describe() << "\n" << done.value().out;
  }

  Results r = load(out);
  EXPECT_TRUE(r.quick);
  EXPECT_FALSE(r.interrupted);
  EXPECT_FALSE(r.machine.cpu_model.empty());
  EXPECT_GT(r.machine.cores, 0);
  EXPECT_FALSE(r.machine.kernel.empty());
  EXPECT_FALSE(r.machine.virt_mode.empty());
  EXPECT_FALSE(r.machine.cgroup_mode.empty());
  for (const RowInfo& info : row_catalogue()) {
    int with_samples = 0;
    for (const Measurement& m : r.measurements) {
      if (m.row != info.row) continue;
      EXPECT_TRUE(!m.samples.empty() || !m.text.empty() || !m.missing.empty())
          << "an empty cell must say why: " << to_string(m.row) << "/" << m.metric << "/" << m.contender;
      with_samples += m.samples.empty() && m.text.empty() ? 0 : 1;
    }
    EXPECT_TRUE(chroot || with_samples > 0) << "row " << info.number << " (" << info.title << ") has no measured figure";
    for (const char* column : {"container", "vm"}) {
      bool seen = false;
      for (const Measurement& m : r.measurements) seen = seen || (m.row == info.row && to_string(m.column) == column);
      EXPECT_TRUE(seen || info.row == Row::crossing) << "row " << info.number << " has no " << column << " cell at all";
    }
  }

  std::string md = read_file_or_empty(out / "tradeoff.md");
  for (const RowInfo& info : row_catalogue())
    EXPECT_NE(md.find("| " + info.number + " | " + info.title + " |"), std::string::npos) << info.title << "\n" << md;
  EXPECT_TRUE(chroot || md.find("**not measured**") == std::string::npos) << md;

  std::istringstream csv(read_file_or_empty(out / "tradeoff.csv"));
  std::string line;
  std::size_t lines = 0;
  while (std::getline(csv, line)) ++lines;
  EXPECT_EQ(lines, r.measurements.size() + 1);

  int pngs = 0, svgs = 0;
  for (const auto& entry : fs::directory_iterator(out / "plots")) {
    if (entry.path().extension() == ".png") {
      ++pngs;
      EXPECT_EQ(head(entry.path(), 8), "\x89PNG\r\n\x1a\n") << entry.path();
    }
    if (entry.path().extension() == ".svg") {
      ++svgs;
      EXPECT_NE(head(entry.path(), 400).find("<svg"), std::string::npos) << entry.path();
    }
  }
  EXPECT_GE(pngs, 5);
  EXPECT_EQ(pngs, svgs);
}

// What a step could leave behind: mounts and cgroups (by path).
std::set<std::string> leftovers() {
  std::set<std::string> seen;
  std::istringstream mounts(read_file_or_empty("/proc/self/mounts"));
  for (std::string line; std::getline(mounts, line);) seen.insert("mount " + line);
  std::error_code ec;  // every cgroup directory of every hierarchy (v1 controllers and cgroup2)
  for (const auto& e : fs::recursive_directory_iterator("/sys/fs/cgroup", ec))
    if (e.is_directory(ec)) seen.insert("cgroup " + e.path().string());
  return seen;
}

TEST(TradeoffBench, CtrlCStopsCleanlyAndKeepsWhatWasMeasured) {
  skip_unless_root();
  TempDir dir = scratch();
  fs::path out = dir.path() / "bench";
  std::set<std::string> before = leftovers();
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  auto child = ChildProcess::spawn({(kBuild / "bin/tradeoff-bench").string(), "--quick", "--only",
                                    "containers,container-rows,isolation", "--out", out.string()}, options);
  ASSERT_TRUE(child.ok()) << child.error().message();
  // Wait until the second step (container-rows) has run a few seconds: mid-way through its rows.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(out / "logs/container-rows.log") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(fs::exists(out / "logs/container-rows.log")) << "container-rows never started";
  std::this_thread::sleep_for(std::chrono::seconds(4));
  ASSERT_EQ(::kill(child.value().pid(), SIGINT), 0);
  auto status = child.value().wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value().code, 130) << status.value().describe();

  Results r = load(out);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.steps.size(), 2u) << "the third step must not start after Ctrl-C";
  bool kept = false;
  for (const Measurement& m : r.measurements) kept = kept || (m.row == Row::startup && !m.samples.empty());
  EXPECT_TRUE(kept) << "the first step's start-up figures must survive the interrupt";
  EXPECT_TRUE(fs::exists(out / "tradeoff.md"));

  std::set<std::string> after = leftovers();
  for (const std::string& thing : after) EXPECT_TRUE(before.count(thing)) << "left behind: " << thing;
}

}  // namespace
}  // namespace deploylab::bench
