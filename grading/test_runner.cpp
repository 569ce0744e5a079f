// grading/test_runner.cpp: running one graded test in the sandbox and judging what it left
// behind (see test_runner.h for the rules).
#include "grading/test_runner.h"

#include <algorithm>
#include <chrono>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "grading/gtest_report.h"

namespace deploylab::grading {
namespace {

constexpr size_t kTailLines = 30;
constexpr size_t kTailBytes = 4096;

// gtest's framing lines, which say nothing about the test: "Running main() from ...", the filter
// note and the [==========] / [----------] banners. "[ RUN      ] Suite.Name" stays.
bool is_gtest_banner(std::string_view line) {
  return line.starts_with("Running main() from ") || line.starts_with("Note: Google Test filter = ") ||
         line.starts_with("[==========]") || line.starts_with("[----------]");
}

// The last lines of a test's output (where a crash or a hang shows itself), without gtest's banners.
std::string tail_of(const std::string& output) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < output.size();) {
    size_t end = std::min(output.find('\n', start), output.size());
    std::string_view line(output.data() + start, end - start);
    if (!is_gtest_banner(line)) lines.push_back(line);
    start = end + 1;
  }
  std::string tail;
  size_t kept = 0;
  for (size_t i = lines.size(); i > 0 && kept < kTailLines; --i, ++kept) {
    if (tail.size() + lines[i - 1].size() >= kTailBytes) break;
    tail.insert(0, std::string(lines[i - 1]) + "\n");
  }
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  if (tail.empty()) return "(the test printed nothing)";
  return (kept < lines.size() ? "...\n" : "") + tail;
}

std::string with_tail(const std::string& what, const std::string& output) {
  return what + "\nlast lines of its output:\n" + tail_of(output);
}

std::string seconds_text(double seconds) {
  std::string text = format_points(seconds);  // same rule: 5 not 5.000000
  return text + " s";
}

Verdict make_verdict(Outcome outcome, const RunRecord& run, std::string output) {
  return Verdict{outcome, run.seconds, std::move(output), 1, outcome == Outcome::pass ? 1 : 0};
}

// The run wrote a report: judge by what gtest says about our test in it.
Verdict judge_report(const RunRecord& run, const GtestReport& report) {
  const GtestCase* c = report.find(run.name);
  if (c == nullptr || !c->ran || c->skipped) {
    return make_verdict(Outcome::not_run, run, with_tail("GoogleTest did not run this test (skipped or disabled)", run.output));
  }
  if (!c->failures.empty()) {
    std::string text;
    for (const auto& failure : c->failures) text += (text.empty() ? "" : "\n\n") + failure;
    return make_verdict(Outcome::fail, run, text);
  }
  if (!run.status.success()) {
    return make_verdict(Outcome::fail, run, with_tail("the test passed, but then the test binary " + run.status.describe(), run.output));
  }
  return make_verdict(Outcome::pass, run, "");
}

// `*` matches any run of characters (also none), `?` exactly one; everything else itself.
bool glob_matches(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with one backtrack point: the last `*` seen.
  size_t p = 0, t = 0, star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool any_glob_matches(std::string_view patterns, std::string_view name) {
  size_t start = 0;
  while (start <= patterns.size()) {
    size_t end = std::min(patterns.find(':', start), patterns.size());
    if (glob_matches(patterns.substr(start, end - start), name)) return true;
    start = end + 1;
  }
  return false;
}

// Why a test binary ended without a GoogleTest report. Under `make asan` a sanitizer that finds
// a memory error prints its report and exits 1; that is worth saying in so many words.
std::string why_no_report(const RunRecord& run) {
  std::string status = "the test binary " + run.status.describe();
  for (const char* sanitizer : {"AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer"}) {
    if (run.output.find(std::string("ERROR: ") + sanitizer) != std::string::npos) {
      return status + ": " + sanitizer + " found a bug in the code under test (its report is below; the first "
             "stack frame in your code is where to look)";
    }
  }
  return status + " before GoogleTest wrote its report: did the code call exit() or _exit()?";
}

// One sandboxed run of `test`, in a scratch directory that is removed afterwards.
Result<RunRecord> run_once(const std::filesystem::path& binary, const GradedTest& test, const RunSettings& settings) {
  TempDir scratch = DL_TRY(TempDir::create("grade-").context("making a scratch directory for " + test.name));
  std::filesystem::path report = scratch / "report.json";
  RunOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<long long>(test.timeout_s * 1000));
  options.output_limit = settings.output_limit;
  options.merge_stderr = true;
  options.spawn.cwd = scratch.path().string();
  options.spawn.before_exec = sandbox_hook(settings.sandbox);
  std::vector<std::string> argv = {binary.string(), "--gtest_filter=" + test.name,
                                   "--gtest_output=json:" + report.string(), "--gtest_color=no"};
  Completed done = DL_TRY(run(argv, std::move(options)).context("running " + test.name));
  RunRecord record{test.name, test.timeout_s, done.status, done.timed_out,
                   static_cast<double>(done.elapsed.count()) / 1000, std::move(done.out), std::nullopt};
  if (auto text = read_file(report); text.ok()) record.report = std::move(text).value();
  return record;
}

}  // namespace

