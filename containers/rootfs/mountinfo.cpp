// containers/rootfs/mountinfo.cpp: parsing /proc/<pid>/mountinfo (see mountinfo.h).
#include "containers/rootfs/mountinfo.h"

#include <optional>
#include <sstream>

#include "common/file_io.h"

namespace deploylab::ctr {
namespace {

// True when field[i..i+3] is a backslash and three octal digits ("\040").
bool octal_escape_at(const std::string& field, std::size_t i) {
  if (field[i] != '\\' || i + 3 >= field.size()) return false;
  for (std::size_t k = i + 1; k <= i + 3; ++k) {
    if (field[k] < '0' || field[k] > '7') return false;
  }
  return true;
}

// "\040" -> " ": the kernel escapes space, tab, newline and backslash in paths as octal.
std::string unescape(const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (!octal_escape_at(field, i)) {
      out += field[i];
      continue;
    }
    out += static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8));
    i += 3;
  }
  return out;
}

std::optional<MountInfo> parse_line(const std::string& line) {
  std::istringstream in(line);
  MountInfo info;
  std::string devices, field;
  if (!(in >> info.id >> info.parent_id >> devices >> info.root >> info.mount_point >> info.options)) {
    return std::nullopt;
  }
  while (in >> field && field != "-") {}  // optional fields (shared:N, master:N) up to the "-"
  if (field != "-" || !(in >> info.fstype >> info.source)) return std::nullopt;
  in >> info.super_options;  // may be absent on odd filesystems
  info.root = unescape(info.root);
  info.mount_point = unescape(info.mount_point);
  info.source = unescape(info.source);
  return info;
}

}  // namespace

std::vector<MountInfo> parse_mountinfo(std::string_view text) {
  std::vector<MountInfo> mounts;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (auto info = parse_line(line)) mounts.push_back(std::move(*info));
  }
  return mounts;
}

Result<std::vector<MountInfo>> read_mountinfo(const std::filesystem::path& file) {
  std::string text = DL_TRY(read_file(file).context("reading the mount table"));
  return parse_mountinfo(text);
}

}  // namespace deploylab::ctr
