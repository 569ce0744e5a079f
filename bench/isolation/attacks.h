// bench/isolation/attacks.h: the escape attempts isolation-rows makes from inside each runtime's
// container, the shell script that makes them, and how their output is read back. Pure: text in,
// text out; isolation_rows.cpp runs the script.
//
// One container per runtime runs one busybox shell script: it prints the kernel release and the
// boot id it sees, runs syscall-census --list, then each attack through ctr_attack
// (tests/containers/attack/ctr_attack.cpp: exit 0 = blocked, 1 = got through, 2 = could not tell),
// every step framed by marker lines so one run gives every fact:
//   @@ kernel 6.18.44-fc-v657
//   @@ boot_id 5b0c...
//   @@ begin census
//   blocked keyctl 250 EPERM ...
//   @@ end census 0
//   @@ begin mount
//   mount: blocked: EPERM (Operation not permitted)
//   @@ end mount 0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deploylab::bench::isolation {

// What the attacks aim at, prepared on the host: a file only the host has (made by the tool and
// removed after), a host process the tool owns (a sleep), a /proc file the spec masks.
struct AttackTargets {
  std::string host_file;
  int host_pid = 0;
  std::string masked_file;  // empty: this kernel has none of the masked files; that attack is left out
};

struct Attack {
  std::string name;               // "kill-host-pid": what the text shows
  std::vector<std::string> args;  // ctr_attack's arguments: {"kill", "4242"}
};

// The attacks in the order the table lists them.
std::vector<Attack> escape_attacks(const AttackTargets& targets);

// The script for `sh -c`: facts, census, attacks. Binaries are paths inside the container.
std::string probe_script(const std::string& census, const std::string& attacker, const std::vector<Attack>& attacks);

// One framed step of the script's output.
struct Step {
  std::string output;
  std::optional<int> exit_code;  // std::nullopt: the "end" line never came
};

struct ProbeOutput {
  std::string kernel;
  std::string boot_id;
  std::map<std::string, Step> steps;  // by name: "census", "mount", ...
};

ProbeOutput parse_probe_output(std::string_view text);

enum class Verdict { stopped, got_through, no_verdict };

struct AttackResult {
  std::string name;
  Verdict verdict = Verdict::no_verdict;
  std::string detail;  // ctr_attack's line, or why there is no verdict
};

// The verdict from ctr_attack's exit code (0 stopped, 1 got through, else none) and its line.
AttackResult judge(const std::string& name, const Step* step);

int stopped_count(const std::vector<AttackResult>& results);

// "stopped 7/8: chroot-escape, mount, ...; got through: read-masked-proc" (the parts that are
// empty are left out; "no verdict: x" when ctr_attack could not tell).
std::string escapes_text(const std::vector<AttackResult>& results);

// "'a b'" for sh: single quotes, with any single quote inside closed, escaped and reopened.
std::string shell_quote(std::string_view word);

}  // namespace deploylab::bench::isolation
