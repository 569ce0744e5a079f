// tests/grading/grade_e2e_test.cpp: the grader end to end, on a copy of this very tree.
//
// The promise `make grade` makes to students and instructors: a broken solution loses exactly
// the points of the tests it breaks, no more and no less, and a solution that does not compile
// scores 0 with the compiler's words instead of crashing the grader. These tests break lab 0's
// reference solution on purpose in a scratch copy and hold the grader to that promise. Which
// tests a mutation breaks is not written down here: GoogleTest itself, run on the broken
// build, is the oracle the grader's verdicts are compared with.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "grading/lab_spec.h"

namespace deploylab {
namespace {

using namespace std::chrono_literals;
using grading::LabSpec;

// The scratch copy of the source tree, made and configured once for the whole suite.
class GradeEndToEnd : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new TempDir(TempDir::create("deploylab-grade-e2e-").value());
    copy_tree(DEPLOYLAB_SOURCE_DIR, tree());
    RunOptions options;
    options.merge_stderr = true;
    run_checked({"cmake", "-S", tree().string(), "-B", build().string(), "-G", "Ninja"}, options).value();
  }
  static void TearDownTestSuite() { delete scratch_; }

  static std::filesystem::path tree() { return scratch_->path() / "src"; }
  static std::filesystem::path build() { return scratch_->path() / "src/build"; }

  // Copies the files git knows of (tracked, or new and not ignored): the tree as a developer
  // sees it, without build directories.
  static void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::create_directories(to);
    std::string script = "git -C '" + from.string() + "' ls-files -z --cached --others --exclude-standard | "
                         "tar -C '" + from.string() + "' --null -T - -cf - | tar -C '" + to.string() + "' -xf -";
    run_checked({"sh", "-c", script}).value();
  }

  // Replaces `anchor` (which must occur exactly once) in a file of the scratch tree.
  static void mutate(const std::string& file, const std::string& anchor, const std::string& replacement) {
    std::string text = read_file(tree() / file).value();
    auto at = text.find(anchor);
    ASSERT_NE(at, std::string::npos) << "the mutation anchor `" << anchor << "` is no longer in " << file
                                     << ": the reference solution changed; pick a new anchor in this test";
    ASSERT_EQ(text.find(anchor, at + 1), std::string::npos) << "the anchor must occur once in " << file;
    write_file_atomic(tree() / file, text.replace(at, anchor.size(), replacement)).value();
  }

  static void restore(const std::string& file) {
    std::filesystem::copy_file(std::filesystem::path(DEPLOYLAB_SOURCE_DIR) / file, tree() / file,
                               std::filesystem::copy_options::overwrite_existing);
  }

  // Runs the grader under test on lab 0 of the scratch tree.
  static Completed grade_lab0(const std::filesystem::path& results) {
    RunOptions options;
    options.timeout = 600s;
    return run({GRADE_BINARY, "run", "--lab", "0", "--source", tree().string(), "--build-dir", build().string(),
                "--results", results.string()},
               options)
        .value();
  }

  // GoogleTest's own verdict on every test of the broken build: name -> passed.
  static std::map<std::string, bool> oracle(const LabSpec& lab) {
    std::filesystem::path report = scratch_->path() / "oracle.json";
    RunOptions options;
    options.timeout = 300s;
    run({(build() / "bin" / lab.test_binary).string(), "--gtest_output=json:" + report.string()}, options).value();
    auto json = nlohmann::json::parse(read_file(report).value());
    std::map<std::string, bool> passed;
    for (const auto& suite : json["testsuites"]) {
      for (const auto& test : suite["testsuite"]) {
        passed[suite["name"].get<std::string>() + "." + test["name"].get<std::string>()] = !test.contains("failures");
      }
    }
    return passed;
  }

  static nlohmann::json results_by_name(const std::filesystem::path& file) {
    auto json = nlohmann::json::parse(read_file(file).value());
    nlohmann::json by_name;
    for (const auto& t : json["tests"]) by_name[t["name"].get<std::string>()] = t;
    by_name["__score"] = json["score"];
    return by_name;
  }

  static TempDir* scratch_;
};

TempDir* GradeEndToEnd::scratch_ = nullptr;

