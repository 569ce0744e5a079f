// containers/oci/namespace_type.cpp: the name tables of namespace_type.h.
#include "containers/oci/namespace_type.h"

#include <sched.h>  // CLONE_NEW* (g++ defines _GNU_SOURCE)

namespace deploylab::ctr {
namespace {

struct Names {
  NamespaceType type;
  std::string_view oci;
  int flag;
  std::string_view proc;
};

// One row per kind: the table in namespace_type.h, in code.
constexpr std::array<Names, 8> kNames = {{
    {NamespaceType::pid, "pid", CLONE_NEWPID, "pid"},
    {NamespaceType::network, "network", CLONE_NEWNET, "net"},
    {NamespaceType::mount, "mount", CLONE_NEWNS, "mnt"},
    {NamespaceType::ipc, "ipc", CLONE_NEWIPC, "ipc"},
    {NamespaceType::uts, "uts", CLONE_NEWUTS, "uts"},
    {NamespaceType::user, "user", CLONE_NEWUSER, "user"},
    {NamespaceType::cgroup, "cgroup", CLONE_NEWCGROUP, "cgroup"},
    {NamespaceType::time, "time", CLONE_NEWTIME, "time"},
}};

const Names& row(NamespaceType type) {
  for (const auto& names : kNames) {
    if (names.type == type) return names;
  }
  return kNames[0];  // unreachable: every enumerator has a row
}

}  // namespace

std::string_view oci_name(NamespaceType type) { return row(type).oci; }

std::optional<NamespaceType> namespace_type_from_oci_name(std::string_view name) {
  for (const auto& names : kNames) {
    if (names.oci == name) return names.type;
  }
  return std::nullopt;
}

std::string known_namespace_names() {
  std::string out;
  for (const auto& names : kNames) out += (out.empty() ? "" : ", ") + std::string(names.oci);
  return out;
}

int clone_flag(NamespaceType type) { return row(type).flag; }

std::optional<NamespaceType> namespace_type_from_clone_flag(int flag) {
  for (const auto& names : kNames) {
    if (names.flag == flag) return names.type;
  }
  return std::nullopt;
}

std::string_view proc_ns_name(NamespaceType type) { return row(type).proc; }

std::optional<NamespaceType> namespace_type_from_proc_ns_name(std::string_view name) {
  for (const auto& names : kNames) {
    if (names.proc == name) return names.type;
  }
  return std::nullopt;
}

}  // namespace deploylab::ctr
