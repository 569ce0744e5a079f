// containers/oci/spec_process.cpp: config.json's "process" and "hooks" objects (see spec.h).
#include <set>

#include "containers/oci/rlimit_type.h"
#include "containers/oci/spec_sections.h"

namespace deploylab::ctr {
namespace {

constexpr std::uint32_t kMaxUmask = 0777;
constexpr int kMinOomScoreAdj = -1000;  // never killed by the OOM killer
constexpr int kMaxOomScoreAdj = 1000;   // killed first

Result<std::vector<std::string>> parse_args(const JsonObject& process) {
  const Json* args = process.find("args");
  if (args == nullptr || !args->is_array() || args->empty()) {
    return json_error(process.path_of("args"), "must be a non-empty array of strings",
                      "the command to run in the container, e.g. [\"sh\"]");
  }
  return process.string_array("args");
}

// Every entry is NAME=value with a non-empty NAME: execve passes the strings on as they are, and
// a program reading its environment would never find a variable without a name.
Result<std::vector<std::string>> parse_env(const JsonObject& process) {
  auto env = DL_TRY(process.string_array("env"));
  for (std::size_t i = 0; i < env.size(); ++i) {
    auto equals = env[i].find('=');
    if (equals == std::string::npos || equals == 0) {
      return json_error(process.path_of("env") + "[" + std::to_string(i) + "]",
                        "must be NAME=value, not \"" + env[i] + "\"");
    }
  }
  return env;
}

Result<std::string> parse_cwd(const JsonObject& process) {
  auto cwd = DL_TRY(process.required_string("cwd"));
  if (!is_absolute_path(cwd)) {
    return json_error(process.path_of("cwd"), "must be an absolute path, not \"" + cwd + "\"",
                      "the working directory inside the container, e.g. \"/\"");
  }
  return cwd;
}

Result<std::vector<std::uint32_t>> parse_gid_list(const JsonObject& user) {
  std::vector<std::uint32_t> gids;
  const Json* list = user.find("additionalGids");
  if (list == nullptr) return gids;
  if (!list->is_array()) return json_error(user.path_of("additionalGids"), "must be an array of group ids");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& gid = (*list)[i];
    if (!json_integer_in_range(gid, 0, UINT32_MAX)) {
      return json_error(user.path_of("additionalGids") + "[" + std::to_string(i) + "]",
                        "must be a group id from 0 to 4294967295, not " + json_seen(gid));
    }
    gids.push_back(gid.get<std::uint32_t>());
  }
  return gids;
}

Result<User> parse_user(const JsonObject& process) {
  User user;
  auto object = DL_TRY(process.optional_object("user"));
  if (!object) return user;
  user.uid = DL_TRY(object->optional_integer<std::uint32_t>("uid")).value_or(0);
  user.gid = DL_TRY(object->optional_integer<std::uint32_t>("gid")).value_or(0);
  user.umask = DL_TRY(object->optional_integer<std::uint32_t>("umask", 0, kMaxUmask));
  user.additional_gids = DL_TRY(parse_gid_list(*object));
  return user;
}

Result<Capabilities> parse_capabilities(const JsonObject& process) {
  Capabilities caps;
  auto object = DL_TRY(process.optional_object("capabilities"));
  if (!object) return caps;
  caps.bounding = DL_TRY(object->string_array("bounding"));
  caps.effective = DL_TRY(object->string_array("effective"));
  caps.inheritable = DL_TRY(object->string_array("inheritable"));
  caps.permitted = DL_TRY(object->string_array("permitted"));
  caps.ambient = DL_TRY(object->string_array("ambient"));
  return caps;
}

Result<Rlimit> parse_rlimit(const JsonObject& entry) {
  Rlimit limit;
  limit.type = DL_TRY(entry.required_string("type"));
  auto resource = rlimit_resource(limit.type);
  if (!resource) {
    return json_error(entry.path_of("type"), "unknown rlimit type \"" + limit.type + "\"",
                      "known: " + known_rlimit_names());
  }
  limit.resource = *resource;
  limit.hard = DL_TRY(entry.required_integer<std::uint64_t>("hard"));
  limit.soft = DL_TRY(entry.required_integer<std::uint64_t>("soft"));
  if (limit.soft > limit.hard) {
    return json_error(entry.path_of("soft"), "is above the hard limit (" + std::to_string(limit.soft) + " > " +
                                                 std::to_string(limit.hard) + "); setrlimit would refuse it");
  }
  return limit;
}

// One entry per type: with two, which one applies would depend on the order they are set in.
Result<std::vector<Rlimit>> parse_rlimits(const JsonObject& process) {
  std::vector<Rlimit> limits;
  std::set<std::string> seen;
  for (const auto& entry : DL_TRY(process.object_array("rlimits"))) {
    auto limit = DL_TRY(parse_rlimit(entry));
    if (!seen.insert(limit.type).second) {
      return json_error(entry.path_of("type"), "duplicate rlimit type \"" + limit.type + "\"");
    }
    limits.push_back(std::move(limit));
  }
  return limits;
}

Result<Hook> parse_hook(const JsonObject& entry) {
  Hook hook;
  hook.path = DL_TRY(entry.required_string("path"));
  if (!is_absolute_path(hook.path)) {
    return json_error(entry.path_of("path"), "must be an absolute path, not \"" + hook.path + "\"",
                      "hooks run on the host, and the spec does not search PATH for them");
  }
  hook.args = DL_TRY(entry.string_array("args"));
  hook.env = DL_TRY(entry.string_array("env"));
  const Json* timeout = entry.find("timeout");
  if (timeout != nullptr && !json_integer_in_range(*timeout, 1, INT32_MAX)) {
    return json_error(entry.path_of("timeout"), "must be a positive integer (seconds), not " + json_seen(*timeout));
  }
  if (timeout != nullptr) hook.timeout = timeout->get<int>();
  return hook;
}

Result<std::vector<Hook>> parse_hook_list(const JsonObject& hooks, std::string_view key) {
  std::vector<Hook> list;
  for (const auto& entry : DL_TRY(hooks.object_array(key))) list.push_back(DL_TRY(parse_hook(entry)));
  return list;
}

}  // namespace

