// common/file_io_test.cpp: whole-file reads and atomic writes.
#include "common/file_io.h"

#include <gtest/gtest.h>

#include "common/temp_dir.h"

namespace deploylab {
namespace {

TEST(FileIo, WriteThenReadBack) {
  auto dir = TempDir::create("deploylab-test-").value();
  std::string big(300000, 'q');
  ASSERT_TRUE(write_file_atomic(dir / "f", big).ok());
  EXPECT_EQ(read_file(dir / "f").value(), big);
}

TEST(FileIo, AtomicWriteLeavesNoTemporaryBehind) {
  auto dir = TempDir::create("deploylab-test-").value();
  ASSERT_TRUE(write_file_atomic(dir / "f", "one").ok());
  ASSERT_TRUE(write_file_atomic(dir / "f", "two").ok());
  EXPECT_EQ(read_file(dir / "f").value(), "two");
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(FileIo, MissingFileErrorNamesThePath) {
  auto r = read_file("/nonexistent/deploylab.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "open `/nonexistent/deploylab.txt`: No such file or directory [ENOENT]");
}

TEST(FileIo, WriteIntoMissingDirectoryIsAnError) {
  auto r = write_file_atomic("/nonexistent/dir/f", "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ENOENT);
}

}  // namespace
}  // namespace deploylab
