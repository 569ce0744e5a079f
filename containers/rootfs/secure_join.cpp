// containers/rootfs/secure_join.cpp: component-by-component path resolution inside a rootfs
// (see secure_join.h for why).
#include "containers/rootfs/secure_join.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <deque>
#include <vector>

namespace deploylab::ctr {
namespace {

constexpr int kMaxSymlinks = 40;  // the kernel's own limit (MAXSYMLINKS)

// "a//b/./c" -> {"a", "b", ".", "c"}: empty components dropped; "." and ".." kept for the walk.
std::deque<std::string> components(const std::string& path) {
  std::deque<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::filesystem::path join(const std::filesystem::path& root, const std::vector<std::string>& parts) {
  std::filesystem::path out = root;
  for (const auto& part : parts) out /= part;
  return out;
}

Result<std::string> read_link(const std::filesystem::path& link) {
  std::string target(PATH_MAX, '\0');
  ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
  if (n < 0) return Error::os("readlink", link.string(), errno);
  target.resize(static_cast<std::size_t>(n));
  return target;
}

}  // namespace

Result<std::filesystem::path> resolve_in_root(const std::filesystem::path& root, const std::string& path) {
  if (!root.is_absolute()) return Error::invalid("the rootfs must be an absolute path", root.string());
  // BEGIN SOLUTION lab 6: resolve a container path inside the rootfs, following symlinks without ever leaving it
  std::deque<std::string> pending = components(path);
  std::vector<std::string> resolved;  // components below root, symlink-free so far
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {  // ".." at the root stays at the root, as it does for the container
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    std::filesystem::path candidate = join(root, resolved) / part;
    struct stat st {};
    if (::lstat(candidate.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      resolved.push_back(std::move(part));  // a real entry, or one still to be made
      continue;
    }
    if (++links > kMaxSymlinks) {
      return Error::os("resolving", join(root, resolved).string() + "/" + part, ELOOP,
                       "the rootfs has a symlink loop under " + path);
    }
    std::string target = DL_TRY(read_link(candidate));
    if (!target.empty() && target.front() == '/') resolved.clear();  // absolute: from the rootfs
    std::deque<std::string> more = components(target);
    pending.insert(pending.begin(), more.begin(), more.end());
  }
  return join(root, resolved);
  // END SOLUTION
}

}  // namespace deploylab::ctr
