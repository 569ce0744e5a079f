// grading/lab_build.h: build a lab's test binary before grading it, and boil a failed build down
// to the compiler errors a student needs to see.
//
// `grade run` always builds first (unless --no-build): grading a stale binary would score code the
// student no longer has. A build that fails is not a crash of the grader: every test of that lab
// scores 0 with the compiler's diagnostics as its output, and grading goes on with the next lab.
//
//   cmake -S SOURCE -B BUILD -G Ninja            (only when BUILD has no CMakeCache.txt yet)
//   cmake --build BUILD --target lab00_tests
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace deploylab::grading {

struct BuildResult {
  bool built = false;
  std::string diagnostics;  // when !built: the compiler errors (see extract_compiler_errors)
  double seconds = 0;
};

// When to run CMake's configure step first: only for a new BUILD, or every time (after files
// appeared that CMake decides about at configure time, such as hidden tests).
enum class Configure { if_needed, always };

// Configures BUILD (see Configure) and builds `target` ("all" for everything). Never fails as a
// function: a cmake that cannot even start is a failed build whose diagnostics say why.
BuildResult build_target(const std::filesystem::path& source, const std::filesystem::path& build,
                         const std::string& target, Configure configure = Configure::if_needed);

// The part of a build log that matters: each line with `error:` (or a linker's "undefined
// reference") with a few lines around it (the "In function" line before, the source line and caret
// after), without ninja's progress lines and the long compiler command lines; at most ~4 KB. A log
// with no recognisable error gives its last lines instead.
std::string extract_compiler_errors(std::string_view build_output);

}  // namespace deploylab::grading
