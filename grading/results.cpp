// grading/results.cpp: the run model and its Gradescope JSON (see results.h).
#include "grading/results.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace deploylab::grading {
namespace {

using nlohmann::json;

// What a pending test says in results.json, so a file from a crashed grader is still honest.
constexpr const char* kPendingOutput = "not run yet";

// Seconds rounded to milliseconds: enough for a person, stable in the file.
double round_ms(double seconds) { return static_cast<double>(static_cast<long long>(seconds * 1000 + 0.5)) / 1000; }

json test_json(const TestResult& t, const std::string& number) {
  bool pending = t.verdict.outcome == Outcome::pending;
  return json{
      {"name", "lab " + std::to_string(t.lab) + ": " + t.name},
      {"number", number},
      {"score", t.points()},
      {"max_score", t.max_points},
      {"status", t.verdict.outcome == Outcome::pass ? "passed" : "failed"},
      {"output", pending ? std::string(kPendingOutput) : t.verdict.output},
      {"visibility", to_string(t.visibility)},
      {"extra_data",
       {{"outcome", to_string(t.verdict.outcome)},
        {"seconds", round_ms(t.verdict.seconds)},
        {"lab", t.lab},
        {"runs", t.verdict.runs},
        {"passed_runs", t.verdict.passed_runs}}},
  };
}

}  // namespace

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pending: return "PENDING";
    case Outcome::pass: return "PASS";
    case Outcome::fail: return "FAIL";
    case Outcome::timeout: return "TIMEOUT";
    case Outcome::crash: return "CRASH";
    case Outcome::not_run: return "NOT_RUN";
    case Outcome::build_failed: return "BUILD_FAILED";
    case Outcome::missing: return "MISSING";
  }
  return "UNKNOWN";
}

void RunResults::add_pending(int lab, const GradedTest& test) {
  TestResult t;
  t.lab = lab;
  t.name = test.name;
  t.max_points = test.points;
  t.visibility = test.visibility;
  tests_.push_back(std::move(t));
}

void RunResults::record(int lab, std::string_view name, Verdict verdict) {
  for (auto& t : tests_) {
    if (t.lab == lab && t.name == name) t.verdict = std::move(verdict);
  }
}

void RunResults::record_lab(int lab, const Verdict& verdict) {
  for (auto& t : tests_) {
    if (t.lab == lab && t.verdict.outcome == Outcome::pending) t.verdict = verdict;
  }
}

const TestResult* RunResults::find(int lab, std::string_view name) const {
  for (const auto& t : tests_) {
    if (t.lab == lab && t.name == name) return &t;
  }
  return nullptr;
}

double RunResults::score() const {
  double sum = 0;
  for (const auto& t : tests_) sum += t.points();
  return sum;
}

double RunResults::max_score() const {
  double sum = 0;
  for (const auto& t : tests_) sum += t.max_points;
  return sum;
}

double RunResults::lab_score(int lab) const {
  double sum = 0;
  for (const auto& t : tests_) sum += t.lab == lab ? t.points() : 0;
  return sum;
}

double RunResults::lab_max_score(int lab) const {
  double sum = 0;
  for (const auto& t : tests_) sum += t.lab == lab ? t.max_points : 0;
  return sum;
}

std::string format_points(double points) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", points);  // lab.yaml points have at most 2 decimals
  std::string out(text);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string to_gradescope_json(const RunResults& results) {
  json tests = json::array();
  std::map<int, int> index_in_lab;  // "number" is lab.index: 0.1, 0.2, ..., 1.1
  for (const auto& t : results.tests()) {
    std::string number = std::to_string(t.lab) + "." + std::to_string(++index_in_lab[t.lab]);
    tests.push_back(test_json(t, number));
  }
  json doc{
      {"score", results.score()},
      {"execution_time", round_ms(results.execution_time)},
      {"output", "Score: " + format_points(results.score()) + "/" + format_points(results.max_score())},
      {"visibility", "visible"},
      {"stdout_visibility", "visible"},
      {"tests", std::move(tests)},
  };
  return doc.dump(2) + "\n";
}

std::optional<Outcome> outcome_from_string(std::string_view word) {
  for (Outcome o : {Outcome::pending, Outcome::pass, Outcome::fail, Outcome::timeout, Outcome::crash, Outcome::not_run,
                    Outcome::build_failed, Outcome::missing}) {
    if (to_string(o) == word) return o;
  }
  return std::nullopt;
}

namespace {

// One entry of `tests`, as to_gradescope_json() wrote it.
Result<TestResult> parse_test_entry(const json& entry, const std::string& where) {
  try {
    TestResult t;
    std::string name = entry.at("name").get<std::string>();
    auto colon = name.find(": ");
    if (name.rfind("lab ", 0) != 0 || colon == std::string::npos) return Error::invalid("test name is not `lab N: Suite.Name`", where);
    t.lab = std::stoi(name.substr(4, colon - 4));
    t.name = name.substr(colon + 2);
    t.max_points = entry.at("max_score").get<double>();
    t.visibility = entry.value("visibility", "visible") == "hidden" ? Visibility::hidden : Visibility::visible;
    const json& extra = entry.at("extra_data");
    auto outcome = outcome_from_string(extra.at("outcome").get<std::string>());
    if (!outcome) return Error::invalid("unknown outcome `" + extra.at("outcome").get<std::string>() + "`", where);
    bool pending = *outcome == Outcome::pending;
    t.verdict = Verdict{*outcome, extra.value("seconds", 0.0), pending ? "" : entry.value("output", ""),
                        extra.value("runs", 0), extra.value("passed_runs", 0)};
    return t;
  } catch (const std::exception& e) {
    return Error::invalid(std::string("unreadable test entry: ") + e.what(), where);
  }
}

}  // namespace

Result<std::vector<TestResult>> parse_results_json(std::string_view text, const std::string& source) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("tests") || !doc["tests"].is_array()) {
    return Error::invalid("not a results.json with a `tests` list", source, "was it written by `grade run --results`?");
  }
  std::vector<TestResult> out;
  for (std::size_t i = 0; i < doc["tests"].size(); ++i) {
    out.push_back(DL_TRY(parse_test_entry(doc["tests"][i], source + ": tests[" + std::to_string(i) + "]")));
  }
  return out;
}

}  // namespace deploylab::grading
