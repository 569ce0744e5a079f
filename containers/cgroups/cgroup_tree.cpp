// containers/cgroups/cgroup_tree.cpp: creating and finding a container's cgroup directories
// under v1 and v2 (see cgroup_tree.h).
#include "containers/cgroups/cgroup_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "common/log.h"
#include "containers/cgroups/cgroup_files.h"

namespace deploylab::ctr {

namespace fs = std::filesystem;

namespace {

bool directory_exists(const fs::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

Error already_exists(const fs::path& dir) {
  return Error::os("mkdir", dir.string(), EEXIST,
                   "a cgroup of this name is already there: a stale container (delete it) or "
                   "another container's; choose another path");
}

// mkdir for each missing ancestor of mount/relative, recording those we made.
Result<void> make_parents(const fs::path& mount, const fs::path& relative, CgroupDirectories& out) {
  fs::path dir = mount;
  for (const fs::path& part : relative.parent_path()) {
    dir /= part;
    if (DL_TRY(make_cgroup_directory(dir)) == DirectoryCreated::created) out.created_parents.push_back(dir);
  }
  return {};
}

// v1: the container's directory in each hierarchy, once per hierarchy.
Result<void> make_v1_directories(const CgroupLayout& layout, const fs::path& relative,
                                 CgroupDirectories& out) {
  for (const std::string& controller : runtime_controllers(CgroupVersion::v1)) {
    auto mount = layout.v1_mount(controller);
    if (!mount) {
      spdlog::debug("no v1 hierarchy holds the {} controller: not using it", controller);
      continue;
    }
    fs::path dir = *mount / relative;
    bool joint = std::find(out.leaves.begin(), out.leaves.end(), dir) != out.leaves.end();
    if (!joint) {  // a joint hierarchy (cpu,cpuacct) already has the directory
      DL_TRY(make_parents(*mount, relative, out));
      if (DL_TRY(make_cgroup_directory(dir)) == DirectoryCreated::existed) return already_exists(dir);
      out.leaves.push_back(dir);
    }
    out.by_controller[controller] = dir;
  }
  return {};
}

// Writes "+memory +cpu" for the `wanted` controllers `dir` does not yet enable for its children.
Result<void> enable_for_children(const fs::path& dir, const std::set<std::string>& wanted) {
  std::set<std::string> enabled = parse_controller_list(DL_TRY(read_cgroup_file(dir, "cgroup.subtree_control")));
  std::string request;
  for (const std::string& controller : wanted) {
    if (!enabled.count(controller)) request += (request.empty() ? "+" : " +") + controller;
  }
  if (request.empty()) return {};
  return write_cgroup_file(dir, "cgroup.subtree_control", request)
      .context("enabling controllers for the children of " + dir.string());
}

// v2: the controllers the runtime wants that the hierarchy has at all.
Result<std::set<std::string>> v2_usable_controllers(const fs::path& root) {
  std::set<std::string> available = parse_controller_list(DL_TRY(read_cgroup_file(root, "cgroup.controllers")));
  std::set<std::string> usable;
  for (const std::string& controller : runtime_controllers(CgroupVersion::v2)) {
    if (available.count(controller)) {
      usable.insert(controller);
    } else {
      spdlog::debug("the cgroup v2 hierarchy at {} has no {} controller: not using it", root.string(), controller);
    }
  }
  return usable;
}

// v2: enable the controllers in every ancestor, top-down, creating missing ancestors.
Result<void> make_v2_directory(const CgroupLayout& layout, const fs::path& relative, CgroupDirectories& out) {
  std::set<std::string> usable = DL_TRY(v2_usable_controllers(layout.root));
  fs::path dir = layout.root;
  for (const fs::path& part : relative.parent_path()) {
    DL_TRY(enable_for_children(dir, usable));
    dir /= part;
    if (DL_TRY(make_cgroup_directory(dir)) == DirectoryCreated::created) out.created_parents.push_back(dir);
  }
  DL_TRY(enable_for_children(dir, usable));
  fs::path leaf = dir / relative.filename();
  if (DL_TRY(make_cgroup_directory(leaf)) == DirectoryCreated::existed) return already_exists(leaf);
  out.leaves.push_back(leaf);
  for (const std::string& controller : usable) out.by_controller[controller] = leaf;
  return {};
}

Result<CgroupDirectories> find_v1_directories(const CgroupLayout& layout, const fs::path& relative) {
  CgroupDirectories found;
  for (const std::string& controller : runtime_controllers(CgroupVersion::v1)) {
    auto mount = layout.v1_mount(controller);
    if (!mount) continue;
    fs::path dir = *mount / relative;
    if (!directory_exists(dir)) return Error::os("opening cgroup", dir.string(), ENOENT);
    found.by_controller[controller] = dir;
    if (std::find(found.leaves.begin(), found.leaves.end(), dir) == found.leaves.end()) found.leaves.push_back(dir);
  }
  return found;
}

// v2: the controllers a cgroup can use are those its parent enabled, listed in its own
// cgroup.controllers.
Result<CgroupDirectories> find_v2_directory(const fs::path& leaf) {
  if (!directory_exists(leaf)) return Error::os("opening cgroup", leaf.string(), ENOENT);
  CgroupDirectories found;
  found.leaves.push_back(leaf);
  auto enabled = parse_controller_list(DL_TRY(read_cgroup_file(leaf, "cgroup.controllers")));
  for (const std::string& controller : runtime_controllers(CgroupVersion::v2)) {
    if (enabled.count(controller)) found.by_controller[controller] = leaf;
  }
  return found;
}

}  // namespace

Result<fs::path> normalize_cgroup_path(std::string_view path) {
  fs::path relative;
  for (const fs::path& part : fs::path(path).relative_path()) {
    if (part.empty()) continue;  // "a//b" and a trailing "/"
    if (part == "." || part == "..") {
      return Error::invalid("cgroup path with `" + part.string() + "` in it", std::string(path),
                            "use a plain path such as minictr/web");
    }
    relative /= part;
  }
  if (relative.empty()) {
    return Error::invalid("empty cgroup path", std::string(path),
                          "the root cgroup belongs to the whole machine: use a path such as minictr/web");
  }
  return relative;
}

std::set<std::string> parse_controller_list(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::set<std::string> controllers;
  for (std::string name; in >> name;) controllers.insert(name);
  return controllers;
}

std::vector<std::string> runtime_controllers(CgroupVersion version) {
  if (version == CgroupVersion::v1) return {"memory", "cpu", "cpuacct", "pids"};
  return {"memory", "cpu", "pids"};  // v2's cpu controller also counts CPU time
}

Result<void> make_cgroup_directories(const CgroupLayout& layout, const fs::path& path,
                                     CgroupDirectories& out) {
  fs::path relative = DL_TRY(normalize_cgroup_path(path.string()));  // never mount / "/abs"
  if (layout.version() == CgroupVersion::v2) return make_v2_directory(layout, relative, out);
  return make_v1_directories(layout, relative, out);
}

Result<CgroupDirectories> find_cgroup_directories(const CgroupLayout& layout, const fs::path& path) {
  fs::path relative = DL_TRY(normalize_cgroup_path(path.string()));
  if (layout.version() == CgroupVersion::v2) return find_v2_directory(layout.root / relative);
  return find_v1_directories(layout, relative);
}

}  // namespace deploylab::ctr
