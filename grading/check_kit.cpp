// grading/check_kit.cpp: reading results.json and judging it for `grade check-kit` (see
// check_kit.h). Pure functions only; the steps that run cmake and the grader live in
// check_kit_command.cpp.
#include "grading/check_kit.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "grading/results.h"

namespace deploylab::grading {
namespace {

using nlohmann::json;

const GradedResult* find_result(const std::vector<GradedResult>& results, int lab, const std::string& test) {
  auto it = std::find_if(results.begin(), results.end(),
                         [&](const GradedResult& r) { return r.lab == lab && r.test == test; });
  return it == results.end() ? nullptr : &*it;
}

bool in_set(const GradedTest& test, TestSet set) {
  if (set == TestSet::all) return true;
  return (test.visibility == Visibility::hidden) == (set == TestSet::hidden);
}

// FAIL, TIMEOUT and CRASH mean the test ran and did not pass; anything else means it never ran.
bool ran_and_failed(const std::string& outcome) {
  return outcome == "FAIL" || outcome == "TIMEOUT" || outcome == "CRASH";
}

// Why `test` of `lab` does not meet `expectation`, or "" when it does.
std::string problem_with(const GradedResult* result, int lab, const std::string& test, Expectation expectation) {
  std::string who = "lab " + std::to_string(lab) + ": " + test;
  if (result == nullptr) return who + " is missing from the results: the grader did not grade it";
  if (expectation == Expectation::every_test_fails) {
    if (result->score > 0) {
      return who + " passes without the solution: its solution region does not cover what it tests, or the test cannot fail";
    }
    if (!ran_and_failed(result->outcome)) {
      return who + " did not run on the kit (" + result->outcome + "), so the check cannot tell whether it fails";
    }
    return "";
  }
  if (result->score >= result->max_score && result->max_score > 0 && result->outcome == "PASS") return "";
  return who + " scores " + format_points(result->score) + "/" + format_points(result->max_score) +
         " on the reference (" + result->outcome + "): the reference solution or the test is wrong";
}

LabVerdict judge_lab(const std::vector<GradedResult>& results, const LabSpec& lab, TestSet set, Expectation expectation) {
  LabVerdict verdict;
  verdict.lab = lab.number;
  for (const auto& test : lab.tests) {
    if (!in_set(test, set)) continue;
    ++verdict.tests;
    verdict.max_score += test.points;
    const GradedResult* result = find_result(results, lab.number, test.name);
    if (result != nullptr) verdict.score += result->score;
    std::string problem = problem_with(result, lab.number, test.name, expectation);
    if (problem.empty()) ++verdict.as_expected;
    else verdict.problems.push_back(std::move(problem));
  }
  return verdict;
}

Result<GradedResult> parse_entry(const json& entry, const std::string& where) {
  static const std::regex name_pattern(R"(lab (\d+): (.+))");
  std::smatch match;
  if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
    return Error::invalid("test entry without a name").with_context(where);
  }
  std::string name = entry["name"].get<std::string>();
  if (!std::regex_match(name, match, name_pattern)) {
    return Error::invalid("test name `" + name + "` is not `lab N: Suite.Name`").with_context(where);
  }
  if (!entry.contains("score") || !entry["score"].is_number() || !entry.contains("max_score") || !entry["max_score"].is_number()) {
    return Error::invalid("test `" + name + "` has no numeric score and max_score").with_context(where);
  }
  GradedResult result{std::stoi(match[1]), match[2], entry["score"].get<double>(), entry["max_score"].get<double>(), ""};
  const json* extra = entry.contains("extra_data") ? &entry["extra_data"] : nullptr;
  if (extra != nullptr && extra->is_object() && extra->contains("outcome") && (*extra)["outcome"].is_string()) {
    result.outcome = (*extra)["outcome"].get<std::string>();
  } else {
    result.outcome = entry.value("status", "") == "passed" ? "PASS" : "FAIL";
  }
  std::replace(result.outcome.begin(), result.outcome.end(), ' ', '_');  // "NOT RUN" and "NOT_RUN" alike
  return result;
}

const LabVerdict* verdict_for(const std::vector<LabVerdict>& verdicts, int lab) {
  auto it = std::find_if(verdicts.begin(), verdicts.end(), [&](const LabVerdict& v) { return v.lab == lab; });
  return it == verdicts.end() ? nullptr : &*it;
}

// "yes (5/5 fail)", "NO (4/5 fail)", "none" (no such tests) or "-" (not checked).
std::string fail_cell(const std::vector<LabVerdict>& verdicts, int lab) {
  const LabVerdict* v = verdict_for(verdicts, lab);
  if (v == nullptr) return "-";
  if (v->tests == 0) return "none";
  return std::string(v->ok() ? "yes" : "NO") + " (" + std::to_string(v->as_expected) + "/" + std::to_string(v->tests) + " fail)";
}

std::string reference_cell(const std::vector<LabVerdict>& verdicts, int lab) {
  const LabVerdict* v = verdict_for(verdicts, lab);
  if (v == nullptr) return "-";
  return format_points(v->score) + "/" + format_points(v->max_score) + (v->ok() ? "" : " NO");
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

bool all_ok(const std::vector<LabVerdict>& verdicts) {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const LabVerdict& v) { return v.ok(); });
}

}  // namespace

