// grading/grade_command.cpp: `grade run`, the auto-grader's entry point (`make grade`).
//
// The run, in order:
//   1. pick the labs (--lab, or every lab under SOURCE/labs) and their tests (--tests GLOB);
//   2. write results.json with every test pending, so even a grader crash leaves a valid file;
//   3. per lab: build its test binary (lab_build.h); on failure every test of the lab scores 0
//      with the compiler errors, and the run goes on with the next lab;
//   4. check that every test lab.yaml lists exists in the binary (a renamed test scores 0 with a
//      message saying so, instead of silently never running);
//   5. run each test in its sandbox (test_runner.h), print its line, rewrite results.json;
//   6. print `Score: X/Y`; exit 0 only with full marks.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "common/build_tree.h"
#include "common/error.h"
#include "common/file_io.h"
#include "grading/commands.h"
#include "grading/console_report.h"
#include "grading/lab_build.h"
#include "grading/results.h"
#include "grading/test_host.h"
#include "grading/test_runner.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::grading {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

constexpr int kBelowFullMarks = 1;  // also: could not grade at all
constexpr int kUsageError = 2;

struct GradeOptions {
  std::vector<int> labs;      // empty: every lab
  std::string tests = "*";
  std::string results_file;   // empty: none
  int repeat = 1;
  fs::path source;
  fs::path build;
  bool build_first = true;
};

void declare(po::options_description& options, po::positional_options_description&) {
  BuildTree tree = tree_of_this_binary();
  std::string source_text = default_source_root().string();
  options.add_options()
      ("lab", po::value<std::vector<int>>()->composing(), "a lab number to grade; repeat for several (default: every lab)")
      ("tests", po::value<std::string>()->default_value("*"),
       "which tests: a gtest-style filter over Suite.Name (`*` and `?`, alternatives joined by `:`)")
      ("results", po::value<std::string>()->default_value(""), "write Gradescope results.json to this file (default: none)")
      ("repeat", po::value<int>()->default_value(1), "runs per test; a test passes only if every run passes")
      ("source", po::value<std::string>()->default_value(source_text), "the deploylab source tree (the one with labs/)")
      ("build-dir", po::value<std::string>()->default_value(tree.build.string()),
       "the CMake build directory (default: the one holding this grade binary, else SOURCE/build)")
      ("no-build", po::bool_switch(), "grade the binaries as they are, without building first");
}

Result<GradeOptions> read_options(const po::variables_map& vm) {
  GradeOptions o;
  if (vm.count("lab")) o.labs = vm["lab"].as<std::vector<int>>();
  std::sort(o.labs.begin(), o.labs.end());  // lab order, each lab once
  o.labs.erase(std::unique(o.labs.begin(), o.labs.end()), o.labs.end());
  o.tests = vm["tests"].as<std::string>();
  o.results_file = vm["results"].as<std::string>();
  o.repeat = vm["repeat"].as<int>();
  if (o.repeat < 1) return Error::invalid("--repeat must be at least 1, not " + std::to_string(o.repeat));
  o.source = fs::absolute(vm["source"].as<std::string>());
  // A --source of one's own means its build/, not the build dir of this binary.
  bool own_source = !vm["source"].defaulted();
  std::string build = vm["build-dir"].as<std::string>();
  o.build = fs::absolute(build.empty() || (own_source && vm["build-dir"].defaulted()) ? o.source / "build" : fs::path(build));
  o.build_first = !vm["no-build"].as<bool>();
  return o;
}

std::string lab_list(const std::vector<LabSpec>& labs) {
  std::string out;
  for (const auto& lab : labs) out += (out.empty() ? "" : ", ") + std::to_string(lab.number);
  return out.empty() ? "none" : out;
}

