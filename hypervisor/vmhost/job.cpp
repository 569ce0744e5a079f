// hypervisor/vmhost/job.cpp: rendering run.sh for the test host (see job.h).
#include "hypervisor/vmhost/job.h"

#include <regex>
#include <set>

namespace deploylab::vmhost {

std::string shell_quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string render_job_script(const Job& job) {
  std::string script = "# run.sh: written by vmhost for the test host's init (hypervisor/vmhost/guest_init.sh)\n";
  for (const auto& [name, value] : job.env) script += "export " + name + "=" + shell_quote(value) + "\n";
  // Tells programs they run inside the test host (minivmm bench-exits reports it with its numbers).
  script += "export DEPLOYLAB_IN_VMHOST=1\n";
  std::string dir = shell_quote(job.cwd.string());
  script += "cd " + dir + " 2>/dev/null || { echo \"vmhost: cannot enter \"" + dir +
            "\" inside the test host: only the host's / (read-only) and the build directory are shared\" >&2; exit 125; }\n";
  if (job.argv.empty()) return script + "exec /bin/bash --login -i\n";
  script += "exec";
  for (const auto& word : job.argv) script += " " + shell_quote(word);
  return script + " </dev/null\n";
}

std::vector<std::pair<std::string, std::string>> passable_environment(char** environ_entries) {
  static const std::set<std::string> session_only = {"PWD", "OLDPWD", "SHLVL", "_", "PS1", "PS2", "PROMPT_COMMAND"};
  static const std::regex shell_name("[A-Za-z_][A-Za-z0-9_]*");
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ_entries; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    if (session_only.contains(name) || !std::regex_match(name, shell_name)) continue;
    out.emplace_back(name, entry.substr(eq + 1));
  }
  return out;
}

}  // namespace deploylab::vmhost
