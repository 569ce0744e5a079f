// bench/vm/memory_cgroup.cpp: the density run's memory cgroup (memory_cgroup.h).
#include "bench/vm/memory_cgroup.h"

#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

namespace deploylab::bench {
namespace {

bool has_memory_controller(const ctr::CgroupLayout& layout) {
  if (layout.version() == ctr::CgroupVersion::v1) return layout.v1_mount("memory").has_value();
  auto controllers = std::ifstream(layout.root / "cgroup.controllers");
  std::string word;
  while (controllers >> word) {
    if (word == "memory") return true;
  }
  return false;
}

}  // namespace

Result<MemoryCgroup> MemoryCgroup::create(std::uint64_t limit_bytes, const std::filesystem::path& scratch) {
  MemoryCgroup out;
  auto layout = ctr::discover_layout();
  if (layout && has_memory_controller(layout.value())) {
    out.description_ = "cgroup " + std::string(ctr::to_string(layout.value().version())) + " memory controller";
  } else {
    // No memory controller mounted (the test host mounts no cgroups): a cgroup2 of our own.
    std::filesystem::path mount_point = scratch / "cgroup2";
    std::filesystem::create_directories(mount_point);
    if (::mount("cgroup2", mount_point.c_str(), "cgroup2", 0, nullptr) != 0) {
      return Error::os("mount cgroup2", mount_point.string(), errno,
                       "no memory cgroup is mounted and cgroup2 cannot be: run as root");
    }
    out.mounted_ = mount_point;
    layout = ctr::discover_layout(mount_point);
    if (!layout || !has_memory_controller(layout.value())) {
      return Error::invalid("no memory controller in cgroup v1 or v2", mount_point.string(),
                            "the kernel lacks CONFIG_MEMCG, or memory is bound to a v1 hierarchy not mounted");
    }
    out.description_ = "cgroup v2 memory controller (mounted by vm-rows)";
  }
  ctr::Resources resources;
  resources.memory.limit = static_cast<std::int64_t>(limit_bytes);
  std::string name = "deploylab-vm-rows-" + std::to_string(::getpid());
  out.cgroup_.emplace(DL_TRY(ctr::Cgroup::create(layout.value(), name, resources).context("the density cgroup")));
  return out;
}

MemoryCgroup::MemoryCgroup(MemoryCgroup&& other) noexcept
    : cgroup_(std::move(other.cgroup_)), mounted_(std::move(other.mounted_)), description_(std::move(other.description_)) {
  other.cgroup_.reset();
  other.mounted_.clear();
}

MemoryCgroup::~MemoryCgroup() {
  cgroup_.reset();  // kills what runs inside and removes the directories
  if (!mounted_.empty()) ::umount2(mounted_.c_str(), MNT_DETACH);
}

std::vector<std::string> MemoryCgroup::procs_files() const {
  std::vector<std::string> files;
  if (!cgroup_) return files;
  for (const auto& dir : cgroup_->directories()) files.push_back((dir / "cgroup.procs").string());
  return files;
}

}  // namespace deploylab::bench
