// grading/kit_test.cpp: the student-kit generator over a small fake tree (kit.h), and the
// judgements of check-kit over hand-written results (check_kit.h).
//
// Fixture files are built from one string literal per line (never a raw string), so no line of
// this file starts with a solution marker and the kit generator copies it untouched.
#include "grading/kit.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <fstream>
#include <initializer_list>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "grading/check_kit.h"
#include "grading/lab_build.h"
#include "grading/lab_spec.h"
#include "grading/solution_markers.h"

namespace deploylab::grading {
namespace {

namespace fs = std::filesystem;

std::string text_of(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (auto line : lines) out.append(line).append("\n");
  return out;
}

void put(const fs::path& path, const std::string& text, fs::perms mode = fs::perms(0644)) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  fs::permissions(path, mode);
}

std::string contents(const fs::path& path) { return read_file(path).value_or("(missing: " + path.string() + ")"); }

// A reference tree with one lab: a source with two regions, a hidden test, an executable
// script, CI scripts and a build directory with junk in it.
class KitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir::create("kit_test.").value();
    src_ = dir_ / "src";
    kit_ = dir_ / "out" / "student-kit";
    fs::path lab = src_ / "labs" / "07-fake";
    put(src_ / "CMakeLists.txt", "project(fake)\n");
    put(lab / "README.md", "# Lab 7: fake\nFill in the `// BEGIN SOLUTION` regions.\n");
    put(lab / "lab.yaml", text_of({"lab: 7", "slug: fake", "title: Fake", "test_binary: lab07_tests",
                                   "student_files: [labs/07-fake/fake.cpp]", "hidden_files: [labs/07-fake/fake_hidden_test.cpp]",
                                   "tests:", "  - {name: Fake.Visible, points: 2}",
                                   "  - {name: Fake.Hidden, points: 1, visibility: hidden}"}));
    put(lab / "fake.cpp", text_of({"int twice(int x) {", "  // BEGIN SOLUTION lab 7: double it", "  return 2 * x;",
                                   "  // END SOLUTION", "}", "int zero() {", "  // BEGIN SOLUTION", "  return 0 * 1;",
                                   "  // STUB:", "  // return 1;", "  // END SOLUTION", "}"}));
    put(lab / "fake_hidden_test.cpp", "// the instructor's test\n");
    put(lab / "run.sh", "#!/bin/sh\necho hi\n", fs::perms(0755));
    put(src_ / ".ci" / "run", "#!/bin/sh\nmake test\n", fs::perms(0755));
    put(src_ / "build" / "junk.o", "junk\n");
  }

  TempDir dir_;
  fs::path src_;
  fs::path kit_;
};

TEST_F(KitTest, StubsTheSolutionsAndLeavesOutHiddenCiAndBuild) {
  KitSummary summary = write_student_kit(src_, kit_).value();
  EXPECT_EQ(contents(kit_ / "labs/07-fake/fake.cpp"),
            text_of({"int twice(int x) {", "  throw deploylab::NotImplemented(\"lab 7: double it\");", "}", "int zero() {",
                     "  return 1;", "}"}));
  EXPECT_FALSE(fs::exists(kit_ / "labs/07-fake/fake_hidden_test.cpp")) << "the hidden test must stay out of the kit";
  EXPECT_FALSE(fs::exists(kit_ / ".ci")) << "CI scripts must stay out of the kit";
  EXPECT_FALSE(fs::exists(kit_ / "build")) << "build trees must stay out of the kit";
  EXPECT_EQ(contents(kit_ / "labs/07-fake/README.md"), contents(src_ / "labs/07-fake/README.md"));
  EXPECT_EQ(summary.files_stripped, 1);
  EXPECT_EQ(summary.regions_stripped, 2);
  EXPECT_EQ(summary.hidden_left_out, 1);
  EXPECT_EQ(summary.lab_specs_rewritten, 1);
  EXPECT_EQ(summary.files_copied, 5) << "CMakeLists.txt, README.md, lab.yaml, fake.cpp, run.sh";
  EXPECT_NE(describe(summary).find("2 solution regions"), std::string::npos) << describe(summary);
}

TEST_F(KitTest, NoFileOfTheKitHasAMarker) {
  write_student_kit(src_, kit_).value();
  for (const auto& entry : fs::recursive_directory_iterator(kit_)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_FALSE(has_solution_markers(contents(entry.path()))) << entry.path() << " still has a solution marker";
  }
}

