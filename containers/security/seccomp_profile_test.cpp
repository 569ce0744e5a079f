// containers/security/seccomp_profile_test.cpp: linux.seccomp to a SeccompProfile, and the
// errors a bad profile gets (they name the JSON path).
#include "containers/security/seccomp_profile.h"

#include <gtest/gtest.h>
#include <sys/syscall.h>

namespace deploylab::ctr {
namespace {

using Json = nlohmann::json;

Json example() {
  return Json::parse(R"({
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    "flags": ["SECCOMP_FILTER_FLAG_LOG"],
    "syscalls": [
      {"names": ["keyctl", "add_key"], "action": "SCMP_ACT_ERRNO"},
      {"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
       "args": [{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["reboot"], "action": "SCMP_ACT_KILL"}
    ]})");
}

std::string error_of(const Json& profile) {
  auto parsed = parse_seccomp_profile(profile);
  return parsed.ok() ? "(no error)" : parsed.error().message();
}

TEST(SeccompProfile, ParsesActionsNamesAndArguments) {
  auto parsed = parse_seccomp_profile(example());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  const SeccompProfile& p = parsed.value();
  EXPECT_EQ(p.default_action, SeccompAction::allow);
  EXPECT_EQ(p.architectures.size(), 2u);
  EXPECT_TRUE(p.log);
  ASSERT_EQ(p.syscalls.size(), 3u);
  EXPECT_EQ(p.syscalls[0].numbers, (std::vector<int>{SYS_keyctl, SYS_add_key}));
  EXPECT_EQ(p.syscalls[0].errno_ret, static_cast<std::uint32_t>(EPERM)) << "SCMP_ACT_ERRNO without errnoRet is EPERM";
  EXPECT_EQ(p.syscalls[1].errno_ret, 38u);
  ASSERT_EQ(p.syscalls[1].args.size(), 1u);
  EXPECT_EQ(p.syscalls[1].args[0].op, ArgOp::masked_eq);
  EXPECT_EQ(p.syscalls[1].args[0].value_two, 268435456u);
  EXPECT_EQ(p.syscalls[2].action, SeccompAction::kill_thread) << "SCMP_ACT_KILL is the old name of KILL_THREAD";
}

TEST(SeccompProfile, AnUnknownSyscallIsAnErrorAtItsPath) {
  Json profile = example();
  profile["syscalls"][1]["names"] = {"clone", "foo"};
  std::string message = error_of(profile);
  EXPECT_NE(message.find("linux.seccomp.syscalls[1].names[1]: unknown syscall \"foo\""), std::string::npos) << message;
}

TEST(SeccompProfile, BadActionsOpsIndexesArchitecturesAndFlagsAreRefused) {
  Json profile = example();
  profile["syscalls"][0]["action"] = "SCMP_ACT_EXPLODE";
  EXPECT_NE(error_of(profile).find("syscalls[0].action: bad action \"SCMP_ACT_EXPLODE\""), std::string::npos) << error_of(profile);
  profile = example();
  profile["defaultAction"] = "ALLOW";
  EXPECT_NE(error_of(profile).find("linux.seccomp.defaultAction: bad action"), std::string::npos) << error_of(profile);
  profile = example();
  profile["syscalls"][1]["args"][0]["op"] = "SCMP_CMP_ROUGHLY";
  EXPECT_NE(error_of(profile).find("args[0].op: bad op \"SCMP_CMP_ROUGHLY\""), std::string::npos) << error_of(profile);
  profile = example();
  profile["syscalls"][1]["args"][0]["index"] = 6;
  EXPECT_NE(error_of(profile).find("args[0].index"), std::string::npos) << error_of(profile);
  profile = example();
  profile["architectures"][1] = "SCMP_ARCH_Z80";
  EXPECT_NE(error_of(profile).find("architectures[1]: unknown architecture"), std::string::npos) << error_of(profile);
  profile = example();
  profile["flags"] = {"SECCOMP_FILTER_FLAG_FAST"};
  EXPECT_NE(error_of(profile).find("flags[0]: unknown flag"), std::string::npos) << error_of(profile);
  profile = example();
  profile["syscalls"][0]["names"] = Json::array();
  EXPECT_NE(error_of(profile).find("syscalls[0].names"), std::string::npos) << error_of(profile);
}

TEST(SeccompProfile, NamesRoundTrip) {
  for (auto action : {SeccompAction::kill_thread, SeccompAction::kill_process, SeccompAction::trap, SeccompAction::errno_ret,
                      SeccompAction::trace, SeccompAction::allow, SeccompAction::log}) {
    EXPECT_EQ(seccomp_action_from_name(seccomp_action_name(action)), action);
  }
  for (auto op : {ArgOp::ne, ArgOp::lt, ArgOp::le, ArgOp::eq, ArgOp::ge, ArgOp::gt, ArgOp::masked_eq}) {
    EXPECT_EQ(arg_op_from_name(arg_op_name(op)), op);
  }
}

}  // namespace
}  // namespace deploylab::ctr
