// common/temp_dir.h: TempDir, a scratch directory that is removed with everything in it when its
// owner goes away. Tests make one each, so a failed test leaves no files behind.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"

namespace deploylab {

class TempDir {
 public:
  TempDir() = default;
  ~TempDir() { reset(); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;

  // Creates `<parent>/<prefix>XXXXXX` (parent: $TMPDIR or /tmp when empty).
  static Result<TempDir> create(const std::string& prefix, std::filesystem::path parent = {});

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Keeps the directory on disk (for a post-mortem) and returns its path.
  std::filesystem::path release();
  void reset();

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace deploylab
