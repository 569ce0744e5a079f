// grading/console_report.h: what `grade run` prints, as pure string formatting.
//
//   lab 0: Warm-up: RAII owners and Result
//     PASS     FileLock.ReleasedWhenDestroyed     2/2  0.03s
//     FAIL     ParseSize.Suffixes                 0/3  0.01s
//              labs/00-warmup/parse_size_test.cpp:23
//              Expected equality of these values:
//                parse_size("1k")
//                  Which is: 1000
//                1024
//     lab 0 subtotal: 2/5
//   Score: 2/5
//
// Each test's line is printed as soon as it finishes; what went wrong sits indented under it (the
// first 30 lines; results.json has all of it). Colour only on a terminal and only without
// NO_COLOR (https://no-color.org), decided once by use_color() and passed in as a Color.
#pragma once

#include <cstddef>
#include <string>

#include "grading/lab_spec.h"
#include "grading/results.h"

namespace deploylab::grading {

enum class Color { off, on };

// Color::on when `fd` is a terminal and NO_COLOR is unset (or empty).
Color use_color(int fd);

// "lab 0: Warm-up: RAII owners and Result\n"
std::string format_lab_header(const LabSpec& lab, Color color);
// The test's line and, unless it passed, its details; `name_width` aligns a lab's names.
// (A pass's output, e.g. sandbox notes, is only in results.json.)
std::string format_test(const TestResult& test, std::size_t name_width, Color color);
// Printed once when nothing of a lab could run (its test binary did not build), before its
// (all zero) test lines: "  build of lab00_tests failed: every test of this lab scores 0".
std::string format_lab_failure(const std::string& headline, const std::string& diagnostics, Color color);
// "  lab 0 subtotal: 2/5\n"
std::string format_lab_subtotal(const RunResults& results, int lab);
// "Score: 2/5\n": the last line of the run.
std::string format_score(const RunResults& results, Color color);

// The width that aligns the names of `lab`'s tests.
std::size_t name_width(const LabSpec& lab);

}  // namespace deploylab::grading
