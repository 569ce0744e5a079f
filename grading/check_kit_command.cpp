// grading/check_kit_command.cpp: `grade check-kit` (make check-kit, and so CI): proves that the
// student kit is fit to hand out. The steps, in order:
//   1. write the kit into WORK/student-kit, exactly as `grade kit` does;
//   2. configure and build all of it: a stub that does not compile breaks every student;
//   3. grade the kit with its own grader: every visible graded test must fail;
//   4. add the hidden test files and the full lab.yaml files to that private copy (never the
//      kit students get, which `grade kit` writes to build/student-kit), rebuild, grade: every
//      hidden test must fail too;
//   5. grade the reference tree: full marks (a test that skips itself because this machine cannot
//      run it, e.g. in a chroot, is listed, not failed, on the kit and the reference alike);
//   6. print the table (check_kit.h) and exit 0 only if every check passed.
// Each step runs its tools with run() and shows their output when they fail.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "grading/check_kit.h"
#include "common/build_tree.h"
#include "grading/commands.h"
#include "grading/kit.h"
#include "grading/lab_build.h"

namespace deploylab::grading {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

struct CheckOptions {
  fs::path source;
  fs::path work;
  fs::path reference_build;
  FileSelection selection = FileSelection::tracked;
  fs::path kit() const { return work / "student-kit"; }
  fs::path kit_build() const { return kit() / "build"; }
};

// Prints "==> what" now and "    done in 12.3 s" when the step returns.
class Step {
 public:
  explicit Step(const std::string& what) : start_(std::chrono::steady_clock::now()) {
    std::cout << "==> " << what << std::endl;
  }
  ~Step() {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::cout << "    (" << std::fixed << std::setprecision(1) << seconds << " s)" << std::defaultfloat << std::endl;
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Runs a tool to completion, its stderr merged into its stdout.
Result<Completed> run_tool(const std::vector<std::string>& argv) {
  RunOptions options;
  options.merge_stderr = true;
  return run(argv, std::move(options));
}

// Configures (always: hidden sources join at configure time) and builds all of the kit, with the
// grader's own build step, so a failure shows the same compiler excerpt a student would see.
Result<void> configure_and_build(const fs::path& kit, const fs::path& build) {
  BuildResult built = build_target(kit, build, "all", Configure::always);
  if (built.built) return {};
  std::cout << built.diagnostics << "\n";
  return Error::invalid("the student kit does not build", kit.string(),
                        "see the errors above: a STUB may need a return value, or a helper the stubs still use sits "
                        "inside a solution region");
}

struct Graded {
  std::vector<TestResult> results;
  std::string output;  // what `grade run` printed: the failure details behind each verdict
};

// Runs `grade run` and reads the results file it writes. Exit 1 (below full marks) is normal
// here; a missing results file or exit 2 (could not grade) is not.
Result<Graded> grade(const fs::path& grade_binary, const fs::path& source, const fs::path& build,
                                        const fs::path& results, const std::vector<std::string>& extra) {
  std::error_code ec;
  fs::remove(results, ec);  // never judge a stale file
  std::vector<std::string> argv = {grade_binary.string(), "run", "--source", source.string(), "--build-dir", build.string(),
                                   "--results", results.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Completed done = DL_TRY(run_tool(argv));
  auto text = read_file(results);
  if (done.status.code == 2 || !text.ok()) {
    std::cout << done.out;
    return Error::invalid(shell_words(argv) + " " + done.status.describe() + " without grading", results.string());
  }
  auto parsed = DL_TRY(parse_results_json(text.value(), results.string()));
  return Graded{std::move(parsed), std::move(done.out)};
}

// Step 4's set-up: the hidden files and the full lab.yaml files, copied from the reference.
Result<void> add_hidden_tests(const CheckOptions& o, const std::vector<LabSpec>& labs) {
  for (const auto& lab : labs) {
    std::vector<fs::path> files = {(lab.dir / "lab.yaml").lexically_relative(o.source)};
    files.insert(files.end(), lab.hidden_files.begin(), lab.hidden_files.end());
    for (const auto& file : files) {
      std::error_code ec;
      fs::create_directories((o.kit() / file).parent_path(), ec);
      fs::copy_file(o.source / file, o.kit() / file, fs::copy_options::overwrite_existing, ec);
      if (ec) return Error::os("copying a hidden test file", (o.source / file).string(), ec.value());
    }
  }
  return {};
}

// The `grade run` options that select only the hidden tests ("--lab 0 --tests A.B:C.D").
std::vector<std::string> hidden_selection(const std::vector<LabSpec>& labs) {
  std::vector<std::string> args;
  std::string filter;
  for (const auto& lab : labs) {
    bool any = false;
    for (const auto& t : lab.tests) {
      if (t.visibility != Visibility::hidden) continue;
      filter += (filter.empty() ? "" : ":") + t.name;
      any = true;
    }
    if (any) args.insert(args.end(), {"--lab", std::to_string(lab.number)});
  }
  if (!filter.empty()) args.insert(args.end(), {"--tests", filter});
  return args;
}

bool all_passed(const std::vector<LabVerdict>& verdicts) {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const LabVerdict& v) { return v.ok(); });
}

// Step 4: the hidden tests, added to the check's copy of the kit, must fail on it too.
Result<void> check_hidden_tests(const CheckOptions& o, const fs::path& kit_grade, const KitCheckReport& report,
                                std::vector<TestResult>& hidden_results) {
  std::vector<std::string> selection = hidden_selection(report.labs);
  if (selection.empty()) return {};  // no lab has hidden tests: nothing to prove
  Step step("adding the hidden tests to the check's copy of the kit: they must fail too");
  DL_TRY(add_hidden_tests(o, report.labs));
  DL_TRY(configure_and_build(o.kit(), o.kit_build()));  // hidden sources join at configure time
  selection.push_back("--no-build");
  auto graded = DL_TRY(grade(kit_grade, o.kit(), o.kit_build(), o.work / "kit-hidden-results.json", selection));
  hidden_results = graded.results;
  return {};
}

// Steps 1 to 5, filling `report` as far as they get.
Result<void> check(const CheckOptions& o, KitCheckReport& report) {
  fs::path self = fs::read_symlink("/proc/self/exe");
  fs::path kit_grade = o.kit_build() / "bin" / "grade";
  {
    Step step("writing the student kit into " + o.kit().string());
    std::cout << describe(DL_TRY(write_student_kit(o.source, o.kit(), o.selection)));
  }
  {
    Step step("building all of the kit");
    DL_TRY(configure_and_build(o.kit(), o.kit_build()));
  }
  if (report.labs.empty()) {
    std::cout << "no labs under " << (o.source / "labs").string() << " yet: nothing to grade\n";
    report.finished = true;
    return {};
  }
  // The kit's runs are judged once the reference has run: a test the reference skipped (the
  // machine cannot run it, e.g. user namespaces in a chroot) proves nothing on the kit either.
  std::vector<TestResult> kit_results, hidden_results;
  {
    Step step("grading the kit: every visible test must fail");
    kit_results = DL_TRY(grade(kit_grade, o.kit(), o.kit_build(), o.work / "kit-results.json", {"--no-build"})).results;
    report.kit = judge_results(kit_results, report.labs, TestSet::visible, Expectation::every_test_fails);
  }
  DL_TRY(check_hidden_tests(o, kit_grade, report, hidden_results));
  report.hidden = judge_results(hidden_results, report.labs, TestSet::hidden, Expectation::every_test_fails);
  {
    Step step("grading the reference in " + o.reference_build.string() + ": full marks expected");
    auto graded = DL_TRY(grade(self, o.source, o.reference_build, o.work / "reference-results.json", {}));
    SkipSet machine_skips = skipped_tests(graded.results);
    report.kit = judge_results(kit_results, report.labs, TestSet::visible, Expectation::every_test_fails, machine_skips);
    report.hidden = judge_results(hidden_results, report.labs, TestSet::hidden, Expectation::every_test_fails, machine_skips);
    report.reference = judge_results(graded.results, report.labs, TestSet::all, Expectation::full_marks, machine_skips);
    if (!all_passed(report.reference)) std::cout << graded.output;  // the reference's failures, in detail
  }
  report.finished = true;
  return {};
}

void declare(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("source", po::value<std::string>(), "the reference tree (default: the tree grade was built from)")
      ("work", po::value<std::string>(), "scratch directory for the kit, its build and the results (default: SOURCE/build/kit-check)")
      ("reference-build", po::value<std::string>(), "the reference tree's build directory (default: SOURCE/build)")
      ("include-untracked", "put untracked files (not ignored by .gitignore) in the kit too, for trials before a commit");
}

CheckOptions read_options(const po::variables_map& vm) {
  CheckOptions o;
  o.source = fs::absolute(vm.count("source") ? fs::path(vm["source"].as<std::string>()) : default_source_root());
  o.work = fs::absolute(vm.count("work") ? fs::path(vm["work"].as<std::string>()) : o.source / "build" / "kit-check");
  o.reference_build = fs::absolute(vm.count("reference-build") ? fs::path(vm["reference-build"].as<std::string>()) : o.source / "build");
  o.selection = vm.count("include-untracked") ? FileSelection::tracked_and_untracked : FileSelection::tracked;
  return o;
}

int run_check_kit(const po::variables_map& vm) {
  CheckOptions o = read_options(vm);
  // The kit's build has no assets of its own (no `make deps` ran there): its KVM labs boot the
  // test host with the reference build's kernel and initramfs, which every grade and vmhost we
  // start inherits through DEPLOYLAB_ASSETS.
  ::setenv("DEPLOYLAB_ASSETS", (o.reference_build / "assets").c_str(), /*overwrite=*/0);
  KitCheckReport report;
  report.labs = discover_labs(o.source).value();
  auto checked = check(o, report);
  if (!checked.ok()) std::cout << "check-kit: " << checked.error().message() << "\n";
  std::cout << "\n" << format_report(report);
  return checked.ok() && report_passed(report) ? 0 : 1;
}

}  // namespace

cli::Command check_kit_command() {
  return {"check-kit", "prove the student kit builds, every graded test fails on it, and the reference scores full marks",
          declare, run_check_kit};
}

}  // namespace deploylab::grading