Result<Process> parse_process(const JsonObject& process) {
  Process out;
  out.terminal = DL_TRY(process.bool_or("terminal", false));
  out.args = DL_TRY(parse_args(process));
  out.env = DL_TRY(parse_env(process));
  out.cwd = DL_TRY(parse_cwd(process));
  out.user = DL_TRY(parse_user(process));
  out.capabilities = DL_TRY(parse_capabilities(process));
  out.rlimits = DL_TRY(parse_rlimits(process));
  out.no_new_privileges = DL_TRY(process.bool_or("noNewPrivileges", false));
  out.oom_score_adj = DL_TRY(process.optional_integer<int>("oomScoreAdj", kMinOomScoreAdj, kMaxOomScoreAdj));
  // apparmorProfile, selinuxLabel, consoleSize, ioPriority and scheduler: not supported, ignored.
  return out;
}

Result<Hooks> parse_hooks(const JsonObject& hooks) {
  Hooks out;
  // runc runs the deprecated prestart hooks first, then createRuntime, at the same moment.
  out.create_runtime = DL_TRY(parse_hook_list(hooks, "prestart"));
  for (auto& hook : DL_TRY(parse_hook_list(hooks, "createRuntime"))) out.create_runtime.push_back(std::move(hook));
  out.create_container = DL_TRY(parse_hook_list(hooks, "createContainer"));
  out.start_container = DL_TRY(parse_hook_list(hooks, "startContainer"));
  out.poststart = DL_TRY(parse_hook_list(hooks, "poststart"));
  out.poststop = DL_TRY(parse_hook_list(hooks, "poststop"));
  return out;
}

}  // namespace deploylab::ctr
