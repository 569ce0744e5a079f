// tests/containers/security_attack_test.cpp: attacks from inside real busybox containers with the
// default spec's capabilities and seccomp profile (attack/security_support.h), each asserting that
// the attack FAILS, most with a positive control (the same call with the capability granted, the
// filter left out or the path left unprotected) that shows the attack is real and the test can
// fail. Lab 9 grades these too (labs/09-security/CMakeLists.txt).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/child_process.h"
#include "common/file_io.h"
#include "tests/containers/attack/security_support.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The lines of /proc/self/status about privileges, from inside.
const std::vector<std::string> kShowStatus = {"grep", "-E", "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):", "/proc/self/status"};
// CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29).
const std::string kDefaultMask = "0000000020000420";

void expect_confined_status(const std::string& out, const std::string& who) {
  for (const char* set : {"CapEff", "CapPrm", "CapBnd"}) {
    EXPECT_NE(out.find(std::string(set) + ":\t" + kDefaultMask), std::string::npos)
        << who << ": expected " << set << " = " << kDefaultMask << " (CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE); "
        << "see containers/security/capability_apply.cpp\n" << out;
  }
  EXPECT_NE(out.find("CapInh:\t0000000000000000"), std::string::npos) << who << ": no inheritable set configured\n" << out;
  EXPECT_NE(out.find("NoNewPrivs:\t1"), std::string::npos) << who << ": noNewPrivileges is true\n" << out;
  EXPECT_NE(out.find("Seccomp:\t2"), std::string::npos) << who << ": a seccomp filter must be loaded (mode 2)\n" << out;
}

TEST(SecurityAttack, TheProcessHasExactlyTheConfiguredCapabilities) {
  TestBundle b = confined_bundle("caps");
  b.set_args(kShowStatus);
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  expect_confined_status(done.out, "the container's process");
}

TEST(SecurityAttack, ExecGetsTheSameCapabilitiesNoNewPrivsAndFilter) {
  TestBundle b = confined_bundle("exec");
  b.set_args({"sleep", "30"});
  b.write_config();
  ASSERT_EQ(b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()}).status.code, 0);
  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  std::vector<std::string> exec = {"exec", b.id(), "--"};
  exec.insert(exec.end(), kShowStatus.begin(), kShowStatus.end());
  Completed done = b.minictr(exec);
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  expect_confined_status(done.out, "a process minictr exec added (containers/runtime/exec.cpp)");
}

TEST(SecurityAttack, MountIsDeniedByCapabilitiesAndByTheFilterEach) {
  TestBundle b = confined_bundle("mount");
  Completed done = attack(b, {"mount"});
  EXPECT_EQ(done.status.code, kAttackBlocked) << transcript(done);
  EXPECT_NE(done.out.find("EPERM"), std::string::npos) << transcript(done);
  // CAP_SYS_ADMIN granted, but the filter made for the default capabilities: seccomp alone holds.
  TestBundle filter_only = confined_bundle("mount-filter");
  set_capabilities(filter_only, default_caps_and({"CAP_SYS_ADMIN"}));
  done = attack(filter_only, {"mount"});
  EXPECT_EQ(done.status.code, kAttackBlocked) << "the filter alone must stop mount\n" << transcript(done);
  // Control: CAP_SYS_ADMIN asked for, so the default profile lets mount through.
  TestBundle control = confined_bundle("mount-ctl", {"CAP_SYS_ADMIN"});
  done = attack(control, {"mount"});
  EXPECT_EQ(done.status.code, kAttackSucceeded) << "control: with CAP_SYS_ADMIN asked for, mount works\n" << transcript(done);
}

TEST(SecurityAttack, BlockedSystemCallsFailWithEperm) {
  for (const char* call : {"keyctl", "unshare-user"}) {
    TestBundle b = confined_bundle(std::string("blocked-") + call);
    Completed done = attack(b, {call});
    EXPECT_EQ(done.status.code, kAttackBlocked) << transcript(done);
    EXPECT_NE(done.out.find("EPERM"), std::string::npos) << call << " must fail with EPERM\n" << transcript(done);
  }
  TestBundle control = confined_bundle("blocked-ctl");
  control.config()["linux"].erase("seccomp");
  Completed done = attack(control, {"keyctl"});
  EXPECT_EQ(done.status.code, kAttackSucceeded) << "control: without the filter keyctl works\n" << transcript(done);
}

