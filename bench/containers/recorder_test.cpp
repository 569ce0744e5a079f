// bench/containers/recorder_test.cpp: cells filling up, failing, and reaching the file
// (recorder.h).
#include "bench/containers/recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bench/containers/row_cells.h"
#include "common/temp_dir.h"

namespace deploylab::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Recorder recorder_at(const std::string& path) {
  CellContext context{sizes_for(Speed::quick, std::nullopt, std::nullopt)};
  return Recorder(path, "container-rows", all_cells({"minictr", "crun"}, context));
}

TEST(Recorder, AddsSamplesToTheRightCell) {
  Recorder r = recorder_at("/nonexistent/out.json");
  r.add(Row::cpu, "compute", "crun", 12.5);
  r.add(Row::cpu, "compute", "crun", 13.0);
  EXPECT_THAT(r.cell(Row::cpu, "compute", "crun").samples, ElementsAre(12.5, 13.0));
  EXPECT_TRUE(r.cell(Row::cpu, "compute", kHost).samples.empty());
  EXPECT_THROW(r.cell(Row::cpu, "compute", "runc"), std::out_of_range) << "runc was not in this run";
}

TEST(Recorder, FailKeepsSamplesAndExplainsEmptyCells) {
  Recorder r = recorder_at("/nonexistent/out.json");
  r.add(Row::disk, "seq_write", "minictr", 900);
  r.fail(Row::disk, "minictr", "io-probe exited with code 2");
  EXPECT_EQ(r.cell(Row::disk, "seq_write", "minictr").missing, "");
  EXPECT_THAT(r.cell(Row::disk, "seq_write", "minictr").text, HasSubstr("stopped early: io-probe"));
  EXPECT_EQ(r.cell(Row::disk, "seq_read", "minictr").missing, "io-probe exited with code 2");
  EXPECT_EQ(r.cell(Row::disk, "seq_read", "crun").missing, "") << "another contender is untouched";
  r.fail(Row::disk, "minictr", "io-probe is not built");
  EXPECT_EQ(r.cell(Row::disk, "seq_read", "minictr").missing, "io-probe exited with code 2") << "the first reason stays";
}

TEST(Recorder, FinishLeavesNoCellWithoutSamplesOrReason) {
  Recorder r = recorder_at("/nonexistent/out.json");
  r.fail(Row::startup, "crun", "crun is not installed: apt install crun");
  r.add(Row::startup, "first_output", kHost, 1.2);
  r.finish("interrupted");
  for (const Measurement& m : r.cells()) EXPECT_TRUE(!m.samples.empty() || !m.missing.empty()) << m.metric << " " << m.contender;
  EXPECT_EQ(r.cell(Row::startup, "first_output", "crun").missing, "crun is not installed: apt install crun");
  EXPECT_EQ(r.cell(Row::memory, "per_instance", "minictr").missing, "interrupted");
}

TEST(Recorder, FlushWritesTheCommonRecord) {
  TempDir dir = TempDir::create("deploylab-test-recorder-").value();
  std::string path = (dir / "rows.json").string();
  Recorder r = recorder_at(path);
  r.add(Row::density, "density", "crun", 94);
  ASSERT_TRUE(r.flush().ok());
  auto back = read_measurements(path);
  ASSERT_TRUE(back.ok()) << back.error().message();
  ASSERT_EQ(back.value().size(), r.cells().size());
  bool found = false;
  for (const Measurement& m : back.value()) found = found || (m.row == Row::density && m.contender == "crun" && m.samples == std::vector<double>{94});
  EXPECT_TRUE(found) << "the density sample of crun should be in " << path;
}

TEST(Recorder, FlushToAMissingDirectoryIsAnError) {
  EXPECT_FALSE(recorder_at("/nonexistent-dir/rows.json").flush().ok());
}

}  // namespace
}  // namespace deploylab::bench