TEST_F(KitTest, LabYamlListsOnlyTheVisibleTests) {
  write_student_kit(src_, kit_).value();
  LabSpec spec = parse_lab_spec(contents(kit_ / "labs/07-fake/lab.yaml"), "kit lab.yaml").value();
  ASSERT_EQ(spec.tests.size(), 1u);
  EXPECT_EQ(spec.tests[0].name, "Fake.Visible");
  EXPECT_TRUE(spec.hidden_files.empty());
}

TEST_F(KitTest, MarksTheKitAndKeepsModeBits) {
  write_student_kit(src_, kit_).value();
  EXPECT_NE(contents(kit_ / ".student-kit").find("generated deploylab student kit"), std::string::npos);
  EXPECT_NE(contents(kit_ / ".student-kit").find("\nstubbed: labs/07-fake/fake.cpp\n"), std::string::npos)
      << "CMake relaxes the unused-code warnings of the files listed there, and only those";
  EXPECT_EQ(contents(kit_ / ".student-kit").find("stubbed: labs/07-fake/README.md"), std::string::npos);
  EXPECT_EQ(fs::status(kit_ / "labs/07-fake/run.sh").permissions(), fs::perms(0755)) << "scripts stay executable";
  EXPECT_EQ(fs::status(kit_ / "labs/07-fake/fake.cpp").permissions(), fs::perms(0644));
}

TEST_F(KitTest, ReplacesAnOldKitFromScratch) {
  write_student_kit(src_, kit_).value();
  put(kit_ / "stale.txt", "left from last time\n");
  write_student_kit(src_, kit_).value();
  EXPECT_FALSE(fs::exists(kit_ / "stale.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(kit_.parent_path()), fs::directory_iterator()), 1)
      << "no staging directory may be left beside the kit";
}

TEST_F(KitTest, RefusesToReplaceADirectoryThatIsNoKit) {
  put(kit_ / "thesis.tex", "years of work\n");
  auto result = write_student_kit(src_, kit_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("not a student kit"), std::string::npos) << result.error().message();
  EXPECT_TRUE(fs::exists(kit_ / "thesis.tex"));
}

TEST_F(KitTest, RefusesOutDirsThatCouldWipeTheSource) {
  for (const fs::path& out : {src_, src_ / "labs" / "kit", dir_.path(), src_ / "build"}) {
    auto result = write_student_kit(src_, out);
    EXPECT_FALSE(result.ok()) << "expected --out " << out << " to be refused";
  }
  EXPECT_TRUE(fs::exists(src_ / "labs/07-fake/fake.cpp"));
  EXPECT_TRUE(write_student_kit(src_, src_ / "build" / "student-kit").ok()) << "build/student-kit is the default place";
}

TEST_F(KitTest, AMarkerInAnUnstrippedFileStopsTheKit) {
  put(src_ / "labs/07-fake/notes.txt", text_of({"the answer:", "// BEGIN SOLUTION x", "42", "// END SOLUTION"}));
  auto result = write_student_kit(src_, kit_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("notes.txt:2"), std::string::npos) << result.error().message();
  EXPECT_FALSE(fs::exists(kit_)) << "a failed run leaves no kit";
}

TEST_F(KitTest, InAGitTreeOnlyTrackedFilesUnlessAskedFor) {
  if (!run_checked({"git", "-C", src_.string(), "init", "-q"}).ok()) GTEST_SKIP() << "git is not installed";
  put(src_ / "untracked.txt", "scratch\n");
  run_checked({"git", "-C", src_.string(), "add", "CMakeLists.txt", "labs", ".ci"}).value();
  write_student_kit(src_, kit_).value();
  EXPECT_TRUE(fs::exists(kit_ / "labs/07-fake/fake.cpp"));
  EXPECT_FALSE(fs::exists(kit_ / "untracked.txt"));
  EXPECT_FALSE(fs::exists(kit_ / ".ci")) << "tracked, but CI scripts never ship";
  write_student_kit(src_, kit_, FileSelection::tracked_and_untracked).value();
  EXPECT_TRUE(fs::exists(kit_ / "untracked.txt"));
}

TEST(KitLocation, InsideTheSourceOnlyUnderABuildDirectory) {
  EXPECT_TRUE(check_kit_location("/src", "/src/build/student-kit").ok());
  EXPECT_TRUE(check_kit_location("/src", "/src/build-kit/kit-check/student-kit").ok());
  EXPECT_TRUE(check_kit_location("/src", "/elsewhere/kit").ok());
  EXPECT_TRUE(check_kit_location("/src", "/srcs/kit").ok()) << "a sibling that shares a prefix is outside";
  EXPECT_FALSE(check_kit_location("/src", "/src").ok());
  EXPECT_FALSE(check_kit_location("/src", "/").ok());
  EXPECT_FALSE(check_kit_location("/src", "/src/build").ok());
  EXPECT_FALSE(check_kit_location("/src", "/src/labs/kit").ok());
}

// --- check-kit's judgements ---

LabSpec fake_lab() {
  return parse_lab_spec(text_of({"lab: 7", "slug: fake", "title: Fake", "test_binary: lab07_tests",
                                 "hidden_files: [labs/07-fake/h.cpp]", "tests:", "  - {name: Fake.A, points: 2}",
                                 "  - {name: Fake.B, points: 1}", "  - {name: Fake.H, points: 1, visibility: hidden}"}),
                        "lab.yaml")
      .value();
}

nlohmann::json entry(const std::string& name, double score, double max, const std::string& outcome) {
  return {{"name", "lab 7: " + name}, {"score", score}, {"max_score", max},
          {"status", score > 0 ? "passed" : "failed"}, {"extra_data", {{"outcome", outcome}}}};
}

std::vector<TestResult> results_of(std::initializer_list<nlohmann::json> tests) {
  nlohmann::json doc = {{"score", 0}, {"tests", nlohmann::json::array()}};
  for (const auto& t : tests) doc["tests"].push_back(t);
  return parse_results_json(doc.dump(), "results.json").value();
}

std::string all_problems(const std::vector<LabVerdict>& verdicts) {
  std::string out;
  for (const auto& v : verdicts) for (const auto& p : v.problems) out += p + "\n";
  return out;
}

TEST(CheckKitJudgement, ReadsGradescopeResults) {
  auto results = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 0, 1, "NOT_RUN")});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].lab, 7);
  EXPECT_EQ(results[0].name, "Fake.A");
  EXPECT_EQ(results[0].max_points, 2);
  EXPECT_EQ(results[1].verdict.outcome, Outcome::not_run);
}

