// containers/rootfs/cgroup_mount.cpp: the container's view of its cgroups at /sys/fs/cgroup
// (see cgroup_mount.h for the approach).
#include "containers/rootfs/cgroup_mount.h"

#include <sys/mount.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "common/file_io.h"
#include "containers/rootfs/mount_syscalls.h"

namespace deploylab::ctr {
namespace {

constexpr std::string_view kCgroupRoot = "/sys/fs/cgroup";

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

bool under_cgroup_root(const std::string& mount_point) {
  return mount_point == kCgroupRoot ||
         (mount_point.starts_with(kCgroupRoot) && mount_point[kCgroupRoot.size()] == '/');
}

// The /proc/self/cgroup line for a hierarchy: the v2 line for cgroup2; for v1 the line whose
// controllers all appear in the mount's options ("rw,cpu,cpuacct" is the cpu,cpuacct hierarchy).
const ProcCgroup* own_line(const MountInfo& mount, const std::vector<ProcCgroup>& own) {
  const std::vector<std::string> options = split(mount.super_options, ',');
  for (const ProcCgroup& line : own) {
    if (mount.fstype == "cgroup2" && line.hierarchy == "0") return &line;
    if (mount.fstype != "cgroup" || line.controllers.empty()) continue;
    auto listed = [&](const std::string& c) { return std::count(options.begin(), options.end(), c) > 0; };
    if (std::all_of(line.controllers.begin(), line.controllers.end(), listed)) return &line;
  }
  return nullptr;
}

// The process's cgroup as a path below the mount point: a mount of a subdirectory (root != "/")
// shows the tree from there down.
std::string source_of(const MountInfo& mount, const ProcCgroup& line) {
  std::string below = line.path;
  if (mount.root != "/" && below.starts_with(mount.root)) below = below.substr(mount.root.size());
  std::string source = std::filesystem::path(mount.mount_point + "/" + below).lexically_normal().string();
  if (source.size() > 1 && source.back() == '/') source.pop_back();
  return source;
}

// Hierarchies are bound read-only but the tmpfs holding them must take mkdir first: it gets the
// entry's flags without MS_RDONLY now, and MS_RDONLY at the end.
Result<void> mount_v1_view(const std::filesystem::path& target, const std::vector<CgroupBind>& binds,
                           unsigned long flags) {
  DL_TRY(mount_filesystem("tmpfs", target, "tmpfs", flags & ~static_cast<unsigned long>(MS_RDONLY), "mode=755"));
  for (const CgroupBind& bind : binds) {
    DL_TRY(make_directories(target / bind.name));
    DL_TRY(bind_mount(bind.source, target / bind.name, 0));
    DL_TRY(remount(target / bind.name, flags, 0));
  }
  // Co-mounted controllers appear under each name too (cpu -> cpu,cpuacct on some hosts).
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kCgroupRoot, error)) {
    if (!entry.is_symlink()) continue;
    DL_TRY(make_symlink(std::filesystem::read_symlink(entry.path()).string(), target / entry.path().filename()));
  }
  if ((flags & MS_RDONLY) != 0) DL_TRY(remount(target, MS_RDONLY, 0));
  return {};
}

}  // namespace

std::vector<ProcCgroup> parse_proc_cgroup(std::string_view text) {
  std::vector<ProcCgroup> lines;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::size_t first = line.find(':');
    std::size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    lines.push_back({line.substr(0, first), split(line.substr(first + 1, second - first - 1), ','),
                     line.substr(second + 1)});
  }
  return lines;
}

std::vector<CgroupBind> plan_cgroup_binds(const std::vector<MountInfo>& host, const std::vector<ProcCgroup>& own) {
  std::map<std::string, CgroupBind> by_name;  // a later mount at the same place hides the earlier one
  for (const MountInfo& mount : host) {
    if ((mount.fstype != "cgroup" && mount.fstype != "cgroup2") || !under_cgroup_root(mount.mount_point)) continue;
    const ProcCgroup* line = own_line(mount, own);
    if (line == nullptr) continue;
    std::string name = mount.mount_point.substr(std::min(mount.mount_point.size(), kCgroupRoot.size() + 1));
    by_name[name] = {source_of(mount, *line), name};
  }
  std::vector<CgroupBind> binds;
  for (auto& [name, bind] : by_name) binds.push_back(std::move(bind));
  return binds;
}

Result<void> mount_cgroups(const std::filesystem::path& target, unsigned long flags) {
  std::vector<MountInfo> host = DL_TRY(read_mountinfo());
  std::string own = DL_TRY(read_file("/proc/self/cgroup"));
  std::vector<CgroupBind> binds = plan_cgroup_binds(host, parse_proc_cgroup(own));
  if (binds.empty()) {
    return Error::invalid("no cgroup hierarchy is mounted under /sys/fs/cgroup on the host", target.string(),
                          "mount cgroup v1 or v2 there, or remove the \"cgroup\" mount from config.json");
  }
  if (binds.size() == 1 && binds.front().name.empty()) {  // cgroup v2 only: one tree
    DL_TRY(bind_mount(binds.front().source, target, 0));
    return remount(target, flags, 0);
  }
  return mount_v1_view(target, binds, flags);
}

}  // namespace deploylab::ctr
