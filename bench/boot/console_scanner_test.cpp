// bench/boot/console_scanner_test.cpp: the marker scanner and first_error_line (console_scanner.h).
#include "bench/boot/console_scanner.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

const char* kMarker = "deploylab-initramfs: init started";

TEST(ConsoleScanner, FindsTheMarkerSplitAcrossChunks) {
  ConsoleScanner scanner(kMarker);
  EXPECT_FALSE(scanner.feed("[    1.0] Run /init as init process\r\ndeploylab-init"));
  EXPECT_FALSE(scanner.seen()) << "half a marker is not the marker";
  EXPECT_TRUE(scanner.feed("ramfs: init started\r\n")) << "the chunk completing the line reports it";
  EXPECT_TRUE(scanner.seen());
}

TEST(ConsoleScanner, ReportsTheMarkerOnlyOnce) {
  ConsoleScanner scanner(kMarker);
  EXPECT_TRUE(scanner.feed(std::string(kMarker) + "\n"));
  EXPECT_FALSE(scanner.feed(std::string(kMarker) + "\n")) << "a second marker line is not a new event";
}

TEST(ConsoleScanner, WaitsForTheEndOfTheLineUnlessTheStreamEnds) {
  ConsoleScanner scanner(kMarker);
  EXPECT_FALSE(scanner.feed(kMarker)) << "the line may still grow";
  EXPECT_TRUE(scanner.finish()) << "at the end of the stream the last line counts";
}

TEST(ConsoleScanner, KeepsTheLastLinesWithoutCarriageReturns) {
  ConsoleScanner scanner(kMarker, 2);
  scanner.feed("one\r\ntwo\r\nthree\r\nfour");
  EXPECT_EQ(scanner.last_lines(), "two | three");
}

TEST(ConsoleScanner, CollectsTaggedLinesFromTheTagOn) {
  ConsoleScanner scanner(kMarker);
  scanner.collect_lines_with("deploylab-bench:");
  scanner.feed("[ 1.0] boot\r\n~ # deploylab-bench: uname 6.1\r\ndeploylab-bench: comp");
  EXPECT_EQ(scanner.collected(), std::vector<std::string>{"deploylab-bench: uname 6.1"})
      << "a prompt before the tag is dropped; an unfinished line is not collected yet";
  scanner.feed("ute ms=1\n");
  ASSERT_EQ(scanner.collected().size(), 2u);
  EXPECT_EQ(scanner.collected()[1], "deploylab-bench: compute ms=1");
}

TEST(FirstErrorLine, PrefersALineThatSaysError) {
  EXPECT_EQ(first_error_line("minivmm: loading\n  minivmm: ERROR: no such file  \nmore\n"),
            "minivmm: ERROR: no such file");
}

TEST(FirstErrorLine, ElseTheFirstNonEmptyLine) {
  EXPECT_EQ(first_error_line("\n\n  unknown command 'boot'\nusage: ...\n"), "unknown command 'boot'");
  EXPECT_EQ(first_error_line("last line without newline"), "last line without newline");
  EXPECT_EQ(first_error_line(" \n"), "no output");
}

}  // namespace
}  // namespace deploylab::bench
