// bench/isolation/attacks.cpp: the escape attempts, their script and their verdicts (attacks.h).
#include "bench/isolation/attacks.h"

#include <sstream>

namespace deploylab::bench::isolation {
namespace {

constexpr std::string_view kMarker = "@@ ";

// The first line of `text` that is not empty (ctr_attack says what happened in one line).
std::string first_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) return line;
  }
  return {};
}

std::optional<int> parse_code(const std::string& word) {
  try {
    std::size_t used = 0;
    int code = std::stoi(word, &used);
    if (used == word.size()) return code;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Applies one marker line ("kernel X", "begin NAME", "end NAME CODE") to `out`; `current` is the
// step whose output the next plain lines belong to.
void apply_marker(std::string_view marker, ProbeOutput& out, Step*& current) {
  std::istringstream words{std::string(marker)};
  std::string verb, name, code;
  words >> verb >> name;
  if (verb == "kernel") out.kernel = name;
  if (verb == "boot_id") out.boot_id = name;
  if (verb == "begin") current = &out.steps[name];
  if (verb == "end" && (words >> code)) {
    out.steps[name].exit_code = parse_code(code);
    current = nullptr;
  }
}

std::string join_names(const std::vector<AttackResult>& results, Verdict verdict) {
  std::string names;
  for (const AttackResult& r : results) {
    if (r.verdict == verdict) names += (names.empty() ? "" : ", ") + r.name;
  }
  return names;
}

}  // namespace

std::vector<Attack> escape_attacks(const AttackTargets& t) {
  std::vector<Attack> attacks = {
      {"chroot-escape", {"chroot-escape", t.host_file}},
      {"mount", {"mount"}},
      {"keyctl", {"keyctl"}},
      {"unshare-user", {"unshare-user"}},
      {"init-module", {"init-module"}},
      {"kill-host-pid", {"kill", std::to_string(t.host_pid)}},
      {"open-host-file", {"open-write", t.host_file}},
  };
  if (!t.masked_file.empty()) attacks.push_back({"read-masked-proc", {"read", t.masked_file}});
  return attacks;
}

std::string shell_quote(std::string_view word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string probe_script(const std::string& census, const std::string& attacker, const std::vector<Attack>& attacks) {
  std::string s;
  s += "echo \"@@ kernel $(uname -r)\"\n";
  s += "echo \"@@ boot_id $(cat /proc/sys/kernel/random/boot_id)\"\n";
  s += "echo '@@ begin census'; " + shell_quote(census) + " --list 2>&1; echo \"@@ end census $?\"\n";
  for (const Attack& a : attacks) {
    std::string command = shell_quote(attacker);
    for (const std::string& arg : a.args) command += " " + shell_quote(arg);
    s += "echo '@@ begin " + a.name + "'; " + command + " 2>&1; echo \"@@ end " + a.name + " $?\"\n";
  }
  return s;
}

ProbeOutput parse_probe_output(std::string_view text) {
  ProbeOutput out;
  Step* current = nullptr;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    if (std::string_view(line).substr(0, kMarker.size()) == kMarker) {
      apply_marker(std::string_view(line).substr(kMarker.size()), out, current);
      continue;
    }
    if (current != nullptr) current->output += line + "\n";
  }
  return out;
}

AttackResult judge(const std::string& name, const Step* step) {
  if (step == nullptr) return {name, Verdict::no_verdict, "the attack never ran (the container stopped before it)"};
  std::string line = first_line(step->output);
  if (!step->exit_code) return {name, Verdict::no_verdict, "ctr_attack did not finish: " + line};
  if (*step->exit_code == 0) return {name, Verdict::stopped, line};
  if (*step->exit_code == 1) return {name, Verdict::got_through, line};
  return {name, Verdict::no_verdict, "ctr_attack exited " + std::to_string(*step->exit_code) + ": " + line};
}

int stopped_count(const std::vector<AttackResult>& results) {
  int n = 0;
  for (const AttackResult& r : results) n += r.verdict == Verdict::stopped ? 1 : 0;
  return n;
}

std::string escapes_text(const std::vector<AttackResult>& results) {
  std::string text = "stopped " + std::to_string(stopped_count(results)) + "/" + std::to_string(results.size());
  std::string stopped = join_names(results, Verdict::stopped);
  if (!stopped.empty()) text += ": " + stopped;
  std::string through = join_names(results, Verdict::got_through);
  if (!through.empty()) text += "; got through: " + through;
  std::string unknown = join_names(results, Verdict::no_verdict);
  if (!unknown.empty()) text += "; no verdict: " + unknown;
  return text;
}

}  // namespace deploylab::bench::isolation
