// common/temp_dir_test.cpp: TempDir removes everything it holds.
#include "common/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace deploylab {
namespace {

TEST(TempDir, RemovesItselfAndItsContents) {
  std::filesystem::path path;
  {
    auto dir = TempDir::create("deploylab-test-").value();
    path = dir.path();
    std::filesystem::create_directories(dir / "a/b");
    std::ofstream(dir / "a/b/file") << "data";
    EXPECT_TRUE(std::filesystem::exists(path / "a/b/file"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, ReleaseKeepsIt) {
  std::filesystem::path kept;
  {
    auto dir = TempDir::create("deploylab-test-").value();
    kept = dir.release();
  }
  EXPECT_TRUE(std::filesystem::is_directory(kept));
  std::filesystem::remove_all(kept);
}

TEST(TempDir, MissingParentIsAClearError) {
  auto dir = TempDir::create("x-", "/nonexistent-parent");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().op, "mkdtemp");
  EXPECT_NE(dir.error().message().find("/nonexistent-parent/x-XXXXXX"), std::string::npos);
}

}  // namespace
}  // namespace deploylab
