// bench/isolation/syscall_census.cpp: `syscall-census`, which counts the x86_64 system calls the
// seccomp filters in force let through from where it runs (the host, a container, a VM guest),
// without executing a single one of them. Row 7 of the tradeoff table (bench/isolation/README.md).
//
//   syscall-census [--list]
//   deploylab-bench: syscalls reachable=324 blocked=53 total=377     (stdout, always this line last)
//   --list first prints one line per blocked call:  blocked keyctl 250 EPERM
//   exit 0; 1 if some probe got no answer; 2 if seccomp user notification cannot be used here.
//
// THE TRICK. A process may hold several seccomp filters; each system call runs through all of
// them and the most restrictive answer wins, in this order (include/uapi/linux/seccomp.h orders
// the action values so that the kernel takes the minimum; seccomp(2) lists the same precedence):
//     KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > LOG > ALLOW
// So to ask "would the filters in force allow call N?" without making call N for real, a child
// adds ONE more filter that answers SECCOMP_RET_USER_NOTIF for N alone and ALLOW for the rest,
// created with SECCOMP_FILTER_FLAG_NEW_LISTENER, which hands back a descriptor on which the kernel
// delivers a notification instead of running the call (seccomp_unotify(2)). Then the child makes
// call N with all-zero arguments:
//   - a notification arrives: every earlier filter said ALLOW, LOG or TRACE (USER_NOTIF beat
//     them): N is REACHABLE. We answer the notification with an error and kill the child, so
//     the call never runs;
//   - the call fails and no notification comes: an earlier filter said ERRNO (it beat ours): N
//     is BLOCKED, with that errno (EPERM from a deny list, ENOSYS for clone3, ...);
//   - the child dies of SIGSYS, or our SIGSYS handler runs: KILL, or TRAP: BLOCKED.
// Every probe is a fresh child (a process keeps its filters for life, and the kernel allows one
// listener per process), made with clone(CLONE_FILES) so its listener descriptor is also ours
// (seccomp_probe.cpp). A filter needs no_new_privs or CAP_SYS_ADMIN: the child sets no_new_privs,
// which is harmless to anyone else. About 360 probes take 50-100 ms.
//
// What counts: the x86_64 calls this kernel release has (syscall_table.h): holes in the number
// space, calls x86_64 never had or dropped before 5.0, and calls newer than the kernel are left
// out, because they are ENOSYS whatever the filter says; the census cannot ask the kernel which
// numbers it has without calling them. So are uretprobe and uprobe, which seccomp does not even
// see on recent kernels (a first version of this program "found" them blocked: they had run, and
// failed, since they only work when the kernel's uprobe trampoline makes them).
//
// Arguments matter to some filters (our default profile refuses clone only with namespace flags);
// with all-zero arguments such a call counts as reachable. Reachable means the FILTER lets the
// call through, nothing more: capabilities, namespaces and permissions may still refuse it inside
// the kernel.
//
// Static and free of deploylab libraries, so it runs in a busybox container and in a VM guest.
#include <sys/utsname.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "bench/isolation/census_report.h"
#include "bench/isolation/seccomp_probe.h"
#include "bench/isolation/syscall_table.h"

namespace deploylab::bench::isolation {
namespace {

constexpr std::chrono::milliseconds kProbeTimeout{1000};
constexpr int kUsage = 2;
constexpr int kCannotCount = 2;

// The running kernel's release; a newest-possible release if uname cannot be read (every call in
// the table is then probed).
Release running_release() {
  utsname names{};
  if (::uname(&names) == 0) {
    if (auto release = parse_release(names.release)) return *release;
    std::fprintf(stderr, "syscall-census: no release in uname \"%s\"; probing every call\n", names.release);
  }
  return Release{999, 0};
}

int cannot_count(const ProbeSetupError& e) {
  std::fprintf(stderr, "syscall-census: cannot count here: %s failed: %s (%s): %s\n", e.step.c_str(),
               e.error != 0 ? strerrorname_np(e.error) : "-", e.error != 0 ? std::strerror(e.error) : "no errno",
               e.meaning.c_str());
  return kCannotCount;
}

void print_report(const std::vector<ProbeResult>& results, bool list) {
  for (const ProbeResult& r : results) {
    if (r.outcome == Outcome::no_answer) {
      std::fprintf(stderr, "syscall-census: no answer for %s (%d) within %lld ms\n",
                   std::string(syscall_name(r.number).value_or("?")).c_str(), r.number,
                   static_cast<long long>(kProbeTimeout.count()));
    }
    if (list && r.outcome != Outcome::reachable && r.outcome != Outcome::no_answer) {
      std::printf("%s\n", blocked_line(r).c_str());
    }
  }
  std::printf("%s\n", summary_line(count_outcomes(results)).c_str());
}

int run(bool list) {
  auto prober = SeccompProber::create();
  if (auto* e = std::get_if<ProbeSetupError>(&prober)) return cannot_count(*e);
  SeccompProber& p = std::get<SeccompProber>(prober);
  Release release = running_release();
  std::vector<ProbeResult> results;
  for (const SyscallEntry& entry : x86_64_syscalls()) {
    if (!counted_on(entry, release)) continue;
    auto outcome = p.probe(entry.number, kProbeTimeout);
    if (auto* e = std::get_if<ProbeSetupError>(&outcome)) return cannot_count(*e);
    results.push_back(std::get<ProbeResult>(outcome));
  }
  print_report(results, list);
  CensusCounts counts = count_outcomes(results);
  return counts.reachable + counts.blocked == counts.total ? 0 : 1;
}

}  // namespace
}  // namespace deploylab::bench::isolation

int main(int argc, char** argv) {
  bool list = argc == 2 && std::strcmp(argv[1], "--list") == 0;
  if (argc > 2 || (argc == 2 && !list)) {
    std::fprintf(stderr,
                 "usage: syscall-census [--list]\n"
                 "  counts the x86_64 system calls the seccomp filters in force let through, without making them\n");
    return deploylab::bench::isolation::kUsage;
  }
  return deploylab::bench::isolation::run(list);
}
