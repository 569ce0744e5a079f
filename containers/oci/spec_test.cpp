// containers/oci/spec_test.cpp: config.json documents that parse, field by field, including the
// one `runc spec` writes, and load_spec() on bundle directories.
#include "containers/oci/spec.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

// Every field minictr reads, set to something other than its default.
const char* kFull = R"({
  "ociVersion": "1.1.0",
  "process": {
    "terminal": true,
    "user": {"uid": 1000, "gid": 100, "additionalGids": [5, 6], "umask": 18},
    "args": ["/bin/sh", "-c", "echo hi"],
    "env": ["PATH=/bin", "EMPTY="],
    "cwd": "/work",
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_CHOWN"], "inheritable": ["CAP_A"],
                     "permitted": ["CAP_KILL", "CAP_CHOWN"], "ambient": []},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024},
                {"type": "RLIMIT_CORE", "hard": 0, "soft": 0}],
    "noNewPrivileges": true,
    "oomScoreAdj": -500,
    "apparmorProfile": "ignored",
    "selinuxLabel": "ignored too"
  },
  "root": {"path": "/srv/rootfs", "readonly": true},
  "hostname": "web",
  "domainname": "example.org",
  "mounts": [{"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"]},
             {"destination": "/tmp", "type": "tmpfs"}],
  "hooks": {
    "createRuntime": [{"path": "/usr/bin/net-setup", "args": ["net-setup", "up"], "env": ["X=1"], "timeout": 5}],
    "prestart": [{"path": "/usr/bin/old-style"}],
    "createContainer": [{"path": "/bin/a"}],
    "startContainer": [{"path": "/bin/b"}],
    "poststart": [{"path": "/bin/c"}],
    "poststop": [{"path": "/bin/d"}]
  },
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "network", "path": "/run/netns/blue"}, {"type": "mount"},
                   {"type": "uts"}, {"type": "user"}, {"type": "cgroup"}, {"type": "ipc"}, {"type": "time"}],
    "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}],
    "resources": {
      "memory": {"limit": 268435456, "reservation": 134217728, "swap": -1},
      "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1"},
      "pids": {"limit": 64},
      "devices": [{"allow": false, "access": "rwm"}],
      "blockIO": {"weight": 10}
    },
    "cgroupsPath": "/deploylab/web",
    "sysctl": {"net.ipv4.ip_forward": "1"},
    "maskedPaths": ["/proc/kcore"],
    "readonlyPaths": ["/proc/sys"],
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []},
    "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
                {"type": "p", "path": "/dev/pipe"}]
  },
  "annotations": {"org.example.owner": "ops"},
  "aFieldFromTheFuture": {"anything": [1, 2, 3]}
})";

Spec parse_or_fail(const std::string& json) {
  auto spec = parse_spec(json, "config.json");
  if (!spec.ok()) ADD_FAILURE() << "should parse, but: " << spec.error().message();
  return spec.ok() ? std::move(spec).value() : Spec{};
}

