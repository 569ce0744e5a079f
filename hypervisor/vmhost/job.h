// hypervisor/vmhost/job.h: what `vmhost` asks the test host to run, as the shell script the
// guest's init executes (hypervisor/vmhost/guest_init.sh runs /run/vmhost/run.sh chrooted into
// the host's root). Rendering is pure: argv, directory and environment in, script text out, with
// every word quoted so nothing the caller passes is ever re-interpreted by the guest's shell.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deploylab::vmhost {

struct Job {
  std::vector<std::string> argv;                            // empty: an interactive shell
  std::filesystem::path cwd;                                // where it runs (a host path)
  std::vector<std::pair<std::string, std::string>> env;     // exported before it runs
};

// 'it'\''s' for it's: a word the shell reads back exactly.
std::string shell_quote(std::string_view word);

// The script: exports, cd (a clear message and exit 125 if the directory is missing inside the
// test host), then exec of argv with stdin from /dev/null, or of an interactive login shell.
std::string render_job_script(const Job& job);

// The environment worth passing into the guest: the caller's, minus what describes the
// caller's own shell session (PWD, SHLVL, ...) and names a shell cannot export.
std::vector<std::pair<std::string, std::string>> passable_environment(char** environ_entries);

}  // namespace deploylab::vmhost
