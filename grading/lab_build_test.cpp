// grading/lab_build_test.cpp: boiling real GCC/ld build logs down to the errors.
#include "grading/lab_build.h"

#include <gtest/gtest.h>

namespace deploylab::grading {
namespace {

// `cmake --build` of a file with a missing semicolon (GCC 12, Ninja), as the grader captures it.
const char* kCompileFailure =
    "[1/3] Building CXX object CMakeFiles/b.dir/other.cpp.o\n"
    "[2/3] Building CXX object CMakeFiles/b.dir/main.cpp.o\n"
    "FAILED: CMakeFiles/b.dir/main.cpp.o \n"
    "/usr/bin/c++    -MD -MT CMakeFiles/b.dir/main.cpp.o -MF CMakeFiles/b.dir/main.cpp.o.d -o "
    "CMakeFiles/b.dir/main.cpp.o -c /src/main.cpp\n"
    "/src/main.cpp: In function 'int parse(const std::string&)':\n"
    "/src/main.cpp:5:3: error: expected ',' or ';' before 'return'\n"
    "    5 |   return x + missing;\n"
    "      |   ^~~~~~\n"
    "/src/main.cpp:6:1: warning: no return statement in function returning non-void [-Wreturn-type]\n"
    "    6 | }\n"
    "      | ^\n"
    "ninja: build stopped: subcommand failed.\n";

// The same project failing to link.
const char* kLinkFailure =
    "[1/2] Building CXX object CMakeFiles/b.dir/main.cpp.o\n"
    "[2/2] Linking CXX executable b\n"
    "FAILED: b \n"
    ": && /usr/bin/c++   CMakeFiles/b.dir/main.cpp.o CMakeFiles/b.dir/other.cpp.o -o b   && :\n"
    "/usr/bin/ld: CMakeFiles/b.dir/main.cpp.o: in function `main':\n"
    "main.cpp:(.text+0x5e): undefined reference to `helper(int)'\n"
    "collect2: error: ld returned 1 exit status\n"
    "ninja: build stopped: subcommand failed.\n";

TEST(ExtractCompilerErrors, KeepsTheErrorWithItsContextAndDropsNinjaChatter) {
  EXPECT_EQ(extract_compiler_errors(kCompileFailure),
            "/src/main.cpp: In function 'int parse(const std::string&)':\n"
            "/src/main.cpp:5:3: error: expected ',' or ';' before 'return'\n"
            "    5 |   return x + missing;\n"
            "      |   ^~~~~~\n"
            "/src/main.cpp:6:1: warning: no return statement in function returning non-void [-Wreturn-type]\n"
            "    6 | }");
}

TEST(ExtractCompilerErrors, LinkerErrorsKeepTheUndefinedReference) {
  EXPECT_EQ(extract_compiler_errors(kLinkFailure),
            "/usr/bin/ld: CMakeFiles/b.dir/main.cpp.o: in function `main':\n"
            "main.cpp:(.text+0x5e): undefined reference to `helper(int)'\n"
            "collect2: error: ld returned 1 exit status");
}

TEST(ExtractCompilerErrors, FarApartErrorsAreSeparatedByAnEllipsis) {
  std::string log = "a.cpp:1:1: error: one\n";
  for (int i = 0; i < 20; ++i) log += "filler " + std::to_string(i) + "\n";
  log += "b.cpp:2:2: error: two\n";
  std::string out = extract_compiler_errors(log);
  EXPECT_EQ(out.substr(0, 22), "a.cpp:1:1: error: one\n");
  EXPECT_NE(out.find("filler 3\n...\nfiller 18\nfiller 19\nb.cpp:2:2: error: two"), std::string::npos) << out;
  EXPECT_EQ(out.find("filler 10"), std::string::npos) << out;
}

TEST(ExtractCompilerErrors, CapsAFloodOfErrors) {
  std::string log;
  for (int i = 0; i < 2000; ++i) log += "x.cpp:" + std::to_string(i) + ":1: error: something is wrong here\n";
  std::string out = extract_compiler_errors(log);
  EXPECT_LE(out.size(), 4200u);
  EXPECT_TRUE(out.ends_with("... (more errors left out)")) << out.substr(out.size() - 100);
}

TEST(ExtractCompilerErrors, WithoutAnErrorLineGivesTheTail) {
  std::string log;
  for (int i = 0; i < 100; ++i) log += "line " + std::to_string(i) + "\n";
  std::string out = extract_compiler_errors(log);
  EXPECT_TRUE(out.starts_with("line 60\n")) << out;
  EXPECT_TRUE(out.ends_with("line 99")) << out;
}

}  // namespace
}  // namespace deploylab::grading
