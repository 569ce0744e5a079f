// containers/cgroups/layout.cpp: reading the mount table into a CgroupLayout (see layout.h).
#include "containers/cgroups/layout.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "common/file_io.h"

namespace deploylab::ctr {

std::optional<std::filesystem::path> CgroupLayout::v1_mount(std::string_view controller) const {
  auto it = v1_mounts.find(std::string(controller));
  if (it == v1_mounts.end()) return std::nullopt;
  return it->second;
}

namespace {

// The controllers a v1 hierarchy can hold (cat /proc/cgroups). Everything else in a cgroup
// mount's super options is a flag (rw, xattr, noprefix) or a name (name=systemd).
constexpr std::array<std::string_view, 14> kV1Controllers = {
    "blkio",   "cpu",     "cpuacct", "cpuset", "devices", "freezer", "hugetlb",
    "memory",  "misc",    "net_cls", "net_prio", "perf_event", "pids", "rdma"};

bool is_v1_controller(std::string_view option) {
  return std::find(kV1Controllers.begin(), kV1Controllers.end(), option) != kV1Controllers.end();
}

// Whether field[i..i+3] is a backslash and three octal digits.
bool is_octal_escape(std::string_view field, std::size_t i) {
  if (field[i] != '\\' || i + 4 > field.size()) return false;
  return std::all_of(field.begin() + i + 1, field.begin() + i + 4,
                     [](char c) { return c >= '0' && c <= '7'; });
}

// mountinfo writes space, tab, newline and backslash in paths as \ooo (octal): "\040" is ' '.
std::string decode_octal_escapes(std::string_view field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (!is_octal_escape(field, i)) {
      out += field[i];
      continue;
    }
    out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
    i += 3;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(separator, start)) != std::string_view::npos; start = end + 1) {
    parts.emplace_back(text.substr(start, end - start));
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

// One line: six fixed fields, optional fields up to "-", then type, source and super options.
std::optional<MountinfoEntry> parse_mountinfo_line(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(std::move(field));
  if (fields.size() < 10) return std::nullopt;
  auto dash = std::find(fields.begin() + 6, fields.end(), "-");
  if (fields.end() - dash < 4) return std::nullopt;
  MountinfoEntry entry;
  entry.root = decode_octal_escapes(fields[3]);
  entry.mount_point = decode_octal_escapes(fields[4]);
  entry.fs_type = *(dash + 1);
  entry.super_options = split(*(dash + 3), ',');
  return entry;
}

// Whether `path` is `root` or lies below it (both absolute and normalized by the kernel).
bool is_under(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto [root_end, path_end] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

}  // namespace

Result<std::vector<MountinfoEntry>> parse_mountinfo_entries(std::string_view text) {
  std::vector<MountinfoEntry> entries;
  std::size_t number = 0;
  for (const std::string& line : split(text, '\n')) {
    ++number;
    if (line.empty()) continue;
    auto entry = parse_mountinfo_line(line);
    if (!entry) {
      return Error::invalid("malformed mountinfo line " + std::to_string(number), line,
                            "expected `ID PARENT MAJ:MIN ROOT MOUNT OPTIONS ... - TYPE SOURCE SUPER`");
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

std::map<std::string, std::filesystem::path> v1_controller_mounts(
    const std::vector<MountinfoEntry>& mounts, const std::filesystem::path& root) {
  std::map<std::string, std::filesystem::path> controllers;
  for (const MountinfoEntry& mount : mounts) {
    if (mount.fs_type != "cgroup" || !is_under(mount.mount_point, root)) continue;
    for (const std::string& option : mount.super_options) {
      // The first mount of a hierarchy wins: later ones are bind mounts of the same tree.
      if (is_v1_controller(option)) controllers.emplace(option, mount.mount_point);
    }
  }
  return controllers;
}

Result<CgroupLayout> layout_from_mountinfo(CgroupMode mode, const std::filesystem::path& root,
                                           std::string_view mountinfo) {
  CgroupLayout layout{mode, root, {}};
  if (mode == CgroupMode::unified) return layout;
  auto mounts = DL_TRY(parse_mountinfo_entries(mountinfo));
  layout.v1_mounts = v1_controller_mounts(mounts, root);
  if (layout.v1_mounts.empty()) {
    return Error::invalid("no cgroup hierarchy is mounted", root.string(),
                          "mount cgroup v2 there (mount -t cgroup2 none " + root.string() +
                              ") or the v1 hierarchies (mount -t cgroup -o memory ...)");
  }
  return layout;
}

Result<CgroupLayout> discover_layout(const std::filesystem::path& root) {
  CgroupMode mode = DL_TRY(detect_cgroup_mode(root));
  std::string mountinfo = DL_TRY(read_file("/proc/self/mountinfo"));
  return layout_from_mountinfo(mode, root, mountinfo).context("finding the cgroup hierarchies");
}

}  // namespace deploylab::ctr