Verdict judge_run(const RunRecord& run) {
  if (run.timed_out) {
    return make_verdict(Outcome::timeout, run,
                   with_tail("killed after " + seconds_text(run.timeout_s) +
                                 ": lab.yaml's timeout for this test (is something waiting forever?)",
                             run.output));
  }
  if (!run.status.exited()) {
    return make_verdict(Outcome::crash, run, with_tail("the test binary was " + run.status.describe(), run.output));
  }
  auto report = run.report ? parse_gtest_json(*run.report, "report of " + run.name)
                            : Result<GtestReport>(Error::invalid("no report"));
  if (!report.ok()) return make_verdict(Outcome::crash, run, with_tail(why_no_report(run), run.output));
  return judge_report(run, report.value());
}

Verdict combine_runs(const std::vector<Verdict>& runs) {
  if (runs.empty()) return Verdict{};
  int passed = static_cast<int>(std::count_if(runs.begin(), runs.end(), [](const Verdict& v) { return v.outcome == Outcome::pass; }));
  double slowest = 0;
  for (const auto& v : runs) slowest = std::max(slowest, v.seconds);
  int count = static_cast<int>(runs.size());
  if (passed == count) return Verdict{Outcome::pass, slowest, "", count, count};
  auto bad = std::find_if(runs.begin(), runs.end(), [](const Verdict& v) { return v.outcome != Outcome::pass; });
  Verdict combined = *bad;
  combined.seconds = slowest;
  combined.runs = count;
  combined.passed_runs = passed;
  if (count > 1) {
    std::string tally = "passed " + std::to_string(passed) + " of " + std::to_string(count) + " runs";
    combined.output = (passed > 0 ? "flaky: " : "") + tally + "\n" + combined.output;
  }
  return combined;
}

bool gtest_filter_matches(std::string_view filter, std::string_view name) {
  size_t dash = filter.find('-');
  std::string_view positive = filter.substr(0, dash);
  std::string_view negative = dash == std::string_view::npos ? std::string_view() : filter.substr(dash + 1);
  if (positive.empty()) positive = "*";
  if (!any_glob_matches(positive, name)) return false;
  return negative.empty() || !any_glob_matches(negative, name);
}

std::string take_sandbox_notes(std::string& output) {
  std::string notes, rest;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    end = end == std::string::npos ? output.size() : end + 1;
    std::string_view line(output.data() + start, end - start);
    if (line.starts_with(kSandboxNotePrefix)) {
      notes += "sandbox: " + std::string(line.substr(kSandboxNotePrefix.size()));
      if (notes.back() != '\n') notes += '\n';
    } else {
      rest += line;
    }
    start = end;
  }
  output = std::move(rest);
  return notes;
}

std::string missing_test_message(const std::string& test, const std::string& binary_name) {
  return "lab.yaml lists " + test + " but " + binary_name + " has no such test: did a test get renamed?";
}

Result<std::vector<std::string>> list_tests(const std::filesystem::path& binary) {
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  std::string listing = DL_TRY(run_checked({binary.string(), "--gtest_list_tests"}, std::move(options))
                                   .context("listing the tests of " + binary.string()));
  return parse_gtest_list(listing);
}

Result<Verdict> run_graded_test(const std::filesystem::path& binary, const GradedTest& test,
                                const RunSettings& settings) {
  std::vector<Verdict> runs;
  std::string notes;
  for (int i = 0; i < std::max(1, settings.repeat); ++i) {
    RunRecord record = DL_TRY(run_once(binary, test, settings));
    std::string run_notes = take_sandbox_notes(record.output);
    if (notes.empty()) notes = run_notes;  // the same each run: say it once
    runs.push_back(judge_run(record));
    if (runs.back().outcome == Outcome::timeout) break;  // another hang would only cost time
  }
  Verdict verdict = combine_runs(runs);
  if (!notes.empty()) verdict.output = notes + verdict.output;
  return verdict;
}

}  // namespace deploylab::grading
