// containers/oci/spec_errors_test.cpp: broken config.json documents, and the message each one
// gets. Every case starts from a small valid document, breaks one thing and checks that the
// message names the JSON path and says what is wrong.
#include <gtest/gtest.h>

#include <functional>

#include "containers/oci/spec.h"

namespace deploylab::ctr {
namespace {

using Json = nlohmann::json;

Json valid_document() {
  return Json::parse(R"({
    "ociVersion": "1.0.2",
    "process": {"args": ["sh"], "cwd": "/", "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 10, "soft": 10}]},
    "root": {"path": "rootfs"},
    "hostname": "box",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"namespaces": [{"type": "pid"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

std::string error_after(const std::function<void(Json&)>& breakage) {
  Json doc = valid_document();
  breakage(doc);
  auto spec = parse_spec(doc.dump(), "config.json");
  return spec.ok() ? "(parsed fine)" : spec.error().message();
}

struct Case {
  const char* name;
  std::function<void(Json&)> breakage;
  const char* expected;  // the start of the message
};

void add_user_namespace(Json& d) { d["linux"]["namespaces"].push_back({{"type", "user"}}); }

const Case kCases[] = {
    {"no ociVersion", [](Json& d) { d.erase("ociVersion"); }, "config.json: ociVersion: is required (a string)"},
    {"ociVersion 2", [](Json& d) { d["ociVersion"] = "2.0.0"; },
     "config.json: ociVersion: minictr reads runtime-spec 1.x documents, not \"2.0.0\""},
    {"no process", [](Json& d) { d.erase("process"); }, "config.json: process: is required (an object)"},
    {"process not an object", [](Json& d) { d["process"] = "sh"; },
     "config.json: process: must be an object, not \"sh\""},
    {"no args", [](Json& d) { d["process"].erase("args"); },
     "config.json: process.args: must be a non-empty array of strings"},
    {"empty args", [](Json& d) { d["process"]["args"] = Json::array(); },
     "config.json: process.args: must be a non-empty array of strings"},
    {"args a string", [](Json& d) { d["process"]["args"] = "sh -c true"; },
     "config.json: process.args: must be a non-empty array of strings"},
    {"arg not a string", [](Json& d) { d["process"]["args"].push_back(1); },
     "config.json: process.args[1]: must be a string, not 1"},
    {"relative cwd", [](Json& d) { d["process"]["cwd"] = "work"; },
     "config.json: process.cwd: must be an absolute path, not \"work\""},
    {"no cwd", [](Json& d) { d["process"].erase("cwd"); }, "config.json: process.cwd: is required (a string)"},
    {"env without =", [](Json& d) { d["process"]["env"] = {"A=1", "B"}; },
     "config.json: process.env[1]: must be NAME=value, not \"B\""},
    {"negative uid", [](Json& d) { d["process"]["user"] = {{"uid", -1}}; },
     "config.json: process.user.uid: must be an integer from 0 to 4294967295, not -1"},
    {"gid list", [](Json& d) { d["process"]["user"] = {{"additionalGids", {1, "x"}}}; },
     "config.json: process.user.additionalGids[1]: must be a group id"},
    {"umask", [](Json& d) { d["process"]["user"] = {{"umask", 01000}}; },
     "config.json: process.user.umask: must be an integer from 0 to 511, not 512"},
    {"capability set", [](Json& d) { d["process"]["capabilities"] = {{"bounding", "CAP_KILL"}}; },
     "config.json: process.capabilities.bounding: must be an array of strings, not \"CAP_KILL\""},
    {"unknown rlimit", [](Json& d) { d["process"]["rlimits"][0]["type"] = "RLIMIT_FOO"; },
     "config.json: process.rlimits[0].type: unknown rlimit type \"RLIMIT_FOO\" (hint: known: RLIMIT_AS,"},
    {"duplicate rlimit", [](Json& d) { d["process"]["rlimits"].push_back(d["process"]["rlimits"][0]); },
     "config.json: process.rlimits[1].type: duplicate rlimit type \"RLIMIT_NOFILE\""},
    {"soft above hard", [](Json& d) { d["process"]["rlimits"][0]["soft"] = 11; },
     "config.json: process.rlimits[0].soft: is above the hard limit (11 > 10)"},
    {"rlimit without hard", [](Json& d) { d["process"]["rlimits"][0].erase("hard"); },
     "config.json: process.rlimits[0].hard: is required (an integer)"},
    {"oomScoreAdj", [](Json& d) { d["process"]["oomScoreAdj"] = 1001; },
     "config.json: process.oomScoreAdj: must be an integer from -1000 to 1000, not 1001"},
    {"terminal", [](Json& d) { d["process"]["terminal"] = "yes"; },
     "config.json: process.terminal: must be true or false, not \"yes\""},
    {"no root", [](Json& d) { d.erase("root"); }, "config.json: root: is required (an object)"},
    {"no root path", [](Json& d) { d["root"].erase("path"); }, "config.json: root.path: is required (a string)"},
    {"empty root path", [](Json& d) { d["root"]["path"] = ""; }, "config.json: root.path: must not be empty"},
    {"relative mount", [](Json& d) { d["mounts"][0]["destination"] = "proc"; },
     "config.json: mounts[0].destination: must be an absolute path, not \"proc\""},
    {"mount not an object", [](Json& d) { d["mounts"].push_back("/tmp"); },
     "config.json: mounts[1]: must be an object, not \"/tmp\""},
    {"mount options", [](Json& d) { d["mounts"][0]["options"] = "ro"; },
     "config.json: mounts[0].options: must be an array of strings, not \"ro\""},
    {"relative hook", [](Json& d) { d["hooks"] = {{"poststop", {{{"path", "cleanup"}}}}}; },
     "config.json: hooks.poststop[0].path: must be an absolute path, not \"cleanup\""},
    {"hook timeout", [](Json& d) { d["hooks"] = {{"prestart", {{{"path", "/x"}, {"timeout", 0}}}}}; },
     "config.json: hooks.prestart[0].timeout: must be a positive integer (seconds), not 0"},
    {"unknown namespace", [](Json& d) { d["linux"]["namespaces"][2]["type"] = "foo"; },
     "config.json: linux.namespaces[2].type: unknown namespace type \"foo\" (known: pid, network, mount, ipc, uts, "
     "user, cgroup, time)"},
    {"proc name for a namespace", [](Json& d) { d["linux"]["namespaces"][0]["type"] = "net"; },
     "config.json: linux.namespaces[0].type: unknown namespace type \"net\""},
    {"duplicate namespace", [](Json& d) { d["linux"]["namespaces"].push_back({{"type", "pid"}}); },
     "config.json: linux.namespaces[3].type: duplicate namespace type \"pid\" (already at linux.namespaces[0])"},
    {"relative namespace path", [](Json& d) { d["linux"]["namespaces"][0]["path"] = "ns/pid"; },
     "config.json: linux.namespaces[0].path: must be an absolute path, not \"ns/pid\""},
    {"user namespace without mappings", add_user_namespace,
     "config.json: linux.uidMappings: is required with a new user namespace"},
    {"user namespace without gid mappings",
     [](Json& d) {
       add_user_namespace(d);
       d["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
     },
     "config.json: linux.gidMappings: is required with a new user namespace"},
    {"mappings without user namespace",
     [](Json& d) { d["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}}; },
     "config.json: linux.gidMappings: is set, but there is no user namespace to apply it to"},
    {"zero mapping size",
     [](Json& d) { d["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1}, {"size", 0}}}; },
     "config.json: linux.uidMappings[0].size: must be a positive integer, not 0"},
    {"missing mapping size", [](Json& d) { d["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1}}}; },
     "config.json: linux.uidMappings[0].size: must be a positive integer, it is missing"},
    {"hostname without uts", [](Json& d) { d["linux"]["namespaces"].erase(1); },
     "config.json: hostname: is set, but the container shares the host's uts namespace"},
    {"domainname without uts",
     [](Json& d) {
       d.erase("hostname");
       d["domainname"] = "example.org";
       d.erase("linux");
     },
     "config.json: domainname: is set, but the container shares the host's uts namespace"},
    {"memory limit", [](Json& d) { d["linux"]["resources"] = {{"memory", {{"limit", "1G"}}}}; },
     "config.json: linux.resources.memory.limit: must be an integer from -9223372036854775808 to "
     "9223372036854775807, not \"1G\""},
    {"cpu shares", [](Json& d) { d["linux"]["resources"] = {{"cpu", {{"shares", -2}}}}; },
     "config.json: linux.resources.cpu.shares: must be an integer from 0 to 18446744073709551615, not -2"},
    {"pids", [](Json& d) { d["linux"]["resources"] = {{"pids", 5}}; },
     "config.json: linux.resources.pids: must be an object, not 5"},
    {"sysctl value", [](Json& d) { d["linux"]["sysctl"] = {{"net.ipv4.ip_forward", 1}}; },
     "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: must be a string, not 1"},
    {"seccomp", [](Json& d) { d["linux"]["seccomp"] = "strict"; },
     "config.json: linux.seccomp: must be an object, not \"strict\""},
    {"device type", [](Json& d) { d["linux"]["devices"] = {{{"type", "x"}, {"path", "/dev/x"}}}; },
     "config.json: linux.devices[0].type: unknown device type \"x\""},
    {"device numbers", [](Json& d) { d["linux"]["devices"] = {{{"type", "c"}, {"path", "/dev/x"}, {"major", 1}}}; },
     "config.json: linux.devices[0].minor: is required (an integer)"},
    {"annotations", [](Json& d) { d["annotations"] = {{"a", true}}; },
     "config.json: annotations[\"a\"]: must be a string, not true"},
};

TEST(SpecErrors, EachBrokenFieldIsNamed) {
  ASSERT_EQ(error_after([](Json&) {}), "(parsed fine)") << "the base document must be valid";
  for (const auto& c : kCases) {
    auto message = error_after(c.breakage);
    EXPECT_EQ(message.rfind(c.expected, 0), 0u) << c.name << ":\n  expected a message starting with: "
                                                << c.expected << "\n  got: " << message;
  }
}

TEST(SpecErrors, SyntaxErrorsGiveLineAndByte) {
  auto spec = parse_spec("{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {\n}", "bundle/config.json");
  ASSERT_FALSE(spec.ok());
  auto message = spec.error().message();
  EXPECT_EQ(message.rfind("bundle/config.json: JSON syntax error at line 4", 0), 0u) << message;
  EXPECT_NE(message.find("(byte "), std::string::npos) << message;
}

TEST(SpecErrors, TheDocumentMustBeAnObject) {
  auto spec = parse_spec("[]", "config.json");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message(), "config.json: the document must be a JSON object, not an array");
}

TEST(SpecErrors, UnknownFieldsAreIgnored) {
  auto message = error_after([](Json& d) {
    d["futureField"] = {{"x", 1}};
    d["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_IDLE"}};
    d["linux"]["intelRdt"] = {{"closID", "x"}};
    d["mounts"][0]["uidMappings"] = Json::array();
  });
  EXPECT_EQ(message, "(parsed fine)");
}

}  // namespace
}  // namespace deploylab::ctr