TEST(CheckKitJudgement, EveryVisibleTestFailingOnTheKitIsWhatWeWant) {
  auto results = results_of({entry("Fake.A", 0, 2, "FAIL"), entry("Fake.B", 0, 1, "TIMEOUT")});
  auto verdicts = judge_results(results, {fake_lab()}, TestSet::visible, Expectation::every_test_fails);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].ok()) << all_problems(verdicts);
  EXPECT_EQ(verdicts[0].tests, 2) << "the hidden test is not part of the visible set";
  EXPECT_EQ(verdicts[0].as_expected, 2);
}

TEST(CheckKitJudgement, ATestPassingOnTheKitIsNamedWithAHint) {
  auto results = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 0, 1, "FAIL")});
  std::string problems = all_problems(judge_results(results, {fake_lab()}, TestSet::visible, Expectation::every_test_fails));
  EXPECT_NE(problems.find("lab 7: Fake.A passes without the solution: its solution region does not cover"), std::string::npos)
      << problems;
  EXPECT_EQ(problems.find("Fake.B"), std::string::npos) << problems;
}

TEST(CheckKitJudgement, ATestThatDidNotRunProvesNothing) {
  auto results = results_of({entry("Fake.A", 0, 2, "NOT_RUN")});
  std::string problems = all_problems(judge_results(results, {fake_lab()}, TestSet::visible, Expectation::every_test_fails));
  EXPECT_NE(problems.find("Fake.A did not run on the kit (NOT_RUN)"), std::string::npos) << problems;
  EXPECT_NE(problems.find("Fake.B is missing from the results"), std::string::npos) << problems;
}

TEST(CheckKitJudgement, ATestThisMachineCannotRunIsListedNotFailed) {
  // The reference skipped Fake.B (say, user namespaces are refused in a chroot): on the kit it
  // skips too, which proves nothing here, but is no fault of the kit or the reference.
  auto on_reference = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 0, 1, "NOT_RUN"), entry("Fake.H", 1, 1, "PASS")});
  auto on_kit = results_of({entry("Fake.A", 0, 2, "FAIL"), entry("Fake.B", 0, 1, "NOT_RUN"), entry("Fake.H", 0, 1, "FAIL")});
  SkipSet skips = skipped_tests(on_reference);
  ASSERT_EQ(skips.size(), 1u);
  KitCheckReport report;
  report.labs = {fake_lab()};
  report.kit = judge_results(on_kit, report.labs, TestSet::visible, Expectation::every_test_fails, skips);
  report.hidden = judge_results(on_kit, report.labs, TestSet::hidden, Expectation::every_test_fails, skips);
  report.reference = judge_results(on_reference, report.labs, TestSet::all, Expectation::full_marks, skips);
  report.finished = true;
  std::string text = format_report(report);
  EXPECT_TRUE(report_passed(report)) << text;
  EXPECT_NE(text.find("yes (1/2 fail, 1 not run here)"), std::string::npos) << text;
  EXPECT_NE(text.find("not run on this machine"), std::string::npos) << text;
  EXPECT_NE(text.find("  - lab 7: Fake.B\n"), std::string::npos) << text;
  EXPECT_NE(text.find("but for the 1 tests this machine cannot run"), std::string::npos) << text;
  // Without the reference's word, a skip on the kit still proves nothing and is a problem.
  auto alone = judge_results(on_kit, report.labs, TestSet::visible, Expectation::every_test_fails);
  EXPECT_NE(all_problems(alone).find("Fake.B did not run on the kit"), std::string::npos) << all_problems(alone);
  // A skipped test that passes on the kit elsewhere is not excused: only a skip is.
  auto passing = results_of({entry("Fake.A", 0, 2, "FAIL"), entry("Fake.B", 1, 1, "PASS")});
  auto judged = judge_results(passing, report.labs, TestSet::visible, Expectation::every_test_fails, skips);
  EXPECT_NE(all_problems(judged).find("Fake.B passes without the solution"), std::string::npos) << all_problems(judged);
}

