// bench/isolation/attacks_test.cpp: the attacks, their script, and reading their verdicts back.
#include "bench/isolation/attacks.h"

#include <gtest/gtest.h>

namespace deploylab::bench::isolation {
namespace {

const AttackTargets kTargets{"/tmp/isolation-rows-x/deploylab-host-only", 4242, "/proc/timer_list"};

TEST(Attacks, AimAtTheHostTargets) {
  std::vector<Attack> attacks = escape_attacks(kTargets);
  ASSERT_EQ(attacks.size(), 8u);
  EXPECT_EQ(attacks[0].name, "chroot-escape");
  EXPECT_EQ(attacks[0].args, (std::vector<std::string>{"chroot-escape", kTargets.host_file}));
  EXPECT_EQ(attacks[5].args, (std::vector<std::string>{"kill", "4242"}));
  EXPECT_EQ(attacks[6].args, (std::vector<std::string>{"open-write", kTargets.host_file}));
  EXPECT_EQ(attacks[7].args, (std::vector<std::string>{"read", "/proc/timer_list"}));
  EXPECT_EQ(escape_attacks({"/f", 1, ""}).size(), 7u) << "no masked file on this kernel: that attack is left out";
}

TEST(Attacks, ShellQuoting) {
  EXPECT_EQ(shell_quote("plain"), "'plain'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
}

TEST(Attacks, TheScriptFramesEveryStep) {
  std::string script = probe_script("/deploylab/syscall-census", "/deploylab/ctr_attack", escape_attacks(kTargets));
  EXPECT_NE(script.find("echo \"@@ kernel $(uname -r)\""), std::string::npos) << script;
  EXPECT_NE(script.find("/proc/sys/kernel/random/boot_id"), std::string::npos) << script;
  EXPECT_NE(script.find("echo '@@ begin census'; '/deploylab/syscall-census' --list 2>&1; echo \"@@ end census $?\""),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("'/deploylab/ctr_attack' 'kill' '4242' 2>&1; echo \"@@ end kill-host-pid $?\""),
            std::string::npos)
      << script;
}

const char* kOutput =
    "@@ kernel 6.18.44-fc-v657\n"
    "@@ boot_id 5b0c7c1e-0000-4000-8000-000000000001\n"
    "@@ begin census\n"
    "blocked keyctl 250 EPERM\n"
    "deploylab-bench: syscalls reachable=311 blocked=53 total=364\n"
    "@@ end census 0\n"
    "@@ begin mount\n"
    "mount: blocked: EPERM (Operation not permitted)\n"
    "@@ end mount 0\n"
    "@@ begin keyctl\n"
    "keyctl: SUCCEEDED (returned 42)\n"
    "@@ end keyctl 1\n"
    "@@ begin init-module\n"
    "usage: ...\n"
    "@@ end init-module 2\n"
    "@@ begin unshare-user\n"
    "half a line\n";

TEST(Attacks, ParsesTheFramedOutput) {
  ProbeOutput out = parse_probe_output(kOutput);
  EXPECT_EQ(out.kernel, "6.18.44-fc-v657");
  EXPECT_EQ(out.boot_id, "5b0c7c1e-0000-4000-8000-000000000001");
  ASSERT_EQ(out.steps.count("census"), 1u);
  EXPECT_EQ(out.steps["census"].exit_code, 0);
  EXPECT_EQ(out.steps["census"].output,
            "blocked keyctl 250 EPERM\ndeploylab-bench: syscalls reachable=311 blocked=53 total=364\n");
  EXPECT_EQ(out.steps["unshare-user"].exit_code, std::nullopt) << "its end line never came";
}

TEST(Attacks, JudgesByCtrAttacksExitCode) {
  ProbeOutput out = parse_probe_output(kOutput);
  AttackResult mount = judge("mount", &out.steps["mount"]);
  EXPECT_EQ(mount.verdict, Verdict::stopped);
  EXPECT_EQ(mount.detail, "mount: blocked: EPERM (Operation not permitted)");
  EXPECT_EQ(judge("keyctl", &out.steps["keyctl"]).verdict, Verdict::got_through);
  EXPECT_EQ(judge("init-module", &out.steps["init-module"]).verdict, Verdict::no_verdict) << "exit 2: could not tell";
  EXPECT_EQ(judge("unshare-user", &out.steps["unshare-user"]).verdict, Verdict::no_verdict) << "no end line";
  EXPECT_EQ(judge("read-masked-proc", nullptr).verdict, Verdict::no_verdict) << "never ran";
}

TEST(Attacks, SummarisesForTheTable) {
  std::vector<AttackResult> results = {{"chroot-escape", Verdict::stopped, ""},
                                       {"mount", Verdict::stopped, ""},
                                       {"keyctl", Verdict::got_through, ""},
                                       {"init-module", Verdict::no_verdict, ""}};
  EXPECT_EQ(stopped_count(results), 2);
  EXPECT_EQ(escapes_text(results), "stopped 2/4: chroot-escape, mount; got through: keyctl; no verdict: init-module");
  EXPECT_EQ(escapes_text({{"mount", Verdict::stopped, ""}}), "stopped 1/1: mount");
  EXPECT_EQ(escapes_text({{"mount", Verdict::got_through, ""}}), "stopped 0/1; got through: mount");
}

}  // namespace
}  // namespace deploylab::bench::isolation
