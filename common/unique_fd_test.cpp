// common/unique_fd_test.cpp: UniqueFd closes exactly once and moves ownership.
#include "common/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace deploylab {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_devnull() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

TEST(UniqueFd, ClosesWhenItGoesOutOfScope) {
  int raw;
  {
    UniqueFd fd(open_devnull());
    raw = fd.get();
    ASSERT_TRUE(is_open(raw));
  }
  EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, MoveTransfersOwnership) {
  UniqueFd a(open_devnull());
  int raw = a.get();
  UniqueFd b(std::move(a));
  EXPECT_FALSE(a.valid());  // NOLINT: checking the moved-from state is the point
  EXPECT_EQ(b.get(), raw);
  UniqueFd c;
  c = std::move(b);
  EXPECT_EQ(c.get(), raw);
  EXPECT_TRUE(is_open(raw));
}

TEST(UniqueFd, MoveAssignClosesTheOldFd) {
  UniqueFd a(open_devnull());
  UniqueFd b(open_devnull());
  int old = a.get();
  a = std::move(b);
  EXPECT_FALSE(is_open(old));
}

TEST(UniqueFd, ReleaseGivesUpOwnership) {
  int raw;
  {
    UniqueFd fd(open_devnull());
    raw = fd.release();
    EXPECT_FALSE(fd.valid());
  }
  EXPECT_TRUE(is_open(raw));
  ::close(raw);
}

TEST(UniqueFd, ResetClosesAndAdopts) {
  UniqueFd fd(open_devnull());
  int old = fd.get();
  fd.reset(open_devnull());
  EXPECT_FALSE(is_open(old) && old != fd.get());
  fd.reset();
  EXPECT_FALSE(fd.valid());
}

}  // namespace
}  // namespace deploylab
