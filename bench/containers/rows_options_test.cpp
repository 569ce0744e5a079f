// bench/containers/rows_options_test.cpp: row sizes and the order of contenders (rows_options.h).
#include "bench/containers/rows_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace deploylab::bench {
namespace {

using ::testing::ElementsAre;

TEST(SizesFor, QuickIsSmallerThanFullInEveryRow) {
  RowSizes quick = sizes_for(Speed::quick, std::nullopt, std::nullopt);
  RowSizes full = sizes_for(Speed::full, std::nullopt, std::nullopt);
  EXPECT_LT(quick.startup_rounds, full.startup_rounds);
  EXPECT_LT(quick.compute_millions, full.compute_millions);
  EXPECT_LT(quick.io_mebibytes, full.io_mebibytes);
  EXPECT_LT(quick.density_budget, full.density_budget);
  EXPECT_EQ(full.density_budget, std::int64_t{128} << 20) << "256 MiB would hit the 1000 cap and take 3.5 min";
  EXPECT_EQ(quick.compute_millions, 20);
  EXPECT_EQ(quick.io_mebibytes, 16);
  EXPECT_EQ(quick.io_random_ops, 300);
}

TEST(SizesFor, RoundsSetEveryRowAndTheBudgetIsInMebibytes) {
  RowSizes sizes = sizes_for(Speed::quick, 7, 32);
  EXPECT_EQ(sizes.startup_rounds, 7);
  EXPECT_EQ(sizes.memory_rounds, 7);
  EXPECT_EQ(sizes.cpu_rounds, 7);
  EXPECT_EQ(sizes.disk_rounds, 7);
  EXPECT_EQ(sizes.density_budget, std::int64_t{32} << 20);
}

TEST(SizesFor, RefusesNoRoundsAndATinyBudget) {
  EXPECT_THROW(sizes_for(Speed::full, 0, std::nullopt), std::invalid_argument);
  EXPECT_THROW(sizes_for(Speed::full, std::nullopt, 4), std::invalid_argument);
}

TEST(RoundOrder, StartsOneLaterEachRound) {
  EXPECT_THAT(round_order(3, 0), ElementsAre(0, 1, 2));
  EXPECT_THAT(round_order(3, 1), ElementsAre(1, 2, 0));
  EXPECT_THAT(round_order(3, 5), ElementsAre(2, 0, 1));
  EXPECT_TRUE(round_order(0, 3).empty());
}

}  // namespace
}  // namespace deploylab::bench
