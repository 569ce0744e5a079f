// bench/containers/hybrid_cgroups.cpp: spotting the hybrid cgroup layout in mountinfo
// (hybrid_cgroups.h).
#include "bench/containers/hybrid_cgroups.h"

#include <sstream>
#include <vector>

namespace deploylab::bench {
namespace {

// One line of /proc/PID/mountinfo (proc(5)): "36 35 98:0 / /mnt rw - ext3 /dev/root rw": the
// mount point is the fifth field, the filesystem type the first one after the " - " separator.
struct MountLine {
  std::string mount_point;
  std::string fs_type;
};

std::optional<MountLine> parse_line(const std::string& line) {
  std::istringstream fields(line);
  std::vector<std::string> words;
  for (std::string word; fields >> word;) words.push_back(word);
  if (words.size() < 7) return std::nullopt;
  for (std::size_t i = 6; i + 1 < words.size(); ++i) {
    if (words[i] == "-") return MountLine{words[4], words[i + 1]};
  }
  return std::nullopt;
}

bool below_cgroup_root(const std::string& mount_point) { return mount_point.starts_with("/sys/fs/cgroup/"); }

}  // namespace

std::optional<std::string> hybrid_cgroup2_mount(const std::string& mountinfo) {
  std::optional<std::string> cgroup2;
  bool v1 = false;
  std::istringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    auto mount = parse_line(line);
    if (!mount || !below_cgroup_root(mount->mount_point)) continue;
    if (mount->fs_type == "cgroup") v1 = true;
    if (mount->fs_type == "cgroup2") cgroup2 = mount->mount_point;
  }
  if (!v1) return std::nullopt;
  return cgroup2;
}

}  // namespace deploylab::bench
