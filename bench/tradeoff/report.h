// bench/tradeoff/report.h: the tradeoff table as text. render_markdown() writes tradeoff.md: the
// lecture's claims next to the verdicts, the numbers (one line per row, measure and place; one
// column per contender), the spread of every figure, why a cell is empty, and the steps that ran.
// render_csv() writes tradeoff.csv, one line per measurement. Pure: both read a Results only.
#pragma once

#include <string>
#include <vector>

#include "bench/tradeoff/results.h"

namespace deploylab::bench {

// The contenders in the table's column order (host, our runtime, its references, our VMM, its
// references), keeping only those that appear in `ms`; unknown names go last.
std::vector<std::string> contender_columns(const std::vector<Measurement>& ms);

// One line of "the numbers": a measure of a row in one place.
struct TableLine {
  Row row;
  std::string metric, label, place, unit;
};
// Every (row, metric, place) that appears, in row order, then in order of first appearance.
std::vector<TableLine> table_lines(const std::vector<Measurement>& ms);

std::string render_markdown(const Results& results, const std::vector<std::string>& plot_files);
std::string render_csv(const Results& results);

// The short table printed at the end of `make bench` and `make demo`: the claims and verdicts.
std::string render_console_summary(const Results& results);

}  // namespace deploylab::bench
