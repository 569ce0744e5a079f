// containers/runtime/init_plan.h: everything the container's init will do, worked out from
// config.json before anything is created. Pure, so the translation is tested without root.
//
// The runtime (create.cpp) makes the plan, clones the init into the namespaces the plan names
// (clone_process.h), and the init (init_process.h) carries out the rest in order: join
// namespaces that already exist, wait for the parent's "go", hostname, mounts and pivot_root
// (containers/rootfs), sysctls, the terminal, rlimits, the user, the working directory, then
// the exec fifo and exec. The process's security settings (capabilities, no_new_privs, seccomp)
// are checked here too, so a bad name fails `create` before anything exists
// (containers/security/process_security.h).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/oci/spec.h"
#include "containers/rootfs/mount_plan.h"
#include "containers/security/process_security.h"

namespace deploylab::ctr {

struct NamespaceJoin {
  NamespaceType type;
  std::filesystem::path path;  // /proc/PID/ns/net, or a bind-mounted namespace file
};

struct InitPlan {
  // Namespaces.
  unsigned long clone_flags = 0;          // CLONE_NEW* that clone3 creates (never CLONE_NEWCGROUP)
  bool new_cgroup_namespace = false;      // made by the init itself, once it is in its cgroup
  std::vector<NamespaceJoin> joins;       // setns() into these; a user namespace first
  std::string uid_map, gid_map;           // /proc/PID/{uid,gid}_map text; empty: no user namespace
  // The container's view.
  std::string hostname, domainname;       // empty: leave as it is
  RootfsConfig rootfs;
  std::map<std::string, std::string> sysctl;
  // The process.
  std::vector<Rlimit> rlimits;
  std::optional<int> oom_score_adj;
  User user;
  bool no_new_privileges = false;
  ProcessSecurity security;               // capabilities, no_new_privs, the seccomp profile
  bool terminal = false;
  std::string cwd;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::vector<Hook> create_container_hooks, start_container_hooks;
  std::filesystem::path exec_fifo;        // empty: exec at once, without waiting for `start`
};

// The plan for `spec` (load_spec()'s result: root.path absolute).
Result<InitPlan> plan_init(const Spec& spec, const std::filesystem::path& exec_fifo);

// "0 100000 65536\n" lines for /proc/PID/uid_map.
std::string id_map_text(const std::vector<IdMapping>& mappings);

}  // namespace deploylab::ctr
