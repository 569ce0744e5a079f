// bench/containers/rows_options.cpp: the sizes of container-rows' rows (rows_options.h).
#include "bench/containers/rows_options.h"

#include <stdexcept>

namespace deploylab::bench {

RowSizes sizes_for(Speed speed, std::optional<int> rounds, std::optional<int> budget_mib) {
  RowSizes sizes;  // the full run's
  if (speed == Speed::quick) {
    sizes.startup_rounds = 5;
    sizes.memory_rounds = 3;
    sizes.cpu_rounds = 3;
    sizes.disk_rounds = 1;
    sizes.compute_millions = 20;
    sizes.io_mebibytes = 16;
    sizes.io_random_ops = 300;
    sizes.density_budget = std::int64_t{16} << 20;
    sizes.density_time_cap = std::chrono::seconds(5);
  }
  if (rounds) {
    if (*rounds < 1) throw std::invalid_argument("--rounds must be at least 1");
    sizes.startup_rounds = sizes.memory_rounds = sizes.cpu_rounds = sizes.disk_rounds = *rounds;
  }
  if (budget_mib) {
    if (*budget_mib < 8) throw std::invalid_argument("--density-budget must be at least 8 (MiB)");
    sizes.density_budget = std::int64_t{*budget_mib} << 20;
  }
  return sizes;
}

std::vector<std::size_t> round_order(std::size_t count, int round) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < count; ++i) order.push_back((static_cast<std::size_t>(round) + i) % count);
  return order;
}

}  // namespace deploylab::bench
