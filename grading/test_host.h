// grading/test_host.h: grading a lab that needs KVM on a machine without hardware KVM.
//
// Such a lab's tests run inside the KVM test host (hypervisor/vmhost/). Booting it costs about
// 8 s, so the grader boots it once per lab, not once per test: it runs a second `grade run` for
// that lab inside the test host, where /dev/kvm is a working AMD-V and the tests run natively
// with the usual sandbox and timeouts, and takes over that grader's verdicts from the
// results.json it writes into the (shared) build directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "grading/lab_spec.h"
#include "grading/results.h"

namespace deploylab::grading {

struct TestHostGrading {
  std::filesystem::path vmhost;   // BUILD/bin/vmhost
  std::filesystem::path grade;    // this grade binary (the host's / is visible in the test host)
  std::filesystem::path source;
  std::filesystem::path build;    // shared read-write with the test host
  std::filesystem::path results;  // the inner grader's results.json, inside `build`
  int repeat = 1;
};

// The command line: vmhost run, with a timeout covering every test's, then grade run for `lab`
// (only its selected tests, no build: the host built them).
std::vector<std::string> test_host_command(const TestHostGrading& how, const LabSpec& lab);

// Runs it and returns the verdicts of `lab`'s tests; an error if no verdicts came back (the
// test host did not boot, or the inner grader died), with what vmhost and the grader said.
Result<std::vector<TestResult>> grade_in_test_host(const TestHostGrading& how, const LabSpec& lab);

}  // namespace deploylab::grading
