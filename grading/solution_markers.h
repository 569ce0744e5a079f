// grading/solution_markers.h: the solution regions of the reference tree, and their stubs.
//
// The reference solution lives in the same files the students edit, fenced by marker comments.
// The student-kit generator (grading/kit.h) replaces every fenced region by its stub:
//
//   Result<Bytes> parse_size(std::string_view text) {      Result<Bytes> parse_size(std::string_view text) {
//     <BEGIN marker> lab 0: parse the number and suffix  ->  throw deploylab::NotImplemented(
//     ...the reference code...                                  "lab 0: parse the number and suffix");
//     <END marker>                                          }
//   }
//
// where the BEGIN marker is a line whose first text is `// BEGIN SOLUTION` and the END marker
// one whose first text is `// END SOLUTION` (`#` instead of `//` in CMake, shell, YAML and
// Makefiles). The rules, in full:
//   - Only a line whose first non-blank text is the comment leader, optional blanks and then
//     `BEGIN SOLUTION`, `END SOLUTION` or `STUB:` is a marker; the same words anywhere else
//     (inside a string literal, after code, in prose) are plain text.
//   - The text after `BEGIN SOLUTION` is the task. Without a STUB block, the stub is one line at
//     the BEGIN marker's indentation: `throw deploylab::NotImplemented("<task>");` in C and C++
//     files, `# not implemented: <task>` in `#` files. A region with neither task nor STUB is
//     an error.
//   - A `STUB:` marker line inside a region ends the solution code; every line after it, up to
//     the END marker, must be a comment, and those comments with their leader and one following
//     space removed (the indentation before the leader is kept) are the stub. A lone leader
//     gives an empty line; a STUB block with no lines stubs the region with nothing.
//   - Marker lines never reach the kit; text outside regions is copied byte for byte (CRLF line
//     ends and a missing final newline included).
//   - Errors, each located file:line: END without BEGIN, BEGIN without END, BEGIN inside a
//     region, a second STUB, STUB outside a region, text after `STUB:`, a non-comment line in a
//     STUB block, a region with no task and no STUB, a marker with the other file type's leader,
//     and any BEGIN or END marker in a file type the generator does not process (so a solution
//     can never slip into the kit unstripped).
// Everything here is pure text in, text out, so the rules are unit-tested.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::grading {

// How a file's comments start, which decides whether and how it is stripped.
enum class CommentStyle {
  unprocessed,   // any other file: copied as is, and a marker in it is an error
  double_slash,  // C and C++ sources and headers
  hash,          // CMakeLists.txt, *.cmake, *.sh, *.yaml, *.yml, Makefile, *.mk
};

CommentStyle comment_style_of(const std::filesystem::path& file_name);

struct StrippedText {
  std::string text;  // the file with every region replaced by its stub
  int regions = 0;   // how many regions were replaced
};

// Replaces each solution region of `text` by its stub. `file_name` picks the comment style and
// names the file in errors ("labs/00-warmup/size.cpp:14: ...").
Result<StrippedText> strip_solution_regions(std::string_view text, const std::string& file_name);
// The same, for callers that only want the text.
Result<std::string> strip_solutions(std::string_view text, const std::string& file_name);

// The 1-based line of the first BEGIN or END marker (with either leader), if any.
std::optional<int> first_solution_marker(std::string_view text);
inline bool has_solution_markers(std::string_view text) { return first_solution_marker(text).has_value(); }

}  // namespace deploylab::grading
