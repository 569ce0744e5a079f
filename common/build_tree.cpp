// common/build_tree.cpp: reading CMakeCache.txt beside this binary (see build_tree.h).
#include "common/build_tree.h"

#include <cstdlib>
#include <string>

#include "common/file_io.h"

namespace deploylab {

namespace fs = std::filesystem;

BuildTree tree_of_this_binary() {
  std::error_code ec;
  fs::path build = fs::read_symlink("/proc/self/exe", ec).parent_path().parent_path();
  if (ec) return {};
  auto cache = read_file(build / "CMakeCache.txt");
  if (!cache.ok()) return {};
  const std::string key = "\nCMAKE_HOME_DIRECTORY:INTERNAL=";
  const std::string& text = cache.value();
  std::size_t at = text.find(key);
  if (at == std::string::npos) return {};
  std::size_t start = at + key.size();
  return {fs::path(text.substr(start, text.find('\n', start) - start)), build};
}

fs::path default_source_root() {
  BuildTree tree = tree_of_this_binary();
  if (!tree.source.empty()) return tree.source;
  std::error_code ec;
  return fs::current_path(ec);
}

fs::path default_build_dir(const fs::path& source) {
  BuildTree tree = tree_of_this_binary();
  if (!tree.build.empty()) return tree.build;
  return source / "build";
}

fs::path default_assets_dir() {
  const char* assets = std::getenv("DEPLOYLAB_ASSETS");
  if (assets != nullptr && *assets != '\0') return assets;
  return default_build_dir(default_source_root()) / "assets";
}

}  // namespace deploylab
