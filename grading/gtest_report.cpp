// grading/gtest_report.cpp: parsing gtest's JSON report and test list (see gtest_report.h).
#include "grading/gtest_report.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace deploylab::grading {
namespace {

using nlohmann::json;

// gtest writes durations as strings with a unit: "0.003s".
double parse_seconds(const json& value) {
  if (!value.is_string()) return 0;
  return std::strtod(value.get<std::string>().c_str(), nullptr);
}

std::string string_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

GtestCase parse_case(const std::string& suite, const json& test) {
  GtestCase c;
  c.name = suite + "." + string_field(test, "name");
  c.ran = string_field(test, "status") == "RUN";
  std::string result = string_field(test, "result");
  c.skipped = result == "SKIPPED" || result == "SUPPRESSED";
  c.seconds = parse_seconds(test.value("time", json()));
  if (auto failures = test.find("failures"); failures != test.end() && failures->is_array()) {
    for (const auto& f : *failures) c.failures.push_back(string_field(f, "failure"));
  }
  return c;
}

}  // namespace

const GtestCase* GtestReport::find(std::string_view name) const {
  for (const auto& c : cases) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Result<GtestReport> parse_gtest_json(std::string_view json_text, const std::string& source) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Error::invalid("GoogleTest report is not valid JSON", source,
                          "the test binary probably died while writing it");
  }
  auto suites = doc.find("testsuites");
  if (!doc.is_object() || suites == doc.end() || !suites->is_array()) {
    return Error::invalid("GoogleTest report has no `testsuites` list", source);
  }
  GtestReport report;
  for (const auto& suite : *suites) {
    std::string suite_name = string_field(suite, "name");
    auto tests = suite.find("testsuite");
    if (tests == suite.end() || !tests->is_array()) continue;
    for (const auto& test : *tests) report.cases.push_back(parse_case(suite_name, test));
  }
  return report;
}

std::vector<std::string> parse_gtest_list(std::string_view list_output) {
  std::vector<std::string> names;
  std::string suite;
  size_t start = 0;
  while (start < list_output.size()) {
    size_t end = list_output.find('\n', start);
    if (end == std::string_view::npos) end = list_output.size();
    std::string_view line = list_output.substr(start, end - start);
    start = end + 1;
    std::string_view word = line.substr(0, line.find("  #"));  // drop "# GetParam() = ..."
    while (!word.empty() && (word.back() == ' ' || word.back() == '\r')) word.remove_suffix(1);
    if (word.empty()) continue;
    if (word.starts_with("  ")) {
      if (!suite.empty()) names.push_back(suite + std::string(word.substr(2)));
      continue;
    }
    // A suite line is one word ending in '.'; anything else is gtest_main's chatter.
    bool is_suite = word.back() == '.' && word.find(' ') == std::string_view::npos;
    suite = is_suite ? std::string(word) : std::string();
  }
  return names;
}

}  // namespace deploylab::grading
