// common/cli_test.cpp: the CLI pattern: help with defaults, usage errors, dispatch.
#include "common/cli.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace deploylab {
namespace {

using testing::internal::CaptureStderr;
using testing::internal::CaptureStdout;
using testing::internal::GetCapturedStderr;
using testing::internal::GetCapturedStdout;

int call(const std::vector<cli::Command>& commands, std::vector<std::string> words) {
  words.insert(words.begin(), "prog");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return cli::main("prog", "a test program", commands, static_cast<int>(argv.size()), argv.data());
}

cli::Command greet_command(int* seen_times) {
  return {"greet", "say hello",
          [](cli::po::options_description& opts, cli::po::positional_options_description& pos) {
            opts.add_options()("times", cli::po::value<int>()->default_value(2), "how often")
                              ("name", cli::po::value<std::string>()->required(), "who");
            pos.add("name", 1);
          },
          [seen_times](const cli::po::variables_map& vm) {
            *seen_times = vm["times"].as<int>();
            if (vm["name"].as<std::string>() == "error") throw ErrorException(Error::invalid("bad name", "error"));
            return 0;
          }};
}

TEST(Cli, HelpListsEveryFlagWithItsDefault) {
  int times = 0;
  CaptureStdout();
  EXPECT_EQ(call({greet_command(&times)}, {"greet", "--help"}), 0);
  std::string help = GetCapturedStdout();
  EXPECT_NE(help.find("--times arg (=2)"), std::string::npos) << help;
  EXPECT_NE(help.find("--log-level"), std::string::npos) << help;
}

TEST(Cli, DispatchesWithPositionalArguments) {
  int times = 0;
  EXPECT_EQ(call({greet_command(&times)}, {"greet", "ann", "--times", "5"}), 0);
  EXPECT_EQ(times, 5);
}

TEST(Cli, UsageErrorsExit2WithAPointerToHelp) {
  int times = 0;
  CaptureStderr();
  EXPECT_EQ(call({greet_command(&times)}, {"greet", "ann", "--bogus"}), 2);
  EXPECT_NE(GetCapturedStderr().find("run `prog greet --help`"), std::string::npos);
  CaptureStderr();
  EXPECT_EQ(call({greet_command(&times)}, {"wave"}), 2);
  EXPECT_NE(GetCapturedStderr().find("unknown command `wave`"), std::string::npos);
  CaptureStderr();
  EXPECT_EQ(call({greet_command(&times)}, {"greet"}), 2);  // --name is required
  EXPECT_NE(GetCapturedStderr().find("name"), std::string::npos);
}

TEST(Cli, ErrorsBecomeMessagesAndExit1) {
  int times = 0;
  CaptureStderr();
  EXPECT_EQ(call({greet_command(&times)}, {"greet", "error"}), 1);
  EXPECT_EQ(GetCapturedStderr(), "prog greet: error: bad name `error`\n");
}

TEST(Cli, WordsAfterDoubleDashReachTheCommandAsTheyAre) {
  std::vector<std::string> seen;
  cli::Command run{"run", "run a command",
                   [](cli::po::options_description& opts, cli::po::positional_options_description& pos) {
                     opts.add_options()("mem", cli::po::value<std::string>(), "memory")
                                       ("command", cli::po::value<std::vector<std::string>>()->multitoken(), "after --");
                     pos.add("command", -1);
                   },
                   [&seen](const cli::po::variables_map& vm) {
                     seen = vm["command"].as<std::vector<std::string>>();
                     return 0;
                   }};
  EXPECT_EQ(call({run}, {"run", "--mem", "2G", "--", "ls", "-l"}), 0);
  EXPECT_EQ(seen, (std::vector<std::string>{"ls", "-l"}));
}

}  // namespace
}  // namespace deploylab
