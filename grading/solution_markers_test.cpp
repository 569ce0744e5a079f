// grading/solution_markers_test.cpp: the solution-region rules of solution_markers.h, one test
// per rule, and every error a badly fenced region gets.
//
// The inputs are built from one string literal per line (never a raw string), so no line of
// this file starts with a marker and the kit generator copies it untouched.
#include "grading/solution_markers.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace deploylab::grading {
namespace {

// The lines joined with `eol`, each one terminated.
std::string text_of(std::initializer_list<std::string_view> lines, std::string_view eol = "\n") {
  std::string out;
  for (auto line : lines) out.append(line).append(eol);
  return out;
}

std::string stripped(const std::string& text, const std::string& file = "size.cpp") {
  auto result = strip_solutions(text, file);
  EXPECT_TRUE(result.ok()) << "expected " << file << " to strip cleanly, got: " << result.error().message();
  return result.ok() ? result.value() : "";
}

std::string error_of(const std::string& text, const std::string& file = "size.cpp") {
  auto result = strip_solutions(text, file);
  return result.ok() ? "(stripped fine:\n" + result.value() + ")" : result.error().message();
}

TEST(SolutionMarkers, DefaultStubThrowsTheTaskAtTheMarkersIndentation) {
  std::string in = text_of({"int parse(int x) {", "  // BEGIN SOLUTION lab 0: parse the number", "  return x * 2;",
                            "  // END SOLUTION", "}"});
  EXPECT_EQ(stripped(in),
            text_of({"int parse(int x) {", "  throw deploylab::NotImplemented(\"lab 0: parse the number\");", "}"}));
}

TEST(SolutionMarkers, StubBlockKeepsItsIndentationAndDropsTheLeader) {
  std::string in = text_of({"void f() {", "    // BEGIN SOLUTION", "    solve();", "    // STUB:", "    // if (ready) {",
                            "    //   return;", "    //", "    // }", "    // END SOLUTION", "}"});
  EXPECT_EQ(stripped(in), text_of({"void f() {", "    if (ready) {", "      return;", "", "    }", "}"}));
}

TEST(SolutionMarkers, EmptyStubLeavesAnEmptyBody) {
  std::string in = text_of({"void f() {", "  // BEGIN SOLUTION lab 0: f", "  solve();", "  // STUB:", "  // END SOLUTION", "}"});
  EXPECT_EQ(stripped(in), text_of({"void f() {", "}"}));
}

TEST(SolutionMarkers, StripsEveryRegionAndCountsThem) {
  std::string in = text_of({"a", "// BEGIN SOLUTION lab 1: one", "x", "// END SOLUTION", "b",
                            "\t// BEGIN SOLUTION lab 1: two", "y", "\t// END SOLUTION", "c"});
  StrippedText out = strip_solution_regions(in, "k.h").value();
  EXPECT_EQ(out.regions, 2);
  EXPECT_EQ(out.text, text_of({"a", "throw deploylab::NotImplemented(\"lab 1: one\");", "b",
                               "\tthrow deploylab::NotImplemented(\"lab 1: two\");", "c"}));
}

TEST(SolutionMarkers, KeepsCrlfLineEnds) {
  std::string in = text_of({"int f() {", "  // BEGIN SOLUTION lab 0: f", "  return 1;", "  // STUB:", "  // return 0;",
                            "  // END SOLUTION", "}"},
                           "\r\n");
  EXPECT_EQ(stripped(in), "int f() {\r\n  return 0;\r\n}\r\n");
}

TEST(SolutionMarkers, TextOutsideRegionsIsByteIdentical) {
  std::string plain = "  odd   spacing\t\n\n\r\nno final newline";
  EXPECT_EQ(stripped(plain), plain);
  std::string in = "head\n// BEGIN SOLUTION t\nx\n// END SOLUTION\ntail without newline";
  EXPECT_EQ(stripped(in), "head\nthrow deploylab::NotImplemented(\"t\");\ntail without newline");
}

TEST(SolutionMarkers, OnlyLinesStartingWithTheMarkerCount) {
  std::string in = text_of({"const char* s = \"// BEGIN SOLUTION lab 0: x\";", "f();  // END SOLUTION",
                            "/// BEGIN SOLUTION in a doc comment", "// BEGIN SOLUTIONS is another word",
                            "// the words BEGIN SOLUTION in prose"});
  EXPECT_EQ(stripped(in), in);
  EXPECT_FALSE(has_solution_markers(in));
}

TEST(SolutionMarkers, QuotesInTheTaskAreEscaped) {
  std::string in = text_of({"// BEGIN SOLUTION lab 0: print \"hi\\n\"", "x", "// END SOLUTION"});
  EXPECT_EQ(stripped(in), text_of({"throw deploylab::NotImplemented(\"lab 0: print \\\"hi\\\\n\\\"\");"}));
}

TEST(SolutionMarkers, HashFilesUseHashMarkersAndACommentStub) {
  std::string in = text_of({"add_library(x x.cpp)", "# BEGIN SOLUTION lab 0: link the library", "target_link_libraries(x y)",
                            "# END SOLUTION", "  # BEGIN SOLUTION", "  set(A 1)", "  # STUB:", "  # set(A 0)", "  # END SOLUTION"});
  EXPECT_EQ(stripped(in, "labs/00-warmup/CMakeLists.txt"),
            text_of({"add_library(x x.cpp)", "# not implemented: lab 0: link the library", "  set(A 0)"}));
}

TEST(SolutionMarkers, CommentStyleFollowsTheFileName) {
  EXPECT_EQ(comment_style_of("a/b.cpp"), CommentStyle::double_slash);
  EXPECT_EQ(comment_style_of("a/b.h"), CommentStyle::double_slash);
  EXPECT_EQ(comment_style_of("a/CMakeLists.txt"), CommentStyle::hash);
  EXPECT_EQ(comment_style_of("cmake/X.cmake"), CommentStyle::hash);
  EXPECT_EQ(comment_style_of("Makefile"), CommentStyle::hash);
  EXPECT_EQ(comment_style_of("scripts/deps.sh"), CommentStyle::hash);
  EXPECT_EQ(comment_style_of("labs/00-warmup/lab.yaml"), CommentStyle::hash);
  EXPECT_EQ(comment_style_of("README.md"), CommentStyle::unprocessed);
  EXPECT_EQ(comment_style_of("notes.txt"), CommentStyle::unprocessed);
}

TEST(SolutionMarkers, FirstMarkerIsFoundWithEitherLeader) {
  EXPECT_EQ(first_solution_marker(text_of({"a", "b", "  // END SOLUTION"})), 3);
  EXPECT_EQ(first_solution_marker(text_of({"# BEGIN SOLUTION x"})), 1);
  EXPECT_EQ(first_solution_marker(text_of({"// STUB:"})), std::nullopt) << "STUB alone is not a solution marker";
  EXPECT_FALSE(has_solution_markers("int main() {}\n"));
}

// Each error names the file and line and says what is wrong.
void expect_error(const std::string& text, const std::string& where, const std::string& what,
                  const std::string& file = "size.cpp") {
  std::string message = error_of(text, file);
  EXPECT_NE(message.find(where), std::string::npos) << "expected the place `" << where << "` in: " << message;
  EXPECT_NE(message.find(what), std::string::npos) << "expected `" << what << "` in: " << message;
}

TEST(SolutionMarkersErrors, EndWithoutBegin) {
  expect_error(text_of({"a", "// END SOLUTION"}), "size.cpp:2", "END SOLUTION without a BEGIN SOLUTION");
}

TEST(SolutionMarkersErrors, BeginWithoutEnd) {
  expect_error(text_of({"a", "  // BEGIN SOLUTION lab 0: x", "code"}), "size.cpp:2", "never closed");
}

TEST(SolutionMarkersErrors, NestedBegin) {
  expect_error(text_of({"// BEGIN SOLUTION a", "// BEGIN SOLUTION b", "// END SOLUTION"}), "size.cpp:2",
               "inside the region opened at line 1");
}

TEST(SolutionMarkersErrors, RegionWithoutTaskOrStub) {
  expect_error(text_of({"x", "// BEGIN SOLUTION", "y", "// END SOLUTION"}), "size.cpp:2", "neither a task nor a STUB");
}

TEST(SolutionMarkersErrors, CodeInTheStubBlock) {
  expect_error(text_of({"// BEGIN SOLUTION", "y", "// STUB:", "// return 0;", "return 1;", "// END SOLUTION"}), "size.cpp:5",
               "not a comment");
  expect_error(text_of({"// BEGIN SOLUTION", "// STUB:", "", "// END SOLUTION"}), "size.cpp:3", "not a comment");
}

TEST(SolutionMarkersErrors, MisplacedStubMarkers) {
  expect_error(text_of({"// STUB:"}), "size.cpp:1", "STUB: outside a solution region");
  expect_error(text_of({"// BEGIN SOLUTION", "// STUB: return 0;", "// END SOLUTION"}), "size.cpp:2", "text after STUB:");
  expect_error(text_of({"// BEGIN SOLUTION", "// STUB:", "// STUB:", "// END SOLUTION"}), "size.cpp:3", "second STUB:");
}

TEST(SolutionMarkersErrors, MarkerWithTheOtherLeader) {
  expect_error(text_of({"# BEGIN SOLUTION x", "# END SOLUTION"}), "size.cpp:1", "the `#` leader");
  expect_error(text_of({"// BEGIN SOLUTION x"}), "run.sh:1", "the `//` leader", "run.sh");
}

TEST(SolutionMarkersErrors, MarkerInAFileTypeWeDoNotStrip) {
  expect_error(text_of({"# Lab 0", "", "    // BEGIN SOLUTION lab 0: x"}), "README.md:3", "does not strip", "README.md");
  EXPECT_EQ(strip_solutions("prose with // BEGIN SOLUTION inside\n", "README.md").value(),
            "prose with // BEGIN SOLUTION inside\n");
}

}  // namespace
}  // namespace deploylab::grading
