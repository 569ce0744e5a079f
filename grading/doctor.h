// grading/doctor.h: `grade doctor` judges MachineFacts (machine_facts.h): can this machine run
// the labs, and if not, what exactly to do. Pure: facts in, checks out.
//
// The virtualization verdict (hypervisor/vmhost/virtualization.h) says where the hypervisor labs
// run on this machine: natively with hardware KVM, inside `vmhost` otherwise.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "grading/machine_facts.h"

namespace deploylab::grading {

enum class Verdict { ok, warn, fail };

struct Check {
  std::string area;     // "cgroups"
  Verdict verdict = Verdict::ok;
  std::string finding;  // what is true here: "hybrid: v1 controllers + cgroup2 at /sys/fs/cgroup/unified"
  std::string fix;      // what to do, when not ok
};

enum class CgroupMode { none, v1, hybrid, v2 };
struct CgroupLayout {
  CgroupMode mode = CgroupMode::none;
  std::set<std::string> v1_controllers;  // mounted v1 hierarchies: cpu, memory, pids ...
};
// Decides the cgroup mode from /proc/self/mounts the way runc does from statfs: cgroup2 at
// /sys/fs/cgroup is v2 (unified); v1 hierarchies with cgroup2 at /sys/fs/cgroup/unified is
// hybrid; v1 alone is v1.
CgroupLayout detect_cgroups(std::string_view mounts);
std::string to_string(CgroupMode mode);

// Every check, in the order the report prints them.
std::vector<Check> diagnose(const MachineFacts& facts);
// The report: a line per check, its fix below it, and a closing summary line.
std::string format_report(const std::vector<Check>& checks);
bool any_failed(const std::vector<Check>& checks);

}  // namespace deploylab::grading