Result<std::vector<GradedResult>> parse_graded_results(const json& results, const std::string& source) {
  if (!results.is_object() || !results.contains("tests") || !results["tests"].is_array()) {
    return Error::invalid("results have no `tests` list", source, "is this a results.json written by `grade run`?");
  }
  std::vector<GradedResult> out;
  std::size_t index = 0;
  for (const auto& entry : results["tests"]) {
    out.push_back(DL_TRY(parse_entry(entry, source + ": tests[" + std::to_string(index++) + "]")));
  }
  return out;
}

std::vector<LabVerdict> judge_results(const std::vector<GradedResult>& results, const std::vector<LabSpec>& labs,
                                      TestSet set, Expectation expectation) {
  std::vector<LabVerdict> verdicts;
  for (const auto& lab : labs) verdicts.push_back(judge_lab(results, lab, set, expectation));
  return verdicts;
}

bool report_passed(const KitCheckReport& report) {
  bool judged = report.finished && report.kit.size() == report.labs.size() && report.hidden.size() == report.labs.size() &&
                report.reference.size() == report.labs.size();
  return judged && all_ok(report.kit) && all_ok(report.hidden) && all_ok(report.reference);
}

std::string format_report(const KitCheckReport& report) {
  std::ostringstream out;
  out << "student-kit check\n  " << padded("lab", 5) << padded("tests", 7) << padded("kit: all fail", 20)
      << padded("hidden: all fail", 20) << "reference\n";
  for (const auto& lab : report.labs) {
    out << "  " << padded(std::to_string(lab.number), 5) << padded(std::to_string(lab.tests.size()), 7)
        << padded(fail_cell(report.kit, lab.number), 20) << padded(fail_cell(report.hidden, lab.number), 20)
        << reference_cell(report.reference, lab.number) << "\n";
  }
  std::vector<std::string> problems;
  for (const auto* verdicts : {&report.kit, &report.hidden, &report.reference}) {
    for (const auto& v : *verdicts) problems.insert(problems.end(), v.problems.begin(), v.problems.end());
  }
  if (!problems.empty()) out << "problems:\n";
  for (const auto& p : problems) out << "  - " << p << "\n";
  if (report_passed(report) && report.labs.empty()) {
    out << "check-kit PASSED: the kit builds (there are no labs to grade yet)\n";
  } else if (report_passed(report)) {
    out << "check-kit PASSED: the kit builds, every graded test fails on it, and the reference scores full marks\n";
  } else {
    out << "check-kit FAILED" << (problems.empty() ? ": not every step was reached (see above)" : "") << "\n";
  }
  return out.str();
}

std::string build_failure_excerpt(const std::string& log, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  auto first_failure = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("FAILED:"); });
  std::size_t start = first_failure != lines.end() ? static_cast<std::size_t>(first_failure - lines.begin())
                                                   : (lines.size() > max_lines ? lines.size() - max_lines : 0);
  std::size_t end = std::min(lines.size(), start + max_lines);
  std::string out;
  for (std::size_t i = start; i < end; ++i) out += lines[i] + "\n";
  if (end < lines.size()) out += "... (" + std::to_string(lines.size() - end) + " more lines)\n";
  return out;
}

}  // namespace deploylab::grading
