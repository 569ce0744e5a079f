// bench/tradeoff/adapters.h: turns the JSON of the benchmarks that came before the tradeoff table
// (container-bench, net-bench) into Measurements, so they need no second output format. Pure.
//
//   container-bench  -> startup/run_to_exit (each runtime's `run` of /bin/true, and fork+exec as
//                       the host), memory/smallest_limit (each runtime's smallest memory limit)
//   net-bench        -> network/rtt, rtt_spinning and throughput: loopback as the host, host ->
//                       container, container -> container and a published port as minictr
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/tradeoff/measurement.h"
#include "common/result.h"

namespace deploylab::bench {

Result<std::vector<Measurement>> from_container_bench(const nlohmann::json& j);
Result<std::vector<Measurement>> from_net_bench(const nlohmann::json& j);

// Empty cells for every row of `rows` for a contender that could not run at all (a step that
// failed or was skipped), each with `reason`, so the table says why instead of showing nothing.
std::vector<Measurement> missing_cells(const std::vector<Row>& rows, Column column, const std::string& contender,
                                       const std::string& place, const std::string& reason);

}  // namespace deploylab::bench
