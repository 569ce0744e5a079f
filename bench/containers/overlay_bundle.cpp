// bench/containers/overlay_bundle.cpp: the disk row's overlay root (overlay_bundle.h).
#include "bench/containers/overlay_bundle.h"

#include <sys/mount.h>

#include <cerrno>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "common/child_process.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

// Runs `action` (syscalls only) in a child inside `ns` (or here), then lets it exec `true`.
Result<void> in_namespace(const PrivateMountNamespace* ns, std::function<Result<void>()> action) {
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  options.before_exec = [ns, &action]() -> Result<void> {
    if (ns != nullptr) DL_TRY(ns->enter());
    return action();
  };
  ChildProcess child = DL_TRY(ChildProcess::spawn({"true"}, std::move(options)));
  (void)child.wait();
  return {};
}

}  // namespace

OverlayDirs overlay_dirs(const fs::path& base, const fs::path& lower) {
  return {lower, base / "upper", base / "work", base / "merged"};
}

std::string overlay_options(const OverlayDirs& dirs) {
  for (const fs::path* dir : {&dirs.lower, &dirs.upper, &dirs.work}) {
    if (dir->string().find_first_of(",:") != std::string::npos) {
      throw std::invalid_argument("an overlay directory's path holds ',' or ':': " + dir->string());
    }
  }
  return "lowerdir=" + dirs.lower.string() + ",upperdir=" + dirs.upper.string() + ",workdir=" + dirs.work.string();
}

Result<OverlayMount> OverlayMount::mount(const fs::path& base, const fs::path& lower, const PrivateMountNamespace* ns) {
  OverlayDirs dirs = overlay_dirs(base, lower);
  std::error_code error;
  for (const fs::path* dir : {&dirs.upper, &dirs.work, &dirs.merged}) {
    fs::create_directories(*dir, error);
    if (error) return Error::os("mkdir", dir->string(), error.value());
  }
  std::string data = overlay_options(dirs);  // prepared before fork: the child only makes the syscall
  std::string target = dirs.merged.string();
  DL_TRY(in_namespace(ns, [&data, &target]() -> Result<void> {
    if (::mount("overlay", target.c_str(), "overlay", 0, data.c_str()) != 0) {
      return Error::os("mount -t overlay", target, errno, "does the kernel have overlayfs (modprobe overlay)?");
    }
    return {};
  }));
  return OverlayMount(base, std::move(dirs), ns);
}

OverlayMount::OverlayMount(OverlayMount&& other) noexcept
    : base_(std::exchange(other.base_, {})), dirs_(std::move(other.dirs_)), ns_(other.ns_) {}

OverlayMount::~OverlayMount() {
  if (base_.empty()) return;
  std::string target = dirs_.merged.string();
  auto unmounted = in_namespace(ns_, [&target]() -> Result<void> {
    if (::umount2(target.c_str(), MNT_DETACH) != 0) return Error::os("umount2", target, errno);
    return {};
  });
  if (!unmounted) {
    std::cerr << "container-rows: " << unmounted.error().message() << "; kept " << base_.string() << "\n";
    return;
  }
  std::error_code ignored;
  fs::remove_all(base_, ignored);
}

}  // namespace deploylab::bench