TEST(Spec, ParsesProcess) {
  Spec spec = parse_or_fail(kFull);
  EXPECT_EQ(spec.oci_version, "1.1.0");
  const Process& p = spec.process;
  EXPECT_TRUE(p.terminal);
  EXPECT_EQ(p.user.uid, 1000u);
  EXPECT_EQ(p.user.gid, 100u);
  EXPECT_EQ(p.user.additional_gids, (std::vector<std::uint32_t>{5, 6}));
  EXPECT_EQ(p.user.umask, 022u);
  EXPECT_EQ(p.args, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
  EXPECT_EQ(p.env, (std::vector<std::string>{"PATH=/bin", "EMPTY="}));
  EXPECT_EQ(p.cwd, "/work");
  EXPECT_EQ(p.capabilities.bounding, std::vector<std::string>{"CAP_KILL"});
  EXPECT_EQ(p.capabilities.inheritable, std::vector<std::string>{"CAP_A"});
  EXPECT_EQ(p.capabilities.permitted.size(), 2u);
  EXPECT_TRUE(p.capabilities.ambient.empty());
  ASSERT_EQ(p.rlimits.size(), 2u);
  EXPECT_EQ(p.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(p.rlimits[0].hard, 4096u);
  EXPECT_EQ(p.rlimits[0].soft, 1024u);
  EXPECT_EQ(p.rlimits[1].type, "RLIMIT_CORE");
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_EQ(p.oom_score_adj, -500);
}

TEST(Spec, ParsesRootMountsHooksAndNames) {
  Spec spec = parse_or_fail(kFull);
  EXPECT_EQ(spec.root.path, "/srv/rootfs");
  EXPECT_TRUE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "web");
  EXPECT_EQ(spec.domainname, "example.org");
  ASSERT_EQ(spec.mounts.size(), 2u);
  EXPECT_EQ(spec.mounts[0].source, "/srv/data");
  EXPECT_EQ(spec.mounts[0].options, (std::vector<std::string>{"rbind", "ro"}));
  EXPECT_TRUE(spec.mounts[1].source.empty());
  // prestart (deprecated) runs first, at the createRuntime point, as in runc.
  ASSERT_EQ(spec.hooks.create_runtime.size(), 2u);
  EXPECT_EQ(spec.hooks.create_runtime[0].path, "/usr/bin/old-style");
  EXPECT_EQ(spec.hooks.create_runtime[1].args, (std::vector<std::string>{"net-setup", "up"}));
  EXPECT_EQ(spec.hooks.create_runtime[1].timeout, 5);
  EXPECT_EQ(spec.hooks.create_runtime[0].timeout, std::nullopt);
  EXPECT_EQ(spec.hooks.create_container.at(0).path, "/bin/a");
  EXPECT_EQ(spec.hooks.start_container.at(0).path, "/bin/b");
  EXPECT_EQ(spec.hooks.poststart.at(0).path, "/bin/c");
  EXPECT_EQ(spec.hooks.poststop.at(0).path, "/bin/d");
  EXPECT_EQ(spec.annotations.at("org.example.owner"), "ops");
}

TEST(Spec, ParsesLinux) {
  Spec spec = parse_or_fail(kFull);
  const LinuxSpec& l = spec.linux_spec;
  ASSERT_EQ(l.namespaces.size(), 8u);
  EXPECT_EQ(l.namespaces[1].type, NamespaceType::network);
  EXPECT_EQ(l.find_namespace(NamespaceType::network)->path, "/run/netns/blue");
  EXPECT_TRUE(l.find_namespace(NamespaceType::pid)->path.empty());
  ASSERT_EQ(l.uid_mappings.size(), 1u);
  EXPECT_EQ(l.uid_mappings[0].host_id, 100000u);
  EXPECT_EQ(l.uid_mappings[0].size, 65536u);
  EXPECT_EQ(l.gid_mappings[0].size, 1000u);
  EXPECT_EQ(l.resources.memory.limit, 268435456);
  EXPECT_EQ(l.resources.memory.reservation, 134217728);
  EXPECT_EQ(l.resources.memory.swap, -1);
  EXPECT_EQ(l.resources.cpu.shares, 512u);
  EXPECT_EQ(l.resources.cpu.quota, 50000);
  EXPECT_EQ(l.resources.cpu.period, 100000u);
  EXPECT_EQ(l.resources.pids.limit, 64);
  EXPECT_EQ(l.cgroups_path, "/deploylab/web");
  EXPECT_EQ(l.sysctl.at("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(l.masked_paths, std::vector<std::string>{"/proc/kcore"});
  EXPECT_EQ(l.readonly_paths, std::vector<std::string>{"/proc/sys"});
  EXPECT_EQ(l.seccomp.at("defaultAction"), "SCMP_ACT_ALLOW");
  ASSERT_EQ(l.devices.size(), 2u);
  EXPECT_EQ(l.devices[0].major, 10);
  EXPECT_EQ(l.devices[0].minor, 229);
  EXPECT_EQ(l.devices[0].file_mode, 0666u);
  EXPECT_EQ(l.devices[1].type, "p");
}

TEST(Spec, AMinimalDocumentLeavesTheRestUnset) {
  Spec spec = parse_or_fail(R"({"ociVersion": "1.0.0", "process": {"args": ["true"], "cwd": "/"},
                                "root": {"path": "rootfs"}})");
  EXPECT_EQ(spec.root.path, "rootfs") << "parse_spec leaves the path as written";
  EXPECT_FALSE(spec.root.readonly);
  EXPECT_EQ(spec.process.user.uid, 0u);
  EXPECT_EQ(spec.process.user.umask, std::nullopt);
  EXPECT_TRUE(spec.linux_spec.namespaces.empty());
  EXPECT_TRUE(spec.linux_spec.seccomp.is_null());
  EXPECT_EQ(spec.linux_spec.resources.memory.limit, std::nullopt);
  EXPECT_EQ(spec.linux_spec.resources.pids.limit, std::nullopt);
}

TEST(Spec, AJoinedUserNamespaceNeedsNoMappings) {
  parse_or_fail(R"({"ociVersion": "1.0.2", "process": {"args": ["true"], "cwd": "/"}, "root": {"path": "r"},
                    "linux": {"namespaces": [{"type": "user", "path": "/proc/1/ns/user"}]}})");
}

// The file `runc spec` writes must load here unchanged: a bundle made for runc runs on minictr.
TEST(Spec, ParsesWhatRuncSpecWrites) {
  auto dir = TempDir::create("deploylab-test-runc-spec-").value();
  RunOptions options;
  options.spawn.cwd = dir.path().string();
  options.timeout = std::chrono::seconds(30);
  auto done = run({"runc", "spec"}, options);
  if (!done.ok()) GTEST_SKIP() << "runc is not installed: " << done.error().message();
  ASSERT_TRUE(done.value().status.success()) << "runc spec " << done.value().status.describe() << ": "
                                             << done.value().err;
  auto text = read_file(dir / "config.json").value();
  Spec spec = parse_or_fail(text);
  EXPECT_EQ(spec.process.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_TRUE(spec.linux_spec.has_namespace(NamespaceType::mount));
  EXPECT_EQ(spec.mounts.size(), 7u);
}

class LoadSpec : public ::testing::Test {
 protected:
  void SetUp() override { bundle_ = TempDir::create("deploylab-test-bundle-").value(); }
  void write_config(const std::string& root_path) {
    std::string json = R"({"ociVersion": "1.0.2", "process": {"args": ["sh"], "cwd": "/"},
                           "root": {"path": ")" + root_path + R"("}})";
    write_file_atomic(bundle_ / "config.json", json).value();
  }
  TempDir bundle_;
};

