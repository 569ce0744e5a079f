// containers/oci/namespace_type.h: the eight Linux namespace kinds and their three names.
//
// One namespace kind goes by a different name in each place a runtime meets it:
//
//   kind      config.json ("type")   clone/unshare/setns flag   /proc/PID/ns/<file>
//   pid       "pid"                  CLONE_NEWPID               pid
//   network   "network"              CLONE_NEWNET               net
//   mount     "mount"                CLONE_NEWNS                mnt
//   ipc       "ipc"                  CLONE_NEWIPC               ipc
//   uts       "uts"                  CLONE_NEWUTS               uts
//   user      "user"                 CLONE_NEWUSER              user
//   cgroup    "cgroup"               CLONE_NEWCGROUP            cgroup
//   time      "time"                 CLONE_NEWTIME              time
//
// CLONE_NEWNS is "new namespace" because the mount namespace was the first one (Linux 2.4.19),
// before anyone expected more. These helpers are pure; spec.cpp parses with them and the runtime
// (containers/namespaces) uses the flags and file names.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace deploylab::ctr {

enum class NamespaceType { pid, network, mount, ipc, uts, user, cgroup, time };

// Every kind, in the order of the table above (for loops and "known: ..." messages).
inline constexpr std::array<NamespaceType, 8> kAllNamespaceTypes = {
    NamespaceType::pid,  NamespaceType::network, NamespaceType::mount,  NamespaceType::ipc,
    NamespaceType::uts,  NamespaceType::user,    NamespaceType::cgroup, NamespaceType::time};

// The OCI name, as config.json's linux.namespaces[].type spells it: "network", "mount".
std::string_view oci_name(NamespaceType type);
// The kind an OCI name stands for; std::nullopt for a name the spec does not define.
std::optional<NamespaceType> namespace_type_from_oci_name(std::string_view name);
// "pid, network, mount, ipc, uts, user, cgroup, time": for error messages.
std::string known_namespace_names();

// The CLONE_NEW* flag for clone(2), unshare(2) and setns(2).
int clone_flag(NamespaceType type);
// The kind a single CLONE_NEW* flag stands for; std::nullopt for anything else.
std::optional<NamespaceType> namespace_type_from_clone_flag(int flag);

// The file name under /proc/PID/ns/: "net" for network, "mnt" for mount.
std::string_view proc_ns_name(NamespaceType type);
std::optional<NamespaceType> namespace_type_from_proc_ns_name(std::string_view name);

}  // namespace deploylab::ctr
