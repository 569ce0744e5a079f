// common/result_test.cpp: Error messages, Result<T> and DL_TRY.
#include "common/result.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace deploylab {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error::invalid("not a digit", std::string(1, c), "use 0-9");
  return c - '0';
}

Result<int> add_digits(char a, char b) {
  int x = DL_TRY(parse_digit(a).context("first digit"));
  int y = DL_TRY(parse_digit(b).context("second digit"));
  return x + y;
}

Result<void> check_even(int n) {
  if (n % 2 != 0) return Error::invalid("odd number", std::to_string(n));
  return {};
}

Result<int> half(int n) {
  DL_TRY(check_even(n));
  return n / 2;
}

TEST(Error, MessageCarriesOperationObjectErrnoAndHint) {
  Error e = Error::os("mkdir", "/sys/fs/cgroup/memory/deploylab", EACCES, "run as root");
  EXPECT_EQ(e.message(), "mkdir `/sys/fs/cgroup/memory/deploylab`: Permission denied [EACCES] (hint: run as root)");
}

TEST(Error, ContextIsAddedOutermostFirst) {
  Error e = Error::os("open", "/x", ENOENT);
  e.with_context("reading config").with_context("starting container `web`");
  EXPECT_EQ(e.message(), "starting container `web`: reading config: open `/x`: No such file or directory [ENOENT]");
}

TEST(Error, UnknownErrnoStillHasAName) {
  EXPECT_EQ(errno_name(ENOENT), "ENOENT");
  EXPECT_EQ(errno_name(99999), "errno 99999");
}

TEST(Result, DlTryYieldsTheValue) {
  auto sum = add_digits('3', '4');
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum.value(), 7);
}

TEST(Result, DlTryReturnsTheErrorWithContext) {
  auto sum = add_digits('3', 'x');
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().message(), "second digit: not a digit `x` (hint: use 0-9)");
}

TEST(Result, VoidResults) {
  EXPECT_EQ(half(8).value(), 4);
  EXPECT_EQ(half(7).error().op, "odd number");
  Result<void> fine;
  EXPECT_TRUE(fine.ok());
  EXPECT_NO_THROW(fine.value());
}

TEST(Result, ValueOnAnErrorThrowsWithTheMessage) {
  auto bad = parse_digit('?');
  try {
    (void)bad.value();
    FAIL() << "value() on an error must throw";
  } catch (const ErrorException& e) {
    EXPECT_STREQ(e.what(), "not a digit `?` (hint: use 0-9)");
    EXPECT_EQ(e.error().object, "?");
  }
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
  EXPECT_EQ(Result<int>(Error::invalid("x")).value_or(9), 9);
}

TEST(NotImplemented, NamesTheTask) {
  NotImplemented e("lab 3: build the page tables");
  EXPECT_STREQ(e.what(), "not implemented: lab 3: build the page tables");
}

}  // namespace
}  // namespace deploylab
