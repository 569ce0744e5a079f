// common/build_tree.h: where this binary came from. A tool built in BUILD/bin/ (grade, vmhost)
// reads BUILD/CMakeCache.txt to find its source tree, so its --source and --build-dir
// options default to the tree it was built from, wherever it is run.
#pragma once

#include <filesystem>

namespace deploylab {

struct BuildTree {
  std::filesystem::path source;  // empty when this binary does not sit in a CMake build tree
  std::filesystem::path build;
};

BuildTree tree_of_this_binary();
// The source tree of this binary, else the current directory.
std::filesystem::path default_source_root();
// The build tree of this binary, else SOURCE/build.
std::filesystem::path default_build_dir(const std::filesystem::path& source);

// Where `make deps` put the guest kernel, initramfs and rootfs: $DEPLOYLAB_ASSETS when set (a
// second build tree, such as build-asan/ or a scratch copy, shares the first one's), else
// BUILD/assets of the tree this binary belongs to.
std::filesystem::path default_assets_dir();

}  // namespace deploylab
