// grading/demo_command.cpp: `grade demo`, what `make demo` shows a newcomer: the machine check,
// then each lab's demo program (lab.yaml `demo:`), then the grader scoring every lab.
#include <unistd.h>

#include <iostream>

#include "common/child_process.h"
#include "common/build_tree.h"
#include "grading/commands.h"
#include "grading/doctor.h"
#include "grading/lab_spec.h"

namespace deploylab::grading {
namespace {

void banner(const std::string& title) { std::cout << "\n=== " << title << " ===\n" << std::flush; }

// Runs `argv` with our stdout/stderr; returns its exit status text for the summary.
std::string run_visible(std::vector<std::string> argv) {
  SpawnOptions options;
  options.out = Stream::inherit;
  options.err = Stream::inherit;
  auto child = ChildProcess::spawn(argv, options);
  if (!child.ok()) return child.error().message();
  auto status = child.value().wait();
  return status.ok() ? status.value().describe() : status.error().message();
}

int demo(const cli::po::variables_map& vm) {
  std::filesystem::path build = std::filesystem::absolute(vm["build-dir"].as<std::string>());
  std::filesystem::path source = std::filesystem::absolute(vm["source"].as<std::string>());
  banner("The machine (grade doctor)");
  std::cout << format_report(diagnose(gather_machine_facts(build)));
  std::vector<LabSpec> labs = discover_labs(source).value();
  for (const auto& lab : labs) {
    if (lab.demo.empty()) continue;
    banner("Lab " + std::to_string(lab.number) + ": " + lab.title);
    std::vector<std::string> argv = lab.demo;
    argv[0] = (build / "bin" / argv[0]).string();
    std::string status = run_visible(argv);
    std::cout << "(" << lab.demo[0] << " " << status << ")\n";
  }
  banner("Grading the reference solution of every lab (grade run)");
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string status = run_visible({self, "run", "--source", source.string(), "--build-dir", build.string()});
  std::cout << "\nThe labs are in labs/ (start with labs/README.md); `make grade LAB=N` grades one.\n";
  return status == "exited with code 0" ? 0 : 1;
}

}  // namespace

cli::Command demo_command() {
  return {"demo", "show what the kit does: the machine check, each lab's demo, and the grader",
          [](cli::po::options_description& options, cli::po::positional_options_description&) {
            std::filesystem::path source = default_source_root();
            options.add_options()("source", cli::po::value<std::string>()->default_value(source.string()), "the deploylab tree")
                                 ("build-dir", cli::po::value<std::string>()->default_value(default_build_dir(source).string()),
                                  "its build directory");
          },
          demo};
}

}  // namespace deploylab::grading
