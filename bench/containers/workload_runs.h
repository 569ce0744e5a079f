// bench/containers/workload_runs.h: the cpu and disk rows, bench/workloads' static programs run
// on the host and inside each runtime's container (bench/workloads/README.md).
//
//   cpu    `compute-kernel --millions N`, bind-mounted read-only into the container at
//          /compute-kernel and started with `RUNTIME run`. A sample is the program's own timing
//          of its hash chain (not the container's start-up, which is the start-up row's). Every
//          run must print the same checksum as the first one: the same work was done everywhere.
//   disk   `io-probe --dir D --mebibytes M --random-ops K`: on the host in a directory under
//          /var/tmp; in a container in /bench-io of its root file system, an overlay mount whose
//          upper and work directories are on the same /var/tmp file system (overlay_bundle.h),
//          fresh for every run. Four metrics: sequential write and read (MB/s), random 4 KiB
//          reads and writes (IOPS). Where the overlay refused O_DIRECT (direct=no), the cell's
//          text says the reads may have come from the page cache.
//
// Contenders take turns within a round (rows_options.h's round_order); a contender that fails
// sits out the rest of the row with the reason in its cells.
#pragma once

#include "bench/containers/recorder.h"
#include "bench/containers/rows_workspace.h"

namespace deploylab::bench {

void measure_cpu_row(Workspace& ws, Recorder& recorder);
void measure_disk_row(Workspace& ws, Recorder& recorder);

}  // namespace deploylab::bench
