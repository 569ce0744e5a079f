// grading/console_report.cpp: formatting of the grader's console output (see console_report.h).
#include "grading/console_report.h"

#include <algorithm>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace deploylab::grading {
namespace {

constexpr size_t kLabelWidth = 7;     // "TIMEOUT", "NOT RUN", "MISSING"
constexpr size_t kPointsWidth = 7;    // "2.5/2.5", right-aligned
constexpr size_t kDetailLines = 30;
const std::string kDetailIndent(2 + kLabelWidth + 2, ' ');

const char* kGreen = "\033[32m";
const char* kRed = "\033[31m";
const char* kYellow = "\033[33m";
const char* kBold = "\033[1m";
const char* kReset = "\033[0m";

std::string paint(const std::string& text, const char* code, Color color) {
  return color == Color::on ? code + text + kReset : text;
}

// The console's word for an outcome: results.json's name (to_string) with spaces for
// underscores, except that a lab which did not build shows ERROR beside each of its tests.
std::string label(Outcome outcome) {
  if (outcome == Outcome::build_failed) return "ERROR";
  std::string word = to_string(outcome);
  std::replace(word.begin(), word.end(), '_', ' ');
  return word;
}

const char* label_color(Outcome outcome) {
  if (outcome == Outcome::pass) return kGreen;
  if (outcome == Outcome::not_run || outcome == Outcome::pending) return kYellow;
  return kRed;
}

std::string pad_left(std::string text, size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// `text` indented under a test line, cut after kDetailLines lines.
std::string indented(const std::string& text) {
  std::string out;
  size_t start = 0, lines = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (lines++ == kDetailLines) {
      size_t rest = text.back() == '\n' ? 0 : 1;  // this line and those after it
      for (size_t i = end; i < text.size(); ++i) rest += text[i] == '\n' ? 1 : 0;
      return out + kDetailIndent + "... (" + std::to_string(rest) + " more lines)\n";
    }
    out += kDetailIndent + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

Color use_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  bool disabled = no_color != nullptr && *no_color != '\0';
  return ::isatty(fd) && !disabled ? Color::on : Color::off;
}

std::string format_lab_header(const LabSpec& lab, Color color) {
  return paint("lab " + std::to_string(lab.number) + ": " + lab.title, kBold, color) + "\n";
}

std::string format_test(const TestResult& test, std::size_t width, Color color) {
  const Verdict& v = test.verdict;
  char seconds[32];
  std::snprintf(seconds, sizeof(seconds), "%.2fs", v.seconds);
  std::string points = format_points(test.points()) + "/" + format_points(test.max_points);
  std::string line = "  " + paint(pad(label(v.outcome), kLabelWidth), label_color(v.outcome), color) + "  " +
                     pad(test.name, width) + " " + pad_left(points, kPointsWidth) + "  " + seconds + "\n";
  // A pass needs no details, and a build failure's were printed once for the whole lab.
  bool show_details = v.outcome != Outcome::pass && v.outcome != Outcome::build_failed && !v.output.empty();
  return show_details ? line + indented(v.output) : line;
}

std::string format_lab_failure(const std::string& headline, const std::string& diagnostics, Color color) {
  return "  " + paint(headline, kRed, color) + ": every test of this lab scores 0\n" +
         indented(diagnostics);
}

std::string format_lab_subtotal(const RunResults& results, int lab) {
  return "  lab " + std::to_string(lab) + " subtotal: " + format_points(results.lab_score(lab)) + "/" +
         format_points(results.lab_max_score(lab)) + "\n";
}

std::string format_score(const RunResults& results, Color color) {
  const char* code = results.full_marks() ? kGreen : kBold;
  return paint("Score: " + format_points(results.score()) + "/" + format_points(results.max_score()), code, color) +
         "\n";
}

std::size_t name_width(const LabSpec& lab) {
  size_t width = 0;
  for (const auto& t : lab.tests) width = std::max(width, t.name.size());
  return width;
}

}  // namespace deploylab::grading