// The labs to grade out of `all`, each with only the tests the filter selects; labs left with no
// test are dropped. Errors here are usage errors: a lab that does not exist, a filter matching nothing.
Result<std::vector<LabSpec>> select(const GradeOptions& o, const std::vector<LabSpec>& all) {
  std::vector<LabSpec> chosen;
  for (int number : o.labs) {
    auto it = std::find_if(all.begin(), all.end(), [&](const LabSpec& l) { return l.number == number; });
    if (it == all.end()) return Error::invalid("no lab " + std::to_string(number) + " in", (o.source / "labs").string(), "labs there: " + lab_list(all));
    chosen.push_back(*it);
  }
  if (o.labs.empty()) chosen = all;
  std::vector<LabSpec> selected;
  std::string known;
  for (LabSpec lab : chosen) {
    for (const auto& t : lab.tests) known += "\n  lab " + std::to_string(lab.number) + ": " + t.name;
    std::erase_if(lab.tests, [&](const GradedTest& t) { return !gtest_filter_matches(o.tests, t.name); });
    if (!lab.tests.empty()) selected.push_back(std::move(lab));
  }
  if (selected.empty()) return Error::invalid("--tests `" + o.tests + "` matches no test; the tests are:" + known);
  return selected;
}

class Grader {
 public:
  Grader(GradeOptions options, std::vector<LabSpec> labs)
      : options_(std::move(options)), labs_(std::move(labs)), color_(use_color(STDOUT_FILENO)) {}

  // Grades every lab and returns the exit code.
  int run() {
    for (const auto& lab : labs_) {
      for (const auto& test : lab.tests) results_.add_pending(lab.number, test);
    }
    save();
    for (const auto& lab : labs_) grade_lab(lab);
    print(format_score(results_, color_));
    save();
    return results_.full_marks() && saved_ ? 0 : kBelowFullMarks;
  }

 private:
  void grade_lab(const LabSpec& lab) {
    print(format_lab_header(lab, color_));
    fs::path binary = options_.build / "bin" / lab.test_binary;
    std::string build_trouble = build(lab, binary);
    if (!build_trouble.empty()) {
      fail_lab(lab, "build of " + lab.test_binary + " failed", build_trouble);
    } else if (auto listed = list_tests(binary); !listed.ok()) {
      fail_lab(lab, "could not list the tests of " + lab.test_binary, listed.error().message());
    } else if (runs_in_test_host(lab)) {
      grade_lab_in_test_host(lab);
    } else {
      RunSettings settings;
      settings.sandbox = SandboxPolicy{lab.network};
      settings.repeat = options_.repeat;
      for (const auto& test : lab.tests) grade_test(lab, test, binary, listed.value(), settings);
    }
    print(format_lab_subtotal(results_, lab.number));
    save();
  }

  // Builds the lab's binary (or, with --no-build, checks that it exists). Returns what went
  // wrong (the compiler errors), or nothing.
  std::string build(const LabSpec& lab, const fs::path& binary) {
    if (!options_.build_first) {
      return fs::exists(binary) ? "" : binary.string() + " does not exist: build it (make) or drop --no-build";
    }
    print("  building " + lab.test_binary + " ...\n");
    return build_target(options_.source, options_.build, lab.test_binary).diagnostics;
  }

  // Nothing of `lab` could run: every test scores 0, and `why` is printed once.
  void fail_lab(const LabSpec& lab, const std::string& headline, const std::string& why) {
    results_.record_lab(lab.number, Verdict{Outcome::build_failed, 0, why, 0, 0});
    print(format_lab_failure(headline, why, color_));
    for (const auto& test : lab.tests) {
      print(format_test(*results_.find(lab.number, test.name), name_width(lab), color_));
    }
  }

  // Where a lab that needs KVM runs (said once per lab): natively with hardware KVM, else in the
  // test host. (Listing the tests, above, needs no KVM and always runs natively.)
  bool runs_in_test_host(const LabSpec& lab) {
    if (lab.runs_on != RunsOn::kvm) return false;
    const char* override = std::getenv("DEPLOYLAB_KVM");
    vmhost::Virtualization v = vmhost::choose_place(vmhost::gather_virt_facts(), override ? override : "");
    print("  runs on KVM: " + vmhost::to_string(v.mode) + ": " + v.plan + "\n");
    return v.place == vmhost::Place::vmhost;
  }

