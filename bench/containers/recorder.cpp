// bench/containers/recorder.cpp: container-rows' cells and their file (recorder.h).
#include "bench/containers/recorder.h"

#include <iostream>
#include <stdexcept>

namespace deploylab::bench {

Measurement& Recorder::cell(Row row, const std::string& metric, const std::string& contender) {
  for (Measurement& m : cells_) {
    if (m.row == row && m.metric == metric && m.contender == contender) return m;
  }
  throw std::out_of_range("container-rows has no cell " + to_string(row) + "/" + metric + " for " + contender);
}

void Recorder::add(Row row, const std::string& metric, const std::string& contender, double sample) {
  cell(row, metric, contender).samples.push_back(sample);
}

void Recorder::fail(Row row, const std::string& contender, const std::string& why) {
  for (Measurement& m : cells_) {
    if (m.row != row || m.contender != contender) continue;
    if (m.samples.empty() && m.missing.empty()) m.missing = why;  // the first reason stays
    else m.text = "stopped early: " + why;
  }
}

void Recorder::finish(const std::string& why) {
  for (Measurement& m : cells_) {
    if (m.samples.empty() && m.missing.empty()) m.missing = why;
  }
}

Result<void> Recorder::flush() const { return write_measurements(path_, source_, cells_); }

void Recorder::save() const {
  auto written = flush();
  if (!written) std::cerr << "container-rows: could not write " << path_ << ": " << written.error().message() << "\n";
}

}  // namespace deploylab::bench
