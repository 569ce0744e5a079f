// bench/tradeoff/rows.h: the rows of the lecture's tradeoff table, what the lecture (or, where the
// notes say nothing, the usual wisdom) claims for each, and the verdict: does what was measured on
// this machine agree? Pure: judge() reads Measurements and writes a sentence with the numbers.
//
// The lecture's table (VMs | containers): full OS per VM | share host kernel; hardware based
// isolation | kernel based isolation; heavy: GBs of mem | lightweight: MBs of overhead; strong
// isolation boundary | weaker isolation (shared kernel attack surface); multi-tenant |
// single-tenant. And: VMCALL to exit guest mode is expensive (cache and TLB invalidations).
#pragma once

#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"

namespace deploylab::bench {

struct RowInfo {
  Row row;
  std::string number;  // "1", "2", "2b": the numbering
  std::string title;   // "Start-up"
  std::string claim;   // what the lecture says, VM side vs container side
};

// Every row, in the table's order.
const std::vector<RowInfo>& row_catalogue();
const RowInfo& row_info(Row row);

enum class VerdictKind { agrees, partly, disagrees, depends, not_measured };
std::string to_string(VerdictKind kind);  // "agrees", "partly agrees", ...

struct Verdict {
  VerdictKind kind = VerdictKind::not_measured;
  std::string measured;  // the numbers behind the verdict, in a sentence or two
};

// Compares the row's headline figures (the best of each column, ratios only within one place).
Verdict judge(Row row, const std::vector<Measurement>& ms);

// The median of a measurement's samples (NaN without samples).
double median_of(const Measurement& m);

// The measurement of `row`/`metric` for `contender` in `place`, if any has samples.
const Measurement* find_measurement(const std::vector<Measurement>& ms, Row row, const std::string& metric,
                                    const std::string& contender, const std::string& place);

// The host baseline for `m`: the same row and metric measured by the host in the same place.
const Measurement* host_baseline(const std::vector<Measurement>& ms, const Measurement& m);

// How much worse than the host m is, in the same place: contender over host for times, host over
// contender for rates (so above 1x is always worse). NaN without a baseline.
double vs_host(const std::vector<Measurement>& ms, const Measurement& m);

}  // namespace deploylab::bench