TEST_F(LoadSpec, ResolvesARelativeRootAgainstTheBundle) {
  write_config("rootfs");
  std::filesystem::create_directory(bundle_ / "rootfs");
  Spec spec = load_spec(bundle_.path()).value();
  EXPECT_EQ(spec.root.path, bundle_.path() / "rootfs");
  EXPECT_TRUE(spec.root.path.is_absolute());
}

TEST_F(LoadSpec, KeepsAnAbsoluteRoot) {
  write_config(bundle_.path().string());
  EXPECT_EQ(load_spec(bundle_.path()).value().root.path, bundle_.path());
}

TEST_F(LoadSpec, MissingConfigSaysHowToWriteOne) {
  auto spec = load_spec(bundle_.path());
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message(),
            "no config.json in `" + bundle_.path().string() + "` (hint: write one with `minictr spec`)");
}

TEST_F(LoadSpec, MissingRootfsIsNamed) {
  write_config("rootfs");
  auto spec = load_spec(bundle_.path());
  ASSERT_FALSE(spec.ok());
  auto message = spec.error().message();
  EXPECT_NE(message.find("rootfs `" + (bundle_.path() / "rootfs").string() + "` does not exist"), std::string::npos)
      << message;
}

TEST_F(LoadSpec, RootfsMustBeADirectory) {
  write_config("config.json");
  auto spec = load_spec(bundle_.path());
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.error().message().find("is not a directory"), std::string::npos) << spec.error().message();
}

TEST_F(LoadSpec, ParseErrorsNameTheFile) {
  write_file_atomic(bundle_ / "config.json", R"({"ociVersion": "1.0.2"})").value();
  auto spec = load_spec(bundle_.path());
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message(), (bundle_.path() / "config.json").string() + ": process: is required (an object)");
}

}  // namespace
}  // namespace deploylab::ctr
