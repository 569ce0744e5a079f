// grading/test_host.cpp: one test-host boot per KVM lab (see test_host.h).
#include "grading/test_host.h"

#include <cmath>

#include "common/file_io.h"
#include "common/subprocess.h"
#include "hypervisor/vmhost/outcome.h"

namespace deploylab::grading {
namespace {

constexpr double kBootAllowance = 120;  // seconds for booting and powering off the test host

std::string joined_test_names(const LabSpec& lab) {
  std::string names;
  for (const auto& t : lab.tests) names += (names.empty() ? "" : ":") + t.name;
  return names;
}

}  // namespace

std::vector<std::string> test_host_command(const TestHostGrading& how, const LabSpec& lab) {
  double budget = kBootAllowance;
  for (const auto& t : lab.tests) budget += t.timeout_s * how.repeat;
  return {how.vmhost.string(), "run", "--build-dir", how.build.string(), "--timeout",
          std::to_string(static_cast<int>(std::ceil(budget))), "--",
          how.grade.string(), "run", "--lab", std::to_string(lab.number), "--tests", joined_test_names(lab),
          "--no-build", "--source", how.source.string(), "--build-dir", how.build.string(),
          "--results", how.results.string(), "--repeat", std::to_string(how.repeat)};
}

Result<std::vector<TestResult>> grade_in_test_host(const TestHostGrading& how, const LabSpec& lab) {
  std::error_code ec;
  std::filesystem::remove(how.results, ec);
  RunOptions options;
  options.merge_stderr = true;
  // Inside the test host /dev/kvm is AMD-V: the inner grader must run the tests, not boot again.
  options.spawn.env = {"DEPLOYLAB_KVM=native"};
  Completed done = DL_TRY(run(test_host_command(how, lab), std::move(options)));
  auto text = read_file(how.results);
  if (!text.ok()) {
    return Error::invalid("no results came back from the test host (vmhost " + done.status.describe() + "):\n" +
                          vmhost::last_lines(done.out, 25));
  }
  std::vector<TestResult> tests = DL_TRY(parse_results_json(text.value(), how.results.string()));
  std::erase_if(tests, [&](const TestResult& t) { return t.lab != lab.number; });
  return tests;
}

}  // namespace deploylab::grading
