// bench/containers/first_output.h: the start-up row, launch to the workload's first output.
//
// A VM's start-up ends when its workload first says something on the console; the same measure
// for a container is `RUNTIME run` of a container whose process is `echo ready`, from just
// before fork to the first byte on the runtime's stdout (with the terminal off, all three
// runtimes hand their own stdout to the container's process, so that byte comes from echo). The
// host column is a fork+exec of the same busybox echo. After the first byte the command is
// waited for: it must print "ready" and exit 0, and leave no container behind.
//
// Rounds are interleaved (rows_options.h's round_order); one warm-up round comes first and is
// not counted (page cache, first exec of each runtime).
#pragma once

#include <chrono>
#include <vector>

#include "bench/containers/private_mount_ns.h"
#include "bench/containers/recorder.h"
#include "bench/containers/rows_workspace.h"
#include "common/result.h"

namespace deploylab::bench {

// Runs argv with its stdout on a pipe: the milliseconds from just before fork to the first byte
// on it. An error when it printed nothing, printed something other than "ready", did not exit 0
// or outlived `timeout`. `mount_ns`: run inside it (crun on hybrid cgroups).
Result<double> time_to_first_output(const std::vector<std::string>& argv, const PrivateMountNamespace* mount_ns,
                                    std::chrono::milliseconds timeout);

// The whole row: every runtime of the workspace and the host, interleaved, into `recorder`.
void measure_startup_row(Workspace& ws, Recorder& recorder);

}  // namespace deploylab::bench