TEST(SecurityAttack, AKernelModuleCannotBeLoaded) {
  TestBundle b = confined_bundle("module");
  Completed done = attack(b, {"init-module"});
  EXPECT_EQ(done.status.code, kAttackBlocked) << transcript(done);
  EXPECT_NE(done.out.find("EPERM"), std::string::npos) << transcript(done);
  // The control needs a kernel with a module loader that is switched on (not CONFIG_MODULES=n).
  if (!fs::exists("/proc/modules") || read_file("/proc/sys/kernel/modules_disabled").value_or("0").starts_with("1")) return;
  TestBundle control = confined_bundle("module-ctl", {"CAP_SYS_MODULE"});
  done = attack(control, {"init-module"});
  EXPECT_EQ(done.status.code, kAttackSucceeded) << "control: with CAP_SYS_MODULE the module loader reads the image\n"
                                                << transcript(done);
}

TEST(SecurityAttack, SysrqTriggerAndProcSysAreReadOnly) {
  TestBundle b = confined_bundle("procro");
  for (const char* path : {"/proc/sysrq-trigger", "/proc/sys/kernel/domainname"}) {
    Completed done = attack(b, {"open-write", path});
    EXPECT_EQ(done.status.code, kAttackBlocked) << path << " must not open for writing\n" << transcript(done);
    if (!fs::exists(path)) continue;  // some kernels have no sysrq (CONFIG_MAGIC_SYSRQ=n)
    EXPECT_NE(done.out.find("EROFS"), std::string::npos) << "readonlyPaths: a read-only bind mount\n" << transcript(done);
  }
  TestBundle control = confined_bundle("procro-ctl");
  control.config()["linux"]["readonlyPaths"] = nlohmann::json::array();
  Completed done = attack(control, {"open-write", "/proc/sys/kernel/domainname"});
  EXPECT_EQ(done.status.code, kAttackSucceeded) << "control: without readonlyPaths it opens\n" << transcript(done);
}

// The first of the default's masked files this kernel has (/proc/kcore needs CONFIG_PROC_KCORE).
std::string a_masked_file() {
  for (const char* path : {"/proc/kcore", "/proc/timer_list", "/proc/sched_debug", "/proc/keys"}) {
    if (fs::exists(path)) return path;
  }
  return {};
}

TEST(SecurityAttack, KernelInformationIsMasked) {
  std::string path = a_masked_file();
  if (path.empty()) GTEST_SKIP() << "this kernel has none of the masked /proc files";
  TestBundle b = confined_bundle("masked", {"CAP_SYS_RAWIO"});
  Completed done = attack(b, {"read", path});
  EXPECT_EQ(done.status.code, kAttackBlocked) << path << " must read as nothing\n" << transcript(done);
  TestBundle control = confined_bundle("masked-ctl", {"CAP_SYS_RAWIO"});
  control.config()["linux"]["maskedPaths"] = nlohmann::json::array();
  done = attack(control, {"read", path});
  EXPECT_EQ(done.status.code, kAttackSucceeded) << "control: unmasked, root reads " << path << "\n" << transcript(done);
}

TEST(SecurityAttack, HostProcessesAreInvisibleAndCannotBeSignalled) {
  ChildProcess host = ChildProcess::spawn({"sleep", "60"}).value();
  std::string pid = std::to_string(host.pid());
  TestBundle b = confined_bundle("hostpid");
  b.set_args({"sh", "-c", "test -e /proc/" + pid + " && echo visible || echo hidden; /attack kill " + pid});
  Completed done = b.run();
  EXPECT_NE(done.out.find("hidden"), std::string::npos) << "host pid " << pid << " must not be in the container's /proc\n"
                                                        << transcript(done);
  EXPECT_EQ(done.status.code, kAttackBlocked) << transcript(done);
  EXPECT_NE(done.out.find("ESRCH"), std::string::npos) << "kill(2) of a host pid: no such process\n" << transcript(done);
  EXPECT_EQ(::kill(host.pid(), 0), 0) << "control: the host process is alive and signallable from the host";
}

TEST(SecurityAttack, TheChrootEscapeStaysInsideThePivotedRoot) {
  if (running_in_a_chroot()) GTEST_SKIP() << "in a chroot minictr falls back to chroot itself, which this escape defeats";
  TestBundle b = confined_bundle("chroot", {"CAP_SYS_CHROOT"});  // Docker grants it; the escape needs it
  fs::path marker = b.dir() / "deploylab-host-only";
  write_file_atomic(marker, "outside the rootfs\n").value();
  Completed done = attack(b, {"chroot-escape", marker.string()});
  EXPECT_EQ(done.status.code, kAttackBlocked) << "the container must not reach " << marker << "\n" << transcript(done);
  // Control: the same program in a plain chroot(8) jail escapes.
  fs::copy_file(attack_binary(), b.rootfs() / "ctr_attack");
  RunOptions options;
  options.timeout = 30s;
  Completed jailed = run({"chroot", b.rootfs().string(), "/ctr_attack", "chroot-escape", marker.string()}, options).value();
  EXPECT_EQ(jailed.status.code, kAttackSucceeded) << "control: a plain chroot is escapable\n" << transcript(jailed);
}

