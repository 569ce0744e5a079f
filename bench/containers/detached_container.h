// bench/containers/detached_container.h: containers that keep running after their runtime's
// commands have exited (`create` + `start`, as a container manager runs them), for the memory
// and density rows, and deleting them again, many at a time.
//
// After `start` no runtime command is left: runc and crun leave no process behind for the
// container (there is no shim: that is containerd's), and neither does minictr; the container's
// process is reparented to us (the benchmark is a child subreaper, so it can reap it).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bench/containers/round.h"
#include "common/result.h"

namespace deploylab::bench {

// `create --bundle B --pid-file P ID`, then `start ID`: returns the pid of the container's
// process. On failure the container is force-deleted and the error says which step failed, how
// it ended and the runtime's last words.
Result<pid_t> start_detached(const RoundSetup& setup, const Contestant& who, const std::string& id);

// `delete --force` of each of `ids` (which kills what still runs), `parallel` at a time: deleting
// hundreds of containers one by one would take longer than starting them. Failures are ignored
// (the workspace sweeps the state directories again at the end).
void delete_all(const Contestant& who, const std::vector<std::string>& ids, int parallel);

}  // namespace deploylab::bench
