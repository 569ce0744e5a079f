// containers/cgroups/mode.cpp: telling legacy, hybrid and unified cgroups apart (see mode.h).
#include "containers/cgroups/mode.h"

#include <sys/vfs.h>

#include <cerrno>

namespace deploylab::ctr {

std::string_view to_string(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::legacy: return "legacy";
    case CgroupMode::hybrid: return "hybrid";
    case CgroupMode::unified: return "unified";
  }
  return "unknown";
}

std::string_view to_string(CgroupVersion version) {
  return version == CgroupVersion::v2 ? "v2" : "v1";
}

CgroupVersion version_for(CgroupMode mode) {
  return mode == CgroupMode::unified ? CgroupVersion::v2 : CgroupVersion::v1;
}

CgroupMode classify_cgroup_mode(unsigned long root_fs_magic,
                                std::optional<unsigned long> unified_fs_magic) {
  if (root_fs_magic == kCgroup2SuperMagic) return CgroupMode::unified;
  // systemd's hybrid layout: the v1 hierarchies under a tmpfs, plus a v2 tree at root/unified.
  if (root_fs_magic == kTmpfsMagic && unified_fs_magic == kCgroup2SuperMagic) {
    return CgroupMode::hybrid;
  }
  return CgroupMode::legacy;
}

namespace {

// The f_type of the file system `path` is on, or the errno of statfs(2).
Result<unsigned long> fs_magic(const std::filesystem::path& path) {
  struct statfs info {};
  int rc;
  do rc = ::statfs(path.c_str(), &info);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    return Error::os("statfs", path.string(), errno,
                     "is a cgroup file system mounted there? (mount -t cgroup2 none " +
                         path.string() + ")");
  }
  return static_cast<unsigned long>(info.f_type);
}

}  // namespace

Result<CgroupMode> detect_cgroup_mode(const std::filesystem::path& root) {
  unsigned long root_magic = DL_TRY(fs_magic(root).context("detecting the cgroup mode"));
  std::optional<unsigned long> unified_magic;
  // root/unified exists only in the hybrid layout; its absence is the common case, not an error.
  if (auto magic = fs_magic(root / "unified"); magic.ok()) unified_magic = magic.value();
  return classify_cgroup_mode(root_magic, unified_magic);
}

}  // namespace deploylab::ctr