TEST(SecurityAttack, UserNamespaceRootIsNobodyOnTheHost) {
  if (running_in_a_chroot()) GTEST_SKIP() << "the kernel makes no user namespace for a process in a chroot (clone(2), EPERM)";
  TestBundle b = confined_bundle("userns", {"CAP_SYS_MODULE"});
  b.config()["linux"].erase("seccomp");  // only the user namespace stands in the way
  fs::permissions(b.dir(), fs::perms(0755));
  fs::copy_file(attack_binary(), b.rootfs() / "ctr_attack");
  run_checked({"chown", "-R", "100000:100000", b.rootfs().string()}).value();
  b.config()["mounts"].erase(b.config()["mounts"].size() - 1);  // /attack: the copy is used instead
  b.config()["linux"]["namespaces"].push_back({{"type", "user"}});
  b.config()["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  b.config()["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  b.set_args({"sh", "-c", "/ctr_attack init-module; sleep 30"});
  b.write_config();
  Completed created = b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()});
  ASSERT_EQ(created.status.code, 0) << transcript(created);
  auto state = nlohmann::json::parse(b.minictr({"state", b.id()}).out, nullptr, false);
  ASSERT_TRUE(state.is_object());
  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  std::string status = read_file("/proc/" + std::to_string(state["pid"].get<int>()) + "/status").value_or("");
  EXPECT_NE(status.find("Uid:\t100000\t100000\t100000"), std::string::npos) << "the container's root is host uid 100000\n" << status;
  std::string out;
  for (int i = 0; i < 50 && out.find("init-module") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    out = read_file(b.dir() / "create.out").value_or("");
  }
  EXPECT_NE(out.find("init-module: blocked:"), std::string::npos)
      << "CAP_SYS_MODULE in a user namespace is worth nothing: modules are the initial namespace's\n" << out;
}

TEST(SecurityBadInput, AnUnknownCapabilityFailsCreateAndLeavesNothing) {
  TestBundle b = confined_bundle("badcap");
  b.config()["process"]["capabilities"]["effective"].push_back("CAP_FOO");
  b.write_config();
  Completed done = b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()});
  EXPECT_NE(done.status.code, 0);
  EXPECT_NE(done.err.find("process.capabilities.effective[3]: unknown capability \"CAP_FOO\""), std::string::npos) << transcript(done);
  EXPECT_FALSE(fs::exists(b.state_root() / b.id())) << "no state may be left";
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(SecurityBadInput, ABadSeccompProfileFailsCreateAndLeavesNothing) {
  struct Case { std::string pointer; nlohmann::json value; std::string expected; };
  for (const Case& c : std::vector<Case>{
           {"/linux/seccomp/syscalls/0/names/1", "foo", "linux.seccomp.syscalls[0].names[1]: unknown syscall \"foo\""},
           {"/linux/seccomp/syscalls/2/action", "SCMP_ACT_EXPLODE", "linux.seccomp.syscalls[2].action: bad action \"SCMP_ACT_EXPLODE\""},
       }) {
    TestBundle b = confined_bundle("badseccomp");
    b.config()[nlohmann::json::json_pointer(c.pointer)] = c.value;
    b.write_config();
    Completed done = b.minictr({"run", "--bundle", b.dir().string(), b.id()});
    EXPECT_NE(done.status.code, 0);
    EXPECT_NE(done.err.find(c.expected), std::string::npos) << transcript(done);
    EXPECT_FALSE(fs::exists(b.state_root() / b.id())) << "no state may be left";
    EXPECT_FALSE(cgroup_left_behind(b.id()));
  }
}

TEST(SecuritySpec, MinictrSpecConfinesByDefault) {
  TestBundle b = TestBundle::make("deploylab-test-sec-spec");
  fs::remove(b.dir() / "config.json");
  Completed done = b.minictr({"spec", "--bundle", b.dir().string()});
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  auto config = nlohmann::json::parse(read_file(b.dir() / "config.json").value());
  ASSERT_TRUE(config["linux"]["seccomp"].is_object()) << "minictr spec must write linux.seccomp";
  EXPECT_EQ(config["linux"]["seccomp"], nlohmann::json::parse(default_seccomp_profile(default_capabilities()).dump()));
}

}  // namespace
}  // namespace deploylab::ctr::testing
