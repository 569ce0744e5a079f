// containers/oci/proc_stat_test.cpp: /proc/PID/stat parsing, on made-up lines and real processes.
#include "containers/oci/proc_stat.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

namespace deploylab::ctr {
namespace {

// A /proc/PID/stat line with `comm` as the command name and 4242 as field 22 (starttime).
std::string stat_line(const std::string& comm, char state = 'S') {
  std::string line = "123 (" + comm + ") " + state;
  for (int field = 4; field <= 52; ++field) line += " " + std::to_string(field == 22 ? 4242 : field);
  return line + "\n";
}

TEST(ProcStat, ParsesStateAndStartTime) {
  auto stat = parse_proc_stat(stat_line("sh", 'R')).value();
  EXPECT_EQ(stat.state, 'R');
  EXPECT_EQ(stat.start_time, 4242u);
}

TEST(ProcStat, CommandNamesMayHoldSpacesAndParentheses) {
  for (std::string comm : {"a b", "x) 1 2 3 (y", "))", "(", ""}) {
    auto stat = parse_proc_stat(stat_line(comm, 'Z'));
    ASSERT_TRUE(stat.ok()) << "comm \"" << comm << "\": " << stat.error().message();
    EXPECT_EQ(stat.value().state, 'Z') << "comm \"" << comm << "\"";
    EXPECT_EQ(stat.value().start_time, 4242u) << "comm \"" << comm << "\"";
  }
}

TEST(ProcStat, RejectsTruncatedText) {
  EXPECT_FALSE(parse_proc_stat("").ok());
  EXPECT_FALSE(parse_proc_stat("123 (sh").ok());
  EXPECT_FALSE(parse_proc_stat("123 (sh) S 1 2 3").ok());
  EXPECT_FALSE(parse_proc_stat("123 (sh) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 x").ok());
}

TEST(ProcStat, OwnProcessIsAliveWithAStableStartTime) {
  EXPECT_TRUE(process_alive(getpid()));
  auto first = process_start_time(getpid()).value();
  EXPECT_GT(first, 0u);
  EXPECT_EQ(process_start_time(getpid()).value(), first);
}

TEST(ProcStat, NoProcessIsNotAlive) {
  EXPECT_FALSE(process_alive(0)) << "pid 0 must not mean our own process group";
  EXPECT_FALSE(process_alive(-1));
  EXPECT_FALSE(process_alive(0x7ffffff0));  // above pid_max
  EXPECT_FALSE(process_start_time(0x7ffffff0).ok());
}

TEST(ProcStat, AZombieIsNotAlive) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  // Until it is reaped, the child is a zombie: it still has a /proc entry, state Z.
  siginfo_t info{};
  ASSERT_EQ(waitid(P_PID, child, &info, WEXITED | WNOWAIT), 0);
  EXPECT_FALSE(process_alive(child));
  EXPECT_TRUE(process_start_time(child).ok()) << "a zombie still has its stat file";
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
}

}  // namespace
}  // namespace deploylab::ctr
