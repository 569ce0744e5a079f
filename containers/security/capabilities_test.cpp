// containers/security/capabilities_test.cpp: capability names and config.json's sets as masks
// (lab 9, task 1: mask_of in capabilities.cpp).
#include "containers/security/capabilities.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

// runc spec's default: CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29).
const std::vector<std::string> kDefault = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
constexpr CapabilityMask kDefaultMask = (1u << 5) | (1u << 10) | (1u << 29);

TEST(CapabilityNames, LookUpBothWays) {
  EXPECT_EQ(capability_number("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(capability_number("CAP_CHECKPOINT_RESTORE"), 40);
  EXPECT_EQ(capability_number("cap_sys_admin"), std::nullopt) << "names are exact, as runc reads them";
  EXPECT_EQ(capability_number("CAP_FOO"), std::nullopt);
  EXPECT_EQ(capability_name(19), "CAP_SYS_PTRACE");
  EXPECT_EQ(capability_name(41), "");
  for (int n = 0; n <= kLastKnownCapability; ++n) EXPECT_EQ(capability_number(capability_name(n)), n) << n;
}

TEST(PlanCapabilities, EachSetBecomesAMaskOfItsNames) {
  Capabilities sets;
  sets.bounding = sets.effective = sets.permitted = kDefault;
  sets.ambient = {"CAP_NET_BIND_SERVICE"};
  auto plan = plan_capabilities(sets, 40);
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ(plan.value().bounding, kDefaultMask) << "expected bits 5, 10 and 29 (CapBnd 0000000020000420), saw "
                                                 << describe_mask(plan.value().bounding)
                                                 << " (task 1: mask_of in containers/security/capabilities.cpp)";
  EXPECT_EQ(plan.value().effective, kDefaultMask);
  EXPECT_EQ(plan.value().permitted, kDefaultMask);
  EXPECT_EQ(plan.value().inheritable, 0u) << "an absent set is empty";
  EXPECT_EQ(plan.value().ambient, CapabilityMask{1} << 10);
  EXPECT_TRUE(plan.value().warnings.empty());
}

TEST(PlanCapabilities, AnUnknownNameIsAnErrorThatNamesIt) {
  Capabilities sets;
  sets.effective = {"CAP_KILL", "CAP_FOO"};
  auto plan = plan_capabilities(sets, 40);
  ASSERT_FALSE(plan.ok()) << "expected CAP_FOO to be refused at create time, as runc refuses it";
  std::string message = plan.error().message();
  EXPECT_NE(message.find("process.capabilities.effective[1]"), std::string::npos) << message;
  EXPECT_NE(message.find("CAP_FOO"), std::string::npos) << message;
}

TEST(PlanCapabilities, NamesNewerThanTheKernelAreSkippedWithAWarning) {
  Capabilities sets;
  sets.bounding = {"CAP_KILL", "CAP_BPF", "CAP_PERFMON"};  // 39 and 38: Linux 5.8
  auto plan = plan_capabilities(sets, 37);
  ASSERT_TRUE(plan.ok()) << "a name the running kernel lacks is skipped, not refused\n" << plan.error().message();
  EXPECT_EQ(plan.value().bounding, CapabilityMask{1} << 5) << describe_mask(plan.value().bounding);
  ASSERT_EQ(plan.value().warnings.size(), 2u);
  EXPECT_NE(plan.value().warnings[0].find("CAP_BPF"), std::string::npos) << plan.value().warnings[0];
}

TEST(PlanCapabilities, DescribeMaskNamesTheBits) {
  EXPECT_EQ(describe_mask(kDefaultMask), "CAP_KILL CAP_NET_BIND_SERVICE CAP_AUDIT_WRITE");
  EXPECT_EQ(describe_mask(0), "(none)");
}

}  // namespace
}  // namespace deploylab::ctr
