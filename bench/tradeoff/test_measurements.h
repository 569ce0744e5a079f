// bench/tradeoff/test_measurements.h: made-up Measurements for the tradeoff harness's unit tests,
// shaped like a run on this kit's CI machine (containers natively, VMs inside vmhost).
#pragma once

#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"

namespace deploylab::bench::testing {

inline Measurement make(Row row, const std::string& metric, Column column, const std::string& contender,
                        std::vector<double> samples, const std::string& unit = "ms",
                        const std::string& place = "native", Better better = Better::lower) {
  Measurement m;
  m.row = row;
  m.metric = metric;
  m.label = metric + " label";
  m.column = column;
  m.contender = contender;
  m.place = place;
  m.unit = unit;
  m.better = better;
  m.samples = std::move(samples);
  return m;
}

inline Measurement fact(const std::string& metric, Column column, const std::string& contender, const std::string& text,
                        const std::string& place = "native") {
  Measurement m = make(Row::isolation, metric, column, contender, {}, "", place, Better::none);
  m.text = text;
  return m;
}

}  // namespace deploylab::bench::testing
