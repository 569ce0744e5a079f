// bench/containers/row_cells_test.cpp: the cells container-rows fills and their labels
// (row_cells.h).
#include "bench/containers/row_cells.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

CellContext quick() { return {sizes_for(Speed::quick, std::nullopt, std::nullopt)}; }

std::size_t count(const std::vector<Measurement>& cells, Row row, const std::string& contender) {
  return static_cast<std::size_t>(std::count_if(cells.begin(), cells.end(), [&](const Measurement& m) {
    return m.row == row && m.contender == contender;
  }));
}

TEST(AllCells, HasAHostCellOnlyWhereTheHostRunsTheWorkload) {
  auto cells = all_cells({"minictr", "crun", "runc"}, quick());
  EXPECT_EQ(cells.size(), 4u + 6u + 3u + 4u + 16u) << "startup 4, memory 2x3, density 3, cpu 4, disk 4x4";
  EXPECT_EQ(count(cells, Row::startup, kHost), 1u);
  EXPECT_EQ(count(cells, Row::memory, kHost), 0u);
  EXPECT_EQ(count(cells, Row::density, kHost), 0u);
  EXPECT_EQ(count(cells, Row::disk, kHost), 4u);
  EXPECT_EQ(count(cells, Row::disk, "runc"), 4u);
  for (const Measurement& m : cells) {
    EXPECT_TRUE(m.samples.empty());
    EXPECT_FALSE(m.label.empty()) << m.metric;
    EXPECT_EQ(m.column, m.contender == kHost ? Column::host : Column::container) << m.contender;
  }
}

TEST(MakeCell, CarriesUnitsDirectionsAndSizes) {
  Measurement density = make_cell(Row::density, "density", "crun", quick());
  EXPECT_EQ(density.unit, "count");
  EXPECT_EQ(density.better, Better::higher);
  EXPECT_THAT(density.label, HasSubstr("16 MiB"));
  Measurement cpu = make_cell(Row::cpu, "compute", kHost, quick());
  EXPECT_EQ(cpu.unit, "ms");
  EXPECT_EQ(cpu.better, Better::lower);
  EXPECT_THAT(cpu.label, HasSubstr("20 M"));
  Measurement iops = make_cell(Row::disk, "rand_write", "minictr", quick());
  EXPECT_EQ(iops.unit, "IOPS");
  EXPECT_EQ(iops.better, Better::higher);
  EXPECT_EQ(make_cell(Row::disk, "seq_read", "runc", quick()).unit, "MB/s");
}

TEST(MakeCell, NamesTheCgroupFilesItReads) {
  CellContext v2 = quick();
  v2.memory_source = CellContext::kV2MemorySource;
  EXPECT_THAT(make_cell(Row::memory, "per_instance", "crun", v2).label, HasSubstr("anon + file + kernel"));
  EXPECT_THAT(make_cell(Row::memory, "per_instance", "crun", quick()).label, HasSubstr("memory.kmem.usage_in_bytes"));
}

TEST(MakeCell, RefusesARowItDoesNotMeasure) {
  EXPECT_THROW(make_cell(Row::network, "rtt", "crun", quick()), std::invalid_argument);
}

}  // namespace
}  // namespace deploylab::bench
