// containers/runtime/exec_fifo.h: how `minictr create` leaves a container waiting and `minictr
// start` releases it, with a named pipe in the container's state directory (runc's exec fifo).
//
// `create` makes the fifo, and the container's init, once everything is set up, opens it for
// writing. Opening a fifo for writing blocks until someone opens it for reading, so the init
// sleeps there, its namespaces, mounts and cgroup all in place, until `start` opens the read end
// (possibly minutes later, from another process). The init then writes one byte and execs the
// container's program; `start` reads that byte, knowing the program is on its way, and removes
// the fifo. A fifo that exists means "created, not started yet", which `state` uses too.
//
// The init pivots into the container's root before it blocks, and in a user namespace it may not
// even be allowed into the state directory, so `create` opens the fifo with O_PATH before the
// clone (a handle that survives pivot_root without reading or writing anything; the init
// inherits it) and the init reopens it for writing through /proc/self/fd/N.
#pragma once

#include <chrono>
#include <filesystem>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::ctr {

class ExecFifo {
 public:
  // In `create`: the fifo at `path` (owner-only).
  static Result<void> make(const std::filesystem::path& path);

  // In `create`, before the clone: a handle on the fifo that the init inherits.
  static Result<UniqueFd> open_handle(const std::filesystem::path& path);

  // In the init, last step before exec: blocks until `start`, then signals it with one byte.
  static Result<void> wait_for_start(const UniqueFd& handle);

  // In `start`: opens the read end, waits up to `timeout` for the init's byte, removes the fifo.
  // An init that died before reaching its fifo makes this an error, not a hang.
  static Result<void> release(const std::filesystem::path& path, int init_pid, std::chrono::milliseconds timeout);
};

}  // namespace deploylab::ctr
