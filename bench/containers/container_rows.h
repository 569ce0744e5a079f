// bench/containers/container_rows.h: `container-rows` from start to finish: the host and
// container columns of the tradeoff table's start-up, memory, density, cpu and disk rows, measured
// natively and written as bench/tradeoff/measurement.h's records (bench/containers/README.md).
#pragma once

#include "bench/containers/rows_options.h"

namespace deploylab::bench {

// Runs every row (as root), writing options.json after every round or contender. Returns the
// exit code: 0, 1 when it could not set up at all (the cells then say why), or 130 after
// SIGINT/SIGTERM (everything cleaned up, what was measured written). Progress goes to stderr.
int run_container_rows(const RowsOptions& options);

// Not root: writes every cell with the reason and returns 1.
int refuse_without_root(const RowsOptions& options);

}  // namespace deploylab::bench
