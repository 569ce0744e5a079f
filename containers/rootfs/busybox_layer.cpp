// containers/rootfs/busybox_layer.cpp: the busybox image layer (see busybox_layer.h).
#include "containers/rootfs/busybox_layer.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "containers/rootfs/mount_syscalls.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

// Bumped when the layout below changes, so old layers are not mistaken for new ones.
constexpr const char* kLayoutVersion = "deploylab busybox layer v1";

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
constexpr const char* kGroup =
    "root:x:0:\n"
    "tty:x:5:\n"
    "nogroup:x:65534:\n";

struct Directory {
  const char* path;
  mode_t mode;
};

// tmp is world-writable with the sticky bit (users cannot delete each other's files); root's
// home is private.
constexpr Directory kDirectories[] = {
    {"bin", 0755}, {"sbin", 0755}, {"usr", 0755},  {"usr/bin", 0755}, {"usr/sbin", 0755},
    {"etc", 0755}, {"proc", 0555}, {"sys", 0555},  {"dev", 0755},     {"tmp", 01777},
    {"root", 0700},
};

Result<void> set_mode(const fs::path& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) == 0) return {};
  return Error::os("chmod", path.string(), errno);
}

Result<void> write_text(const fs::path& path, const std::string& text) {
  DL_TRY(write_file_atomic(path, text));
  return set_mode(path, 0644);
}

Result<void> copy_busybox(const fs::path& busybox, const fs::path& dir) {
  std::error_code error;
  fs::copy_file(busybox, dir / "bin/busybox", error);
  if (error) return Error::os("copy", busybox.string() + " -> " + (dir / "bin/busybox").string(), error.value());
  return set_mode(dir / "bin/busybox", 0755);
}

// Timestamp 0 (1970) on every entry, links themselves included, so two builds are identical.
Result<void> zero_timestamps(const fs::path& dir) {
  const struct timespec times[2] = {{0, 0}, {0, 0}};
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error); !error && it != fs::end(it); it.increment(error)) {
    if (::utimensat(AT_FDCWD, it->path().c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error::os("utimensat", it->path().string(), errno);
    }
  }
  if (error) return Error::os("walking", dir.string(), error.value());
  if (::utimensat(AT_FDCWD, dir.c_str(), times, 0) != 0) return Error::os("utimensat", dir.string(), errno);
  return {};
}

}  // namespace

Result<std::vector<std::string>> busybox_applets(const fs::path& busybox) {
  std::string out = DL_TRY(run_checked({busybox.string(), "--list-full"})
                               .context("listing the applets of " + busybox.string()));
  std::vector<std::string> applets;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line != "bin/busybox") applets.push_back(line);
  }
  std::sort(applets.begin(), applets.end());
  return applets;
}

std::string busybox_layer_recipe(const std::string& busybox_digest, const std::vector<std::string>& applets) {
  std::string recipe = std::string(kLayoutVersion) + "\nbusybox sha256 " + busybox_digest + "\n";
  for (const auto& d : kDirectories) recipe += "dir " + std::string(d.path) + " " + std::to_string(d.mode) + "\n";
  for (const auto& applet : applets) recipe += "applet " + applet + "\n";
  return recipe + "passwd\n" + kPasswd + "group\n" + kGroup;
}

Result<void> write_busybox_layer(const fs::path& dir, const fs::path& busybox, const std::vector<std::string>& applets) {
  for (const Directory& d : kDirectories) {
    DL_TRY(make_directories(dir / d.path));
    DL_TRY(set_mode(dir / d.path, d.mode));
  }
  DL_TRY(set_mode(dir, 0755));
  DL_TRY(copy_busybox(busybox, dir));
  for (const std::string& applet : applets) {
    DL_TRY(make_symlink("/bin/busybox", dir / applet));
  }
  DL_TRY(write_text(dir / "etc/passwd", kPasswd));
  DL_TRY(write_text(dir / "etc/group", kGroup));
  return zero_timestamps(dir);
}

}  // namespace deploylab::ctr