TEST_F(GradeEndToEnd, BrokenSolutionLosesExactlyThePointsOfTheTestsItBreaks) {
  // Binary suffixes scaled by 2^9 instead of 2^10: Ki, Mi, ... go wrong, everything else is right.
  mutate("labs/00-warmup/quantity.cpp", "<< (10 * scale.binary_power)", "<< (9 * scale.binary_power)");
  std::filesystem::path results = scratch_->path() / "broken.json";
  Completed graded = grade_lab0(results);
  EXPECT_EQ(graded.status.code, 1) << "below full marks the grader must exit 1\n" << graded.out << graded.err;

  LabSpec lab = grading::load_lab_spec(tree() / "labs/00-warmup").value();
  std::map<std::string, bool> passed = oracle(lab);
  nlohmann::json by_name = results_by_name(results);
  double expected_score = 0;
  int broken = 0;
  for (const auto& test : lab.tests) {
    ASSERT_TRUE(passed.contains(test.name)) << test.name << " is in lab.yaml but not in " << lab.test_binary;
    const auto& result = by_name["lab 0: " + test.name];
    double expected = passed[test.name] ? test.points : 0;
    EXPECT_EQ(result["score"].get<double>(), expected)
        << test.name << ": GoogleTest says it " << (passed[test.name] ? "passed" : "failed") << ", the grader gave "
        << result.dump();
    EXPECT_EQ(result["max_score"].get<double>(), test.points) << test.name;
    expected_score += expected;
    broken += passed[test.name] ? 0 : 1;
  }
  EXPECT_GT(broken, 0) << "the mutation broke no test: lab 0's tests do not check binary suffixes any more";
  EXPECT_LT(broken, static_cast<int>(lab.tests.size())) << "the mutation broke every test: it is not a small mutation";
  EXPECT_EQ(by_name["__score"].get<double>(), expected_score);
  EXPECT_NE(graded.out.find("Score: "), std::string::npos) << graded.out;
  restore("labs/00-warmup/quantity.cpp");
}

TEST_F(GradeEndToEnd, CompileErrorScoresZeroWithTheCompilerOutput) {
  std::ofstream(tree() / "labs/00-warmup/file_lock.cpp", std::ios::app) << "\n#error deliberately broken by grade_e2e_test\n";
  std::filesystem::path results = scratch_->path() / "nocompile.json";
  Completed graded = grade_lab0(results);
  EXPECT_EQ(graded.status.code, 1) << graded.out << graded.err;
  EXPECT_FALSE(graded.status.signal) << "the grader itself crashed: " << graded.status.describe();
  EXPECT_NE(graded.out.find("deliberately broken"), std::string::npos) << "the console must show the compiler error:\n"
                                                                       << graded.out;
  auto json = nlohmann::json::parse(read_file(results).value());
  EXPECT_EQ(json["score"].get<double>(), 0);
  ASSERT_FALSE(json["tests"].empty());
  for (const auto& t : json["tests"]) {
    EXPECT_EQ(t["score"].get<double>(), 0) << t.dump();
    EXPECT_EQ(t["extra_data"]["outcome"], "BUILD_FAILED") << t.dump();
  }
  EXPECT_NE(json["tests"][0]["output"].get<std::string>().find("deliberately broken"), std::string::npos)
      << "results.json must carry the compiler error for the student";
  restore("labs/00-warmup/file_lock.cpp");
}

// A lab that needs KVM runs its tests inside the test host where this machine has no hardware
// KVM (forced here with DEPLOYLAB_KVM=vmhost, so the test means the same on every machine), and
// the grader says so. The tests of lab 0 need no KVM, which makes them a cheap passenger.
TEST_F(GradeEndToEnd, KvmLabRunsInsideTheTestHostAndSaysWhy) {
  mutate("labs/00-warmup/lab.yaml", "runs_on: host", "runs_on: kvm");
  RunOptions options;
  options.timeout = 600s;
  options.spawn.env = {"DEPLOYLAB_KVM=vmhost", "DEPLOYLAB_ASSETS=" DEPLOYLAB_ASSETS_DIR};
  Completed graded = run({GRADE_BINARY, "run", "--lab", "0", "--tests", "Quantity.ParsesBinarySuffixes:FileLock.AcquireWritesThePidFile",
                          "--source", tree().string(), "--build-dir", build().string()},
                         options)
                         .value();
  EXPECT_EQ(graded.status.code, 0) << graded.out << graded.err;
  EXPECT_NE(graded.out.find("runs on KVM: "), std::string::npos) << graded.out;
  EXPECT_NE(graded.out.find("inside `vmhost` because DEPLOYLAB_KVM=vmhost"), std::string::npos) << graded.out;
  EXPECT_NE(graded.out.find("Score: 2/2"), std::string::npos) << graded.out;
  restore("labs/00-warmup/lab.yaml");
}

TEST_F(GradeEndToEnd, RestoredTreeScoresFullMarks) {
  std::filesystem::path results = scratch_->path() / "full.json";
  Completed graded = grade_lab0(results);
  EXPECT_EQ(graded.status.code, 0) << graded.out << graded.err;
  auto json = nlohmann::json::parse(read_file(results).value());
  EXPECT_GT(json["score"].get<double>(), 0);
  EXPECT_NE(graded.out.find("Score: " + std::to_string(json["score"].get<int>()) + "/"), std::string::npos) << graded.out;
}

}  // namespace
}  // namespace deploylab
