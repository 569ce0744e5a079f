// grading/kit.h: the student-kit generator behind `grade kit` (kit_command.cpp) and step one of
// `grade check-kit` (check_kit_command.cpp).
//
// The kit is the reference tree as a student receives it:
//   - every solution region replaced by its stub (grading/solution_markers.h);
//   - the files a lab.yaml lists in hidden_files left out, and each lab.yaml rewritten without
//     the hidden tests;
//   - no .ci/, no build*/ directories, no untracked junk: the files come from `git ls-files` when
//     the source is a git work tree, else from a walk of the directory;
//   - a `.student-kit` file at the top naming the commit it came from (the kit's CMake relaxes
//     the unused-* warnings when it sees that file, see cmake/DeploylabOptions.cmake).
// The kit is written to a fresh sibling directory, checked (no marker, no hidden file), and only
// then renamed over the old kit, so a failed run never leaves half a kit behind.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::grading {

// Which files of a git work tree make up the kit.
enum class FileSelection {
  tracked,                // `git ls-files`: what is committed or added (the default)
  tracked_and_untracked,  // plus untracked files that .gitignore does not exclude (for trials)
};

struct KitSummary {
  std::filesystem::path out_dir;
  std::string origin;         // "commit aeee9c7", or "a directory walk of /path"
  int files_copied = 0;       // every file written to the kit, stripped ones included
  int files_stripped = 0;     // files that had at least one solution region
  std::vector<std::string> stubbed_files;  // those files, relative to the root (listed in .student-kit)
  int regions_stripped = 0;
  int hidden_left_out = 0;    // hidden test files left out
  int lab_specs_rewritten = 0;
};

// Writes the student kit of `source_root` into `out_dir`, replacing what was there.
Result<KitSummary> write_student_kit(const std::filesystem::path& source_root, const std::filesystem::path& out_dir,
                                     FileSelection selection = FileSelection::tracked);

// The summary as a few lines for the terminal.
std::string describe(const KitSummary& summary);

// Refuses kit locations that could wipe the source: `out_dir` may not be `source_root` or above
// it, and inside it only under a build*/ directory (build/student-kit). Both paths absolute and
// normal (weakly_canonical). Pure, so the guard itself is unit-tested.
Result<void> check_kit_location(const std::filesystem::path& source_root, const std::filesystem::path& out_dir);

}  // namespace deploylab::grading
