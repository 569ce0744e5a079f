// containers/runtime/init_plan_test.cpp: config.json to the init's plan, without root.
#include "containers/runtime/init_plan.h"

#include <gtest/gtest.h>
#include <sched.h>

namespace deploylab::ctr {
namespace {

Spec busybox_spec() {
  Spec spec;
  spec.oci_version = "1.0.2";
  spec.root.path = "/bundles/web/rootfs";
  spec.process.args = {"sh", "-c", "echo hi"};
  spec.process.cwd = "/";
  spec.hostname = "web";
  for (NamespaceType t : {NamespaceType::pid, NamespaceType::mount, NamespaceType::uts, NamespaceType::ipc, NamespaceType::cgroup}) {
    spec.linux_spec.namespaces.push_back({t, {}});
  }
  return spec;
}

TEST(PlanInit, NewNamespacesAreCloneFlagsButTheCgroupOneWaits) {
  InitPlan plan = plan_init(busybox_spec(), "/run/minictr/web/exec.fifo").value();
  EXPECT_EQ(plan.clone_flags, static_cast<unsigned long>(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC));
  EXPECT_TRUE(plan.new_cgroup_namespace) << "made by the init after it joined its cgroup";
  EXPECT_TRUE(plan.joins.empty());
  EXPECT_EQ(plan.hostname, "web");
  EXPECT_EQ(plan.rootfs.rootfs, "/bundles/web/rootfs");
  EXPECT_EQ(plan.exec_fifo, "/run/minictr/web/exec.fifo");
  EXPECT_TRUE(plan.uid_map.empty()) << "no user namespace, no maps";
}

TEST(PlanInit, NamespacesWithAPathAreJoinedUserFirst) {
  Spec spec = busybox_spec();
  spec.linux_spec.namespaces = {{NamespaceType::network, "/proc/42/ns/net"}, {NamespaceType::user, "/proc/42/ns/user"},
                                {NamespaceType::mount, {}}};
  InitPlan plan = plan_init(spec, "").value();
  ASSERT_EQ(plan.joins.size(), 2u);
  EXPECT_EQ(plan.joins[0].type, NamespaceType::user);
  EXPECT_EQ(plan.joins[1].path, "/proc/42/ns/net");
  EXPECT_EQ(plan.clone_flags, static_cast<unsigned long>(CLONE_NEWNS));
  EXPECT_TRUE(plan.uid_map.empty()) << "a joined user namespace already has its maps";
}

TEST(PlanInit, ANewUserNamespaceGetsItsMapsAsText) {
  Spec spec = busybox_spec();
  spec.linux_spec.namespaces.push_back({NamespaceType::user, {}});
  spec.linux_spec.uid_mappings = {{0, 100000, 65536}};
  spec.linux_spec.gid_mappings = {{0, 100000, 65536}, {65536, 5000, 1}};
  InitPlan plan = plan_init(spec, "").value();
  EXPECT_EQ(plan.uid_map, "0 100000 65536\n");
  EXPECT_EQ(plan.gid_map, "0 100000 65536\n65536 5000 1\n");
  EXPECT_EQ(plan.rootfs.user_namespace, UserNamespace::used) << "devices are bind-mounted, not made, in a user namespace";
}

TEST(PlanInit, ARelativeRootIsRefused) {
  Spec spec = busybox_spec();
  spec.root.path = "rootfs";
  EXPECT_FALSE(plan_init(spec, "").ok());
}

TEST(PlanInit, CarriesTheSecuritySettings) {
  Spec spec = busybox_spec();
  spec.process.no_new_privileges = true;
  spec.linux_spec.seccomp = nlohmann::json::parse(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]})");
  InitPlan plan = plan_init(spec, "").value();
  EXPECT_TRUE(plan.security.no_new_privileges);
  ASSERT_TRUE(plan.security.seccomp.has_value());
  EXPECT_EQ(plan.security.seccomp->syscalls.size(), 1u);
}

// (Capability names are checked here too; lab 9 tests that, in containers/security/.)
TEST(PlanInit, ABadSeccompProfileIsRefusedBeforeAnythingExists) {
  Spec spec = busybox_spec();
  spec.linux_spec.seccomp = nlohmann::json::parse(R"({"defaultAction": "SCMP_ACT_NOPE"})");
  auto plan = plan_init(spec, "");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("linux.seccomp.defaultAction: bad action"), std::string::npos) << plan.error().message();
}

}  // namespace
}  // namespace deploylab::ctr
