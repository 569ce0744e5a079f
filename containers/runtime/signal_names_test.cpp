// containers/runtime/signal_names_test.cpp: the spellings `minictr kill` accepts.
#include "containers/runtime/signal_names.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace deploylab::ctr {
namespace {

TEST(ParseSignal, NamesInEveryUsualSpelling) {
  EXPECT_EQ(parse_signal("TERM").value(), SIGTERM);
  EXPECT_EQ(parse_signal("SIGKILL").value(), SIGKILL);
  EXPECT_EQ(parse_signal("sigint").value(), SIGINT);
  EXPECT_EQ(parse_signal("usr1").value(), SIGUSR1);
}

TEST(ParseSignal, Numbers) {
  EXPECT_EQ(parse_signal("9").value(), 9);
  EXPECT_EQ(parse_signal("15").value(), 15);
}

TEST(ParseSignal, NonsenseIsAClearError) {
  EXPECT_NE(parse_signal("TERMINATE").error().message().find("unknown signal"), std::string::npos);
  EXPECT_NE(parse_signal("0").error().message().find("no such signal number"), std::string::npos);
  EXPECT_NE(parse_signal("999").error().message().find("no such signal number"), std::string::npos);
  EXPECT_FALSE(parse_signal("").ok());
  EXPECT_FALSE(parse_signal("9x").ok());
}

}  // namespace
}  // namespace deploylab::ctr
