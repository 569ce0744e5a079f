// common/text_table_test.cpp: exact terminal and Markdown renderings of common/text_table.h.
#include "common/text_table.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace deploylab {
namespace {

TextTable bench_table() {
  TextTable t({"what", "median", "p10", "p90"});
  for (std::size_t c = 1; c < 4; ++c) t.set_alignment(c, Align::right);
  t.add_row({"pio exit", "1.20 us", "1.10 us", "1.50 us"});
  t.add_row({"hlt", "850 ns", "800 ns", "12.0 ms"});
  return t;
}

TEST(TextTable, RendersAlignedColumnsWithAnUnderline) {
  EXPECT_EQ(bench_table().render(),
            "what       median      p10      p90\n"
            "--------  -------  -------  -------\n"
            "pio exit  1.20 us  1.10 us  1.50 us\n"
            "hlt        850 ns   800 ns  12.0 ms\n");
}

TEST(TextTable, LeftAlignedLastColumnHasNoTrailingSpaces) {
  TextTable t({"name", "note"});
  t.add_row({"a", "short"});
  t.add_row({"b", "much longer"});
  EXPECT_EQ(t.render(),
            "name  note\n"
            "----  -----------\n"
            "a     short\n"
            "b     much longer\n");
}

TEST(TextTable, WidthCountsCharactersNotBytes) {
  TextTable t({"t"});
  t.set_alignment(0, Align::right);
  t.add_row({"5 µs"});
  t.add_row({"10 µs"});
  EXPECT_EQ(t.render(), "    t\n-----\n 5 µs\n10 µs\n");
}

TEST(TextTable, RendersMarkdownWithAlignmentColons) {
  EXPECT_EQ(bench_table().render_markdown(),
            "| what     |  median |     p10 |     p90 |\n"
            "|:---------|--------:|--------:|--------:|\n"
            "| pio exit | 1.20 us | 1.10 us | 1.50 us |\n"
            "| hlt      |  850 ns |  800 ns | 12.0 ms |\n");
}

TEST(TextTable, MarkdownHasThreeDashesMinimumAndEscapesPipes) {
  TextTable t({"a", "b"});
  t.set_alignment(1, Align::right);
  t.add_row({"x|y", "1"});
  EXPECT_EQ(t.render_markdown(),
            "| a    |   b |\n"
            "|:-----|----:|\n"
            "| x\\|y |   1 |\n");
}

TEST(TextTable, HeaderOnlyTableRendersHeaderAndUnderline) {
  TextTable t({"x", "yy"});
  EXPECT_EQ(t.render(), "x  yy\n-  --\n");
}

TEST(TextTable, WrongNumberOfCellsIsAnError) {
  TextTable t({"a", "b", "c"});
  try {
    t.add_row({"1", "2"});
    FAIL() << "add_row with 2 cells in a 3-column table should throw std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "TextTable::add_row: expected 3 cells (one per column), got 2");
  }
  EXPECT_THROW(t.add_row({"1", "2", "3", "4"}), std::invalid_argument);
  EXPECT_THROW(t.set_alignment(3, Align::right), std::invalid_argument);
  EXPECT_THROW(TextTable({}), std::invalid_argument);
}

}  // namespace
}  // namespace deploylab
