// common/temp_dir.cpp: mkdtemp and recursive removal for TempDir (see temp_dir.h).
#include "common/temp_dir.h"

#include <cerrno>
#include <cstdlib>

namespace deploylab {

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    reset();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

Result<TempDir> TempDir::create(const std::string& prefix, std::filesystem::path parent) {
  if (parent.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    parent = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  }
  const std::string pattern = (parent / (prefix + "XXXXXX")).string();
  std::string path = pattern;  // mkdtemp fills in the Xs, even when it fails
  if (::mkdtemp(path.data()) == nullptr) {
    return Error::os("mkdtemp", pattern, errno, "is the parent directory there and writable?");
  }
  return TempDir(path);
}

std::filesystem::path TempDir::release() {
  auto kept = std::move(path_);
  path_.clear();
  return kept;
}

void TempDir::reset() {
  if (path_.empty()) return;
  std::error_code ignored;  // a destructor cannot report; a leftover dir in /tmp is the worst case
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace deploylab
