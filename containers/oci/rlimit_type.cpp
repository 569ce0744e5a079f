// containers/oci/rlimit_type.cpp: the table of rlimit_type.h.
#include "containers/oci/rlimit_type.h"

#include <sys/resource.h>

#include <array>

namespace deploylab::ctr {
namespace {

struct RlimitName {
  std::string_view name;
  int resource;
};

// Every limit Linux has (getrlimit(2)), in alphabetical order.
constexpr std::array<RlimitName, 16> kRlimits = {{
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
}};

}  // namespace

std::optional<int> rlimit_resource(std::string_view type) {
  for (const auto& limit : kRlimits) {
    if (limit.name == type) return limit.resource;
  }
  return std::nullopt;
}

std::string_view rlimit_name(int resource) {
  for (const auto& limit : kRlimits) {
    if (limit.resource == resource) return limit.name;
  }
  return {};
}

std::string known_rlimit_names() {
  std::string out;
  for (const auto& limit : kRlimits) out += (out.empty() ? "" : ", ") + std::string(limit.name);
  return out;
}

}  // namespace deploylab::ctr
