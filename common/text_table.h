// common/text_table.h: a small aligned text table for terminal reports and Markdown.
//
// Benchmark reports (`minivmm bench-exits`, `make bench`) print one row per measurement:
//
//   TextTable t({"what", "median", "p10", "p90"});
//   for (std::size_t c = 1; c < 4; ++c) t.set_alignment(c, Align::right);
//   t.add_row({"pio exit", "1.20 us", "1.10 us", "1.50 us"});
//   std::cout << t.render();
//
//   what       median      p10      p90
//   --------  -------  -------  -------
//   pio exit  1.20 us  1.10 us  1.50 us
//
// render_markdown() gives the same table as a GitHub Markdown table for slides and READMEs.
// Widths count UTF-8 code points, so "µs" is two columns wide, not three bytes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace deploylab {

enum class Align { left, right };

class TextTable {
 public:
  // One header cell per column; every column starts left-aligned.
  explicit TextTable(std::vector<std::string> header);

  // Aligns column `column` (0-based), header included. Numbers read best right-aligned.
  // Throws std::invalid_argument for a column that does not exist.
  void set_alignment(std::size_t column, Align align);

  // Appends a row. Throws std::invalid_argument unless it has exactly one cell per column: a
  // short or long row is a bug in the caller, not a condition to recover from.
  void add_row(std::vector<std::string> cells);

  // Columns padded to their widest cell and separated by two spaces, a line of '-' under the
  // header, "\n" after every line, no trailing spaces.
  std::string render() const;

  // A GitHub table: "| a | b |" rows, a "|:---|---:|" alignment line under the header, cells
  // padded so the source lines up too; '|' inside a cell is escaped as "\|".
  std::string render_markdown() const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> alignment_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace deploylab
