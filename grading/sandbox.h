// grading/sandbox.h: the box each graded test runs in, so one student's test cannot hurt the next
// test, the grader or the machine.
//
// sandbox_hook() returns a SpawnOptions::before_exec hook (common/child_process.h). The grader
// forks a child for each test (the "keeper", leader of its own process group); the hook turns it
// into this:
//
//   grader ── keeper (grader's PID namespace; what the grader waits for and kills)
//               │  rlimits: no core dumps, files up to 1 GiB
//               │  new mount namespace, / made rprivate (mounts a test makes vanish with it)
//               │  new network namespace with only `lo`, up (sandbox: {network: none})
//               └─ init (PID 1 of a new PID namespace; /proc remounted to match)
//                    └─ the test binary (PID 2), exec'd by ChildProcess as usual
//
// Why three processes: a PID namespace only takes effect for the children of the process that
// calls unshare(CLONE_NEWPID), and before_exec runs after the grader's fork, so the keeper must
// fork again. Why not let the test be PID 1: the kernel protects a namespace's init from signals
// it has no handler for, even ones it sends itself, so `raise(SIGSEGV)` or abort() in a test
// would be silently ignored; PID 1 also inherits every orphan. So init is a tiny reaper that
// waits for the test, passes its wait status to the keeper through a pipe and exits; its exit
// makes the kernel SIGKILL everything left in the namespace: a daemon the test started with
// setsid() dies with it. The keeper then ends the same way the test did (same exit code, or the
// same signal), so the grader sees the test's own status. A timeout kills the keeper's process
// group, which holds init and the test; PR_SET_PDEATHSIG covers the keeper dying any other way.
//
// Without a PID namespace (not root), the keeper instead becomes a child subreaper
// (PR_SET_CHILD_SUBREAPER), forks the test, and kills whatever the test left behind once it ends.
//
// Anything the machine does not allow (not root, nested containers) is skipped, and the hook
// writes one line per skipped step to the test's stderr, starting with kSandboxNotePrefix; the
// runner moves those lines to the top of the test's output. A missing namespace never fails a test.
// After fork only syscalls run (no allocation, no locks): the hook's state is prepared before.
#pragma once

#include <functional>
#include <string_view>

#include "common/result.h"
#include "grading/lab_spec.h"

namespace deploylab::grading {

struct SandboxPolicy {
  Network network = Network::none;  // none: an empty network namespace; host: the host's network
};

// The start of each line the sandbox writes about a step it had to skip.
inline constexpr std::string_view kSandboxNotePrefix = "grade sandbox: ";

// A before_exec hook that puts the child into the sandbox described above. Call it in the process
// that will spawn the test: it remembers that process as the parent the sandbox dies with.
std::function<Result<void>()> sandbox_hook(SandboxPolicy policy);

}  // namespace deploylab::grading
