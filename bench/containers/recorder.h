// bench/containers/recorder.h: container-rows' cells as they fill up, and the file they go to.
//
// The Recorder starts with every cell of the run empty (row_cells.h); the rows add samples and
// failure reasons, and flush() writes the whole set after every contender or round
// (write_measurements, atomic), so a run cut short by Ctrl-C or a crash keeps what it measured.
// At the end, finish() gives every cell still empty the reason it stayed empty.
#pragma once

#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"
#include "common/result.h"

namespace deploylab::bench {

class Recorder {
 public:
  Recorder(std::string path, std::string source, std::vector<Measurement> cells)
      : path_(std::move(path)), source_(std::move(source)), cells_(std::move(cells)) {}

  // The cell of `contender` for `row`/`metric`; throws std::out_of_range when the run has none.
  Measurement& cell(Row row, const std::string& metric, const std::string& contender);

  void add(Row row, const std::string& metric, const std::string& contender, double sample);

  // `contender` could not be measured (further) in `row`: every metric of the row that has no
  // samples or reason yet gets `why` as its missing reason (the first reason stays: "crun is not
  // installed" is more useful than a later row's own trouble); one that has samples keeps them
  // and notes "stopped early: WHY" in its text.
  void fail(Row row, const std::string& contender, const std::string& why);

  // Every cell that is still empty and has no reason gets `why` ("interrupted before ...").
  void finish(const std::string& why);

  // Writes every cell to the file. A failure is returned (and the cells stay as they are).
  Result<void> flush() const;
  // flush(), and a warning on stderr should it fail (the run goes on: the numbers are still
  // printed at the end).
  void save() const;

  const std::vector<Measurement>& cells() const { return cells_; }

 private:
  std::string path_, source_;
  std::vector<Measurement> cells_;
};

}  // namespace deploylab::bench
