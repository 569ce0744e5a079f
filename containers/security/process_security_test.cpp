// containers/security/process_security_test.cpp: config.json's security settings checked at
// create time, and where the seccomp filter goes in.
#include "containers/security/process_security.h"

#include <gtest/gtest.h>

#include "containers/security/default_profile.h"

namespace deploylab::ctr {
namespace {

Process process_with(std::vector<std::string> caps, bool nnp) {
  Process p;
  p.args = {"sh"};
  p.cwd = "/";
  p.capabilities.bounding = p.capabilities.effective = p.capabilities.permitted = std::move(caps);
  p.no_new_privileges = nnp;
  return p;
}

TEST(ProcessSecurity, PlansCapabilitiesAndTheProfile) {
  auto profile = nlohmann::json::parse(default_seccomp_profile({"CAP_KILL"}).dump());
  auto plan = plan_process_security(process_with({"CAP_KILL"}, true), profile);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ(plan.value().capabilities.effective, CapabilityMask{1} << 5);
  ASSERT_TRUE(plan.value().seccomp.has_value());
  EXPECT_EQ(seccomp_load_point(plan.value()), SeccompLoadPoint::just_before_exec);
  EXPECT_FALSE(plan_process_security(process_with({}, false), nullptr).value().seccomp.has_value()) << "no linux.seccomp, no filter";
}

TEST(ProcessSecurity, WithoutNoNewPrivsTheFilterGoesInWhileCapSysAdminIsThere) {
  auto plan = plan_process_security(process_with({}, false), nlohmann::json::parse(R"({"defaultAction": "SCMP_ACT_ALLOW"})"));
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ(seccomp_load_point(plan.value()), SeccompLoadPoint::before_dropping_capabilities);
}

TEST(ProcessSecurity, BadNamesAreCreateTimeErrors) {
  auto caps = plan_process_security(process_with({"CAP_KILL", "CAP_NOPE"}, true), nullptr);
  ASSERT_FALSE(caps.ok());
  EXPECT_NE(caps.error().message().find("CAP_NOPE"), std::string::npos) << caps.error().message();
  auto seccomp = plan_process_security(process_with({}, true), nlohmann::json::parse(
      R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid", "nosuchcall"], "action": "SCMP_ACT_ERRNO"}]})"));
  ASSERT_FALSE(seccomp.ok());
  EXPECT_NE(seccomp.error().message().find("linux.seccomp.syscalls[0].names[1]: unknown syscall \"nosuchcall\""),
            std::string::npos) << seccomp.error().message();
}

}  // namespace
}  // namespace deploylab::ctr
