// containers/runtime/init_plan.cpp: config.json to the init's plan (see init_plan.h).
#include "containers/runtime/init_plan.h"

#include <sched.h>

#include <algorithm>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

// Which namespaces clone3 makes and which the init joins. A cgroup namespace is made later by
// the init itself: its root is the cgroup the process is in when it is made, and the init is
// moved into the container's cgroup only after clone (by the parent).
void plan_namespaces(const LinuxSpec& linux_spec, InitPlan& plan) {
  // BEGIN SOLUTION lab 5: sort config.json's namespaces into clone flags, joins (by path) and the cgroup one the init makes later
  for (const Namespace& ns : linux_spec.namespaces) {
    if (!ns.path.empty()) {
      plan.joins.push_back({ns.type, ns.path});
    } else if (ns.type == NamespaceType::cgroup) {
      plan.new_cgroup_namespace = true;
    } else {
      plan.clone_flags |= static_cast<unsigned long>(clone_flag(ns.type));
    }
  }
  // Joining a user namespace first gives the rights the other setns() calls need there.
  std::stable_partition(plan.joins.begin(), plan.joins.end(),
                        [](const NamespaceJoin& j) { return j.type == NamespaceType::user; });
  // END SOLUTION
}

RootfsConfig plan_rootfs(const Spec& spec) {
  RootfsConfig r;
  r.rootfs = spec.root.path;
  for (const Mount& m : spec.mounts) r.mounts.push_back({m.destination, m.type, m.source, m.options});
  r.root_access = spec.root.readonly ? RootAccess::read_only : RootAccess::read_write;
  r.masked_paths = spec.linux_spec.masked_paths;
  r.readonly_paths = spec.linux_spec.readonly_paths;
  for (const Device& d : spec.linux_spec.devices) {
    DeviceNode node;
    node.path = d.path;
    node.type = d.type.empty() ? 'c' : d.type[0];
    node.major = static_cast<unsigned>(d.major);
    node.minor = static_cast<unsigned>(d.minor);
    node.mode = d.file_mode.value_or(0666) & 07777;
    node.uid = d.uid.value_or(0);
    node.gid = d.gid.value_or(0);
    r.devices.push_back(node);
  }
  r.user_namespace = spec.linux_spec.has_namespace(NamespaceType::user) ? UserNamespace::used : UserNamespace::not_used;
  return r;
}

}  // namespace

std::string id_map_text(const std::vector<IdMapping>& mappings) {
  std::string text;
  // BEGIN SOLUTION lab 5: one "CONTAINER-ID HOST-ID SIZE" line per mapping, as /proc/PID/uid_map wants them
  for (const IdMapping& m : mappings) {
    text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " + std::to_string(m.size) + "\n";
  }
  // END SOLUTION
  return text;
}

Result<InitPlan> plan_init(const Spec& spec, const std::filesystem::path& exec_fifo) {
  if (!spec.root.path.is_absolute()) {
    return Error::invalid("root.path must be absolute by now", spec.root.path.string(), "load the spec with load_spec()");
  }
  InitPlan plan;
  plan_namespaces(spec.linux_spec, plan);
  const Namespace* user = spec.linux_spec.find_namespace(NamespaceType::user);
  if (user != nullptr && user->path.empty()) {
    plan.uid_map = id_map_text(spec.linux_spec.uid_mappings);
    plan.gid_map = id_map_text(spec.linux_spec.gid_mappings);
  }
  plan.hostname = spec.hostname;
  plan.domainname = spec.domainname;
  plan.rootfs = plan_rootfs(spec);
  plan.sysctl = spec.linux_spec.sysctl;
  plan.rlimits = spec.process.rlimits;
  plan.oom_score_adj = spec.process.oom_score_adj;
  plan.user = spec.process.user;
  plan.no_new_privileges = spec.process.no_new_privileges;
  plan.security = DL_TRY(plan_process_security(spec.process, spec.linux_spec.seccomp).context("checking config.json's security settings"));
  plan.terminal = spec.process.terminal;
  plan.cwd = spec.process.cwd;
  plan.args = spec.process.args;
  plan.env = spec.process.env;
  plan.create_container_hooks = spec.hooks.create_container;
  plan.start_container_hooks = spec.hooks.start_container;
  plan.exec_fifo = exec_fifo;
  return plan;
}

}  // namespace deploylab::ctr
