// hypervisor/vmhost/job_test.cpp: run.sh says exactly what the caller asked, whatever the quotes.
#include "hypervisor/vmhost/job.h"

#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab::vmhost {
namespace {

TEST(ShellQuote, SurvivesEveryAwkwardCharacter) {
  EXPECT_EQ(shell_quote("plain"), "'plain'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(RenderJobScript, ExportsEntersAndExecs) {
  Job job{{"sh", "-c", "echo $HOME"}, "/work/main", {{"HOME", "/root"}}};
  EXPECT_EQ(render_job_script(job),
            "# run.sh: written by vmhost for the test host's init (hypervisor/vmhost/guest_init.sh)\n"
            "export HOME='/root'\n"
            "export DEPLOYLAB_IN_VMHOST=1\n"
            "cd '/work/main' 2>/dev/null || { echo \"vmhost: cannot enter \"'/work/main'\" inside the test host: only the "
            "host's / (read-only) and the build directory are shared\" >&2; exit 125; }\n"
            "exec 'sh' '-c' 'echo $HOME' </dev/null\n");
}

TEST(RenderJobScript, NoCommandMeansAnInteractiveShell) {
  EXPECT_NE(render_job_script(Job{{}, "/", {}}).find("exec /bin/bash --login -i\n"), std::string::npos);
}

// The real test of quoting: the script, run by a real sh, passes every word through unchanged.
TEST(RenderJobScript, ARealShellGetsTheWordsBack) {
  auto dir = TempDir::create("vmhost-job-test-").value();
  std::vector<std::string> words = {"a b", "it's", "$HOME", "`id`", "\\n", "*", ""};
  Job job{{"printf", "[%s]"}, dir.path(), {{"ODD", "x'y\"z $w"}}};
  job.argv.insert(job.argv.end(), words.begin(), words.end());
  job.argv.push_back("$ODD");
  auto out = run_checked({"sh", "-c", render_job_script(job)}).value();
  EXPECT_EQ(out, "[a b][it's][$HOME][`id`][\\n][*][][$ODD]");
  Job env_job{{"sh", "-c", "printf %s \"$ODD\""}, dir.path(), {{"ODD", "x'y\"z $w"}}};
  EXPECT_EQ(run_checked({"sh", "-c", render_job_script(env_job)}).value(), "x'y\"z $w");
}

TEST(RenderJobScript, MissingDirectoryIsExit125WithAMessage) {
  auto done = run({"sh", "-c", render_job_script(Job{{"true"}, "/nonexistent/dir", {}})}).value();
  EXPECT_EQ(done.status.code, 125);
  EXPECT_NE(done.err.find("cannot enter /nonexistent/dir inside the test host"), std::string::npos) << done.err;
}

TEST(PassableEnvironment, DropsSessionVariablesAndOddNames) {
  std::vector<std::string> entries = {"HOME=/root", "PWD=/tmp", "SHLVL=2", "BASH_FUNC_x%%=() {}", "EMPTY=", "NOEQUALS"};
  std::vector<char*> raw;
  for (auto& e : entries) raw.push_back(e.data());
  raw.push_back(nullptr);
  auto env = passable_environment(raw.data());
  std::vector<std::pair<std::string, std::string>> expected = {{"HOME", "/root"}, {"EMPTY", ""}};
  EXPECT_EQ(env, expected);
}

}  // namespace
}  // namespace deploylab::vmhost