  // Every test of `lab` in one boot of the test host (grading/test_host.h).
  void grade_lab_in_test_host(const LabSpec& lab) {
    if (options_.build_first) {
      if (auto built = build_target(options_.source, options_.build, "vmhost"); !built.diagnostics.empty()) {
        fail_lab(lab, "the test host tool `vmhost` did not build", built.diagnostics);
        return;
      }
    }
    std::error_code ec;
    TestHostGrading how{options_.build / "bin/vmhost", fs::read_symlink("/proc/self/exe", ec), options_.source,
                        options_.build, options_.build / ("grade-lab" + std::to_string(lab.number) + "-in-vmhost.json"),
                        options_.repeat};
    print("  booting the test host once for the " + std::to_string(lab.tests.size()) + " tests ...\n");
    auto graded = grade_in_test_host(how, lab);
    if (!graded.ok()) {
      fail_lab(lab, "grading inside the test host failed", graded.error().message());
      return;
    }
    for (const auto& test : lab.tests) {
      Verdict verdict{Outcome::crash, 0, "the grader inside the test host did not get to this test", 0, 0};
      for (const auto& t : graded.value()) {
        if (t.name == test.name && t.verdict.outcome != Outcome::pending) verdict = t.verdict;
      }
      results_.record(lab.number, test.name, std::move(verdict));
      print(format_test(*results_.find(lab.number, test.name), name_width(lab), color_));
    }
  }

  void grade_test(const LabSpec& lab, const GradedTest& test, const fs::path& binary,
                  const std::vector<std::string>& listed, const RunSettings& settings) {
    Verdict verdict;
    if (std::find(listed.begin(), listed.end(), test.name) == listed.end()) {
      verdict = Verdict{Outcome::missing, 0, missing_test_message(test.name, lab.test_binary), 0, 0};
    } else {
      auto ran = run_graded_test(binary, test, settings);
      verdict = ran.ok() ? std::move(ran).value()
                         : Verdict{Outcome::crash, 0, "the grader could not run this test: " + ran.error().message(), 0, 0};
    }
    warn_about_sandbox(verdict.output);
    results_.record(lab.number, test.name, std::move(verdict));
    print(format_test(*results_.find(lab.number, test.name), name_width(lab), color_));
    save();
  }

  // Says once per run what the sandbox could not do on this machine (every test's output in
  // results.json says it too); the console would otherwise show it only under failures.
  void warn_about_sandbox(const std::string& output) {
    if (warned_) return;
    for (size_t start = 0; output.compare(start, 9, "sandbox: ") == 0;) {
      size_t end = std::min(output.find('\n', start), output.size());
      print("  note: " + output.substr(start, end - start) + "\n");
      warned_ = true;
      start = end + 1;
    }
  }

  // Rewrites results.json (if asked for) atomically: a reader never sees half a file.
  void save() {
    if (options_.results_file.empty()) return;
    results_.execution_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    auto written = write_file_atomic(options_.results_file, to_gradescope_json(results_));
    if (!written.ok() && saved_) std::cerr << "grade run: " << written.error().message() << "\n";
    saved_ = saved_ && written.ok();
  }

  void print(const std::string& text) { std::cout << text << std::flush; }

  GradeOptions options_;
  std::vector<LabSpec> labs_;
  Color color_;
  RunResults results_;
  bool saved_ = true;
  bool warned_ = false;  // the sandbox's notes were printed
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

int run_grade(const po::variables_map& vm) {
  auto options = read_options(vm);
  if (!options.ok()) {
    std::cerr << "grade run: " << options.error().message() << "\n";
    return kUsageError;
  }
  auto all = discover_labs(options.value().source);
  if (all.ok() && all.value().empty()) {
    all = Error::invalid("no labs to grade", (options.value().source / "labs").string(), "is --source the top of the deploylab tree?");
  }
  if (!all.ok()) {
    std::cerr << "grade run: " << all.error().message() << "\n";
    return kBelowFullMarks;
  }
  auto labs = select(options.value(), all.value());
  if (!labs.ok()) {
    std::cerr << "grade run: " << labs.error().message() << "\n";
    return kUsageError;
  }
  return Grader(std::move(options).value(), std::move(labs).value()).run();
}

}  // namespace

cli::Command grade_command() {
  return {"run", "build the labs, run their graded tests sandboxed, print and record the score", declare, run_grade};
}

}  // namespace deploylab::grading
