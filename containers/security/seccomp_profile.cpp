// containers/security/seccomp_profile.cpp: linux.seccomp to a SeccompProfile (see
// seccomp_profile.h). Every name is checked here, at `minictr create`, so a typo is a clear error
// before anything exists, not a container that fails while it starts.
#include "containers/security/seccomp_profile.h"

#include <seccomp.h>
#include <sys/utsname.h>

#include <array>
#include <cerrno>
#include <cctype>
#include <utility>

#include "common/error.h"
#include "containers/oci/json_fields.h"

namespace deploylab::ctr {
namespace {

constexpr std::array<std::pair<std::string_view, SeccompAction>, 8> kActions = {{
    {"SCMP_ACT_KILL", SeccompAction::kill_thread},
    {"SCMP_ACT_KILL_THREAD", SeccompAction::kill_thread},
    {"SCMP_ACT_KILL_PROCESS", SeccompAction::kill_process},
    {"SCMP_ACT_TRAP", SeccompAction::trap},
    {"SCMP_ACT_ERRNO", SeccompAction::errno_ret},
    {"SCMP_ACT_TRACE", SeccompAction::trace},
    {"SCMP_ACT_ALLOW", SeccompAction::allow},
    {"SCMP_ACT_LOG", SeccompAction::log},
}};

constexpr std::array<std::pair<std::string_view, ArgOp>, 7> kOps = {{
    {"SCMP_CMP_NE", ArgOp::ne}, {"SCMP_CMP_LT", ArgOp::lt}, {"SCMP_CMP_LE", ArgOp::le}, {"SCMP_CMP_EQ", ArgOp::eq},
    {"SCMP_CMP_GE", ArgOp::ge}, {"SCMP_CMP_GT", ArgOp::gt}, {"SCMP_CMP_MASKED_EQ", ArgOp::masked_eq},
}};

constexpr unsigned kMaxArgIndex = 5;
constexpr std::uint32_t kMaxErrno = 4095;  // the kernel's MAX_ERRNO

std::string native_machine() {
  utsname names{};
  return ::uname(&names) == 0 ? names.machine : "this machine";
}

Result<SeccompAction> parse_action(const JsonObject& object, std::string_view key) {
  auto name = DL_TRY(object.required_string(key));
  if (auto action = seccomp_action_from_name(name)) return *action;
  std::string hint = name == "SCMP_ACT_NOTIFY" ? "minictr has no seccomp agent to notify"
                                               : "one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, "
                                                 "SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG";
  return json_error(object.path_of(key), "bad action \"" + name + "\"", hint);
}

// "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64".
Result<std::vector<std::uint32_t>> parse_architectures(const JsonObject& object) {
  std::vector<std::uint32_t> out;
  auto names = DL_TRY(object.string_array("architectures"));
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string short_name = names[i].starts_with("SCMP_ARCH_") ? names[i].substr(10) : "";
    for (char& c : short_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::uint32_t token = short_name.empty() ? 0 : ::seccomp_arch_resolve_name(short_name.c_str());
    if (token == 0) {
      return json_error(object.path_of("architectures") + "[" + std::to_string(i) + "]",
                        "unknown architecture \"" + names[i] + "\"", "e.g. SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64");
    }
    out.push_back(token);
  }
  return out;
}

Result<void> parse_flags(const JsonObject& object, SeccompProfile& profile) {
  auto flags = DL_TRY(object.string_array("flags"));
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags[i] == "SECCOMP_FILTER_FLAG_LOG") {
      profile.log = true;
    } else if (flags[i] == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") {
      profile.spec_allow = true;
    } else if (flags[i] == "SECCOMP_FILTER_FLAG_TSYNC") {
      profile.tsync = true;
    } else {
      return json_error(object.path_of("flags") + "[" + std::to_string(i) + "]", "unknown flag \"" + flags[i] + "\"",
                        "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW or SECCOMP_FILTER_FLAG_TSYNC");
    }
  }
  return {};
}

