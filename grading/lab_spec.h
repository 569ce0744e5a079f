// grading/lab_spec.h: what a lab is, as its lab.yaml says, for the grader and the kit generator.
//
// Every lab is a folder labs/NN-slug/ holding the handout (README.md) and lab.yaml:
//
//   lab: 0                        # the lab number; the folder name starts with it (00-)
//   slug: warmup                  # the rest of the folder name
//   title: "Warm-up: RAII owners and Result"
//   prerequisites: []             # labs to finish first
//   runs_on: host                 # host, or kvm: needs /dev/kvm (natively or in vmhost)
//   test_binary: lab00_tests      # the CMake target holding the graded tests (build/bin/...)
//   student_files: [labs/00-warmup/file_lock.cpp]   # what the student edits
//   hidden_files: [labs/00-warmup/warmup_hidden_test.cpp]  # left out of the student kit
//   sandbox: {network: none}      # none: tests get an empty network namespace; host: the host's
//   timeout: 10                   # default per-test timeout in seconds
//   demo: [lab00_demo]            # optional: what `make demo` runs (binary in build/bin, args)
//   tests:
//     - name: FileLock.ReleasedWhenDestroyed   # GoogleTest Suite.Name in test_binary
//       points: 2
//       timeout: 5                # optional, overrides the default
//       visibility: visible       # visible (in the kit) or hidden (instructor only)
//
// Parsing is pure (text in, LabSpec or Error out) so the rules are unit-tested; every rule a
// lab.yaml breaks is reported with the file, the place and what to write instead.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace deploylab::grading {

enum class Visibility { visible, hidden };
enum class RunsOn { host, kvm };
enum class Network { none, host };

struct GradedTest {
  std::string name;         // GoogleTest "Suite.Name"
  double points = 0;
  double timeout_s = 0;     // seconds
  Visibility visibility = Visibility::visible;
};

struct LabSpec {
  int number = 0;
  std::string slug;
  std::string title;
  std::vector<int> prerequisites;
  RunsOn runs_on = RunsOn::host;
  std::string test_binary;
  std::vector<std::string> student_files;  // relative to the source root
  std::vector<std::string> hidden_files;   // relative to the source root
  Network network = Network::none;
  std::vector<std::string> demo;
  std::vector<GradedTest> tests;
  std::filesystem::path dir;               // the lab folder (set by load_lab_spec)

  double max_points() const;
  std::string folder_name() const;         // "00-warmup"
  std::string label() const;               // "lab00": the CTest label of the lab's tests
  const GradedTest* find_test(std::string_view name) const;
};

std::string to_string(Visibility v);

// Parses lab.yaml text; `source` names it in errors ("labs/00-warmup/lab.yaml").
Result<LabSpec> parse_lab_spec(std::string_view yaml_text, const std::string& source);
// Writes a LabSpec back as lab.yaml text (the student kit's copy, without the hidden tests).
std::string emit_lab_spec(const LabSpec& spec);

// Reads `lab_dir`/lab.yaml and checks that the folder name and the README match it.
Result<LabSpec> load_lab_spec(const std::filesystem::path& lab_dir);
// Every lab under `source_root`/labs, in lab order. Two labs with one number are an error.
Result<std::vector<LabSpec>> discover_labs(const std::filesystem::path& source_root);

}  // namespace deploylab::grading
