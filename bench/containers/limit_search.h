// bench/containers/limit_search.h: the smallest memory limit a runtime can start a container
// under, found by bisection (bench/containers/README.md). Pure: the search takes the attempt as a
// function, so tests feed it a fake runtime; container_bench.cpp feeds it `RUNTIME run` with
// linux.resources.memory.limit set.
//
// The search assumes that a container which starts under a limit also starts under every larger
// one. It tries the top of the range first (a failure there is not about memory: the runtime
// cannot run this bundle at all, and the search stops), then the bottom (a success there means
// "this small or smaller"), then halves the gap between the largest failing and the smallest
// passing limit until they are one step apart: about log2((high - low) / step) attempts, 10 for
// 256 KiB..64 MiB in 64 KiB steps.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/child_process.h"

namespace deploylab::bench {

// How one attempt ended. A failure counts as a memory failure only when its signs say so (the
// OOM killer's SIGKILL, an error that names memory); anything else is reported as it is.
enum class Verdict { started, memory_failure, other_failure };

struct Attempt {
  Verdict verdict = Verdict::started;
  std::string detail;  // for a failure: how it ended and the last line the runtime printed
};

// Classifies `RUNTIME run` of /bin/true: exit 0 is `started`; a failure is a memory failure when
// the kernel OOM-killed a process of the container's cgroup (`oom_kill`, from find_oom_kill), when
// the runtime was SIGKILLed or exited 137 (reporting its child's SIGKILL), or when its output
// mentions memory, OOM or ENOMEM; anything else is another failure. `output` is the runtime's
// stdout and stderr. (runc whose init the OOM killer took says only "container process is
// already dead": without the kernel's word that would count as another failure.)
Attempt classify_run(const ExitStatus& status, const std::string& output,
                     const std::optional<std::string>& oom_kill = std::nullopt);

// The OOM kill in the cgroup of container `id` among kernel log lines (/dev/kmsg records or dmesg
// lines), as "runc:[2:INIT] (pid 1289)"; std::nullopt when there is none. The kernel names the
// cgroup in `oom_memcg=`, and every runtime names the container's cgroup after its id.
std::optional<std::string> find_oom_kill(const std::string& kernel_log, const std::string& id);

struct LimitTrial {
  std::int64_t limit;
  Attempt attempt;
};

struct SearchRange {
  std::int64_t low = 256 << 10;
  std::int64_t high = 64 << 20;
  std::int64_t step = 64 << 10;  // the resolution; high - low must be a multiple of it
};

struct LimitSearch {
  enum class Outcome {
    found,             // `smallest` passed, `smallest - step` failed (`below`)
    passes_at_bottom,  // even range.low passed: the floor is range.low or lower
    fails_at_top,      // range.high failed (`below`): the runtime cannot run the bundle here
  };
  Outcome outcome = Outcome::found;
  std::int64_t smallest = 0;       // the smallest limit that passed (not for fails_at_top)
  std::optional<LimitTrial> below; // the largest limit that failed, with how it failed
  std::vector<LimitTrial> trials;  // every attempt, in the order made
};

// Searches `range` for the smallest limit at which `attempt` does not fail. Throws
// std::invalid_argument for an empty range or a step that does not divide it.
LimitSearch search_smallest_limit(const SearchRange& range, const std::function<Attempt(std::int64_t)>& attempt);

// 1048576 -> "1 MiB", 327680 -> "320 KiB", 1572864 -> "1.50 MiB", 4000 -> "4000 B".
std::string format_bytes(std::int64_t bytes);

}  // namespace deploylab::bench