Result<ArgCondition> parse_arg(const JsonObject& entry) {
  ArgCondition arg;
  arg.index = DL_TRY(entry.required_integer<unsigned>("index", 0, kMaxArgIndex));
  arg.value = DL_TRY(entry.required_integer<std::uint64_t>("value"));
  arg.value_two = DL_TRY(entry.optional_integer<std::uint64_t>("valueTwo")).value_or(0);
  auto op = DL_TRY(entry.required_string("op"));
  auto known = arg_op_from_name(op);
  if (!known) {
    return json_error(entry.path_of("op"), "bad op \"" + op + "\"",
                      "SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT or _MASKED_EQ");
  }
  arg.op = *known;
  return arg;
}

// "names" (or the old single "name"), each resolved to the native architecture's number.
Result<void> parse_names(const JsonObject& entry, SyscallRule& rule) {
  rule.names = DL_TRY(entry.string_array("names"));
  if (rule.names.empty() && entry.has("name")) rule.names.push_back(DL_TRY(entry.required_string("name")));
  if (rule.names.empty()) return json_error(entry.path_of("names"), "must list at least one system call");
  for (std::size_t i = 0; i < rule.names.size(); ++i) {
    int number = ::seccomp_syscall_resolve_name(rule.names[i].c_str());
    if (number == __NR_SCMP_ERROR) {
      return json_error(entry.path_of("names") + "[" + std::to_string(i) + "]",
                        "unknown syscall \"" + rule.names[i] + "\" (not on " + native_machine() + ")",
                        "names are as in syscalls(2), e.g. \"keyctl\"");
    }
    rule.numbers.push_back(number);
  }
  return {};
}

Result<SyscallRule> parse_rule(const JsonObject& entry) {
  SyscallRule rule;
  DL_TRY(parse_names(entry, rule));
  rule.action = DL_TRY(parse_action(entry, "action"));
  rule.errno_ret = DL_TRY(entry.optional_integer<std::uint32_t>("errnoRet", 0, kMaxErrno)).value_or(EPERM);
  for (const auto& arg : DL_TRY(entry.object_array("args"))) rule.args.push_back(DL_TRY(parse_arg(arg)));
  return rule;
}

}  // namespace

std::optional<SeccompAction> seccomp_action_from_name(std::string_view name) {
  for (const auto& [known, action] : kActions) {
    if (known == name) return action;
  }
  return std::nullopt;
}

std::string_view seccomp_action_name(SeccompAction action) {
  for (const auto& [known, value] : kActions) {
    if (value == action && known != "SCMP_ACT_KILL") return known;
  }
  return "?";
}

std::optional<ArgOp> arg_op_from_name(std::string_view name) {
  for (const auto& [known, op] : kOps) {
    if (known == name) return op;
  }
  return std::nullopt;
}

std::string_view arg_op_name(ArgOp op) {
  for (const auto& [known, value] : kOps) {
    if (value == op) return known;
  }
  return "?";
}

Result<SeccompProfile> parse_seccomp_profile(const nlohmann::json& json, std::string_view path) {
  JsonObject object = DL_TRY(JsonObject::from(json, std::string(path)));
  SeccompProfile profile;
  profile.default_action = DL_TRY(parse_action(object, "defaultAction"));
  profile.default_errno_ret = DL_TRY(object.optional_integer<std::uint32_t>("defaultErrnoRet", 0, kMaxErrno)).value_or(EPERM);
  profile.architectures = DL_TRY(parse_architectures(object));
  DL_TRY(parse_flags(object, profile));
  for (const auto& entry : DL_TRY(object.object_array("syscalls"))) profile.syscalls.push_back(DL_TRY(parse_rule(entry)));
  if (object.has("listenerPath")) {
    return json_error(object.path_of("listenerPath"), "is not supported", "minictr has no seccomp agent (SCMP_ACT_NOTIFY)");
  }
  return profile;
}

}  // namespace deploylab::ctr