TEST(CheckKitJudgement, HiddenTestsAreJudgedApart) {
  auto results = results_of({entry("Fake.A", 0, 2, "FAIL"), entry("Fake.H", 1, 1, "PASS")});
  auto verdicts = judge_results(results, {fake_lab()}, TestSet::hidden, Expectation::every_test_fails);
  EXPECT_EQ(verdicts[0].tests, 1);
  EXPECT_NE(all_problems(verdicts).find("Fake.H passes without the solution"), std::string::npos) << all_problems(verdicts);
}

TEST(CheckKitJudgement, TheReferenceNeedsFullMarks) {
  auto full = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 1, 1, "PASS"), entry("Fake.H", 1, 1, "PASS")});
  auto verdicts = judge_results(full, {fake_lab()}, TestSet::all, Expectation::full_marks);
  EXPECT_TRUE(verdicts[0].ok()) << all_problems(verdicts);
  EXPECT_EQ(verdicts[0].score, 4);
  auto short_of = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 0, 1, "CRASH"), entry("Fake.H", 1, 1, "PASS")});
  std::string problems = all_problems(judge_results(short_of, {fake_lab()}, TestSet::all, Expectation::full_marks));
  EXPECT_NE(problems.find("Fake.B scores 0/1 on the reference (CRASH)"), std::string::npos) << problems;
}

TEST(CheckKitJudgement, ReportShowsEachLabAndTheVerdict) {
  KitCheckReport report;
  report.labs = {fake_lab()};
  auto on_kit = results_of({entry("Fake.A", 0, 2, "FAIL"), entry("Fake.B", 0, 1, "FAIL"), entry("Fake.H", 0, 1, "FAIL")});
  auto on_reference = results_of({entry("Fake.A", 2, 2, "PASS"), entry("Fake.B", 1, 1, "PASS"), entry("Fake.H", 1, 1, "PASS")});
  report.kit = judge_results(on_kit, report.labs, TestSet::visible, Expectation::every_test_fails);
  EXPECT_FALSE(report_passed(report)) << "steps not reached cannot pass";
  EXPECT_NE(format_report(report).find("check-kit FAILED"), std::string::npos) << format_report(report);
  report.hidden = judge_results(on_kit, report.labs, TestSet::hidden, Expectation::every_test_fails);
  report.reference = judge_results(on_reference, report.labs, TestSet::all, Expectation::full_marks);
  EXPECT_FALSE(report_passed(report)) << "a check that stopped early cannot pass";
  report.finished = true;
  std::string text = format_report(report);
  EXPECT_TRUE(report_passed(report)) << text;
  EXPECT_NE(text.find("yes (2/2 fail)"), std::string::npos) << text;
  EXPECT_NE(text.find("yes (1/1 fail)"), std::string::npos) << text;
  EXPECT_NE(text.find("4/4"), std::string::npos) << text;
  EXPECT_NE(text.find("check-kit PASSED"), std::string::npos) << text;
}

// check-kit shows a failed kit build through the grader's extract_compiler_errors().
TEST(CheckKitJudgement, BuildExcerptShowsTheFailureNotTheProgress) {
  std::string log = text_of({"[1/9] ok", "[2/9] ok", "FAILED: a.o", "a.cpp:3: error: no return", "ninja: build stopped"});
  EXPECT_EQ(extract_compiler_errors(log), "a.cpp:3: error: no return");
  EXPECT_EQ(extract_compiler_errors(text_of({"1", "2", "3"})), "1\n2\n3") << "no error line: the tail";
}

}  // namespace
}  // namespace deploylab::grading
