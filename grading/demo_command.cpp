// grading/demo_command.cpp: `grade demo`, what `make demo` shows a newcomer: the machine check,
// where KVM code runs (with one command in the test host if that is where), then each lab's demo
// program (lab.yaml `demo:`), then the grader scoring every lab.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "common/child_process.h"
#include "common/build_tree.h"
#include "grading/commands.h"
#include "grading/doctor.h"
#include "grading/lab_spec.h"
#include "hypervisor/vmhost/virtualization.h"

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

vmhost::Virtualization kvm_plan(const MachineFacts& facts) {
  const char* override = std::getenv("DEPLOYLAB_KVM");
  return vmhost::choose_place(facts.virt, override ? override : "");
}

vmhost::Place kvm_place(const MachineFacts& facts) { return kvm_plan(facts).place; }

// Where KVM code runs here; on a machine without hardware KVM, one command in the test host.
void show_kvm(const MachineFacts& facts, const std::filesystem::path& build) {
  vmhost::Virtualization v = kvm_plan(facts);
  banner("Where KVM code runs: " + std::string(v.place == vmhost::Place::native ? "natively" : "in the test host (vmhost)"));
  std::cout << v.plan << "\n";
  if (v.place == vmhost::Place::native) return;
  std::string command = "ls -l /dev/kvm; uname -r; grep -c svm /proc/cpuinfo | sed 's/$/ vCPUs with AMD-V/'";
  std::cout << "$ vmhost run -- sh -c \"" << command << "\"\n" << std::flush;
  std::string status = run_visible({(build / "bin/vmhost").string(), "run", "--build-dir", build.string(), "--", "sh", "-c", command});
  std::cout << "(vmhost " << status << ")\n";
}

int demo(const cli::po::variables_map& vm) {
  std::filesystem::path build = std::filesystem::absolute(vm["build-dir"].as<std::string>());
  std::filesystem::path source = std::filesystem::absolute(vm["source"].as<std::string>());
  banner("The machine (grade doctor)");
  MachineFacts facts = gather_machine_facts(build);
  std::cout << format_report(diagnose(facts));
  show_kvm(facts, build);
  std::vector<LabSpec> labs = discover_labs(source).value();
  for (const auto& lab : labs) {
    if (lab.demo.empty()) continue;
    banner("Lab " + std::to_string(lab.number) + ": " + lab.title);
    std::vector<std::string> argv = lab.demo;
    argv[0] = (build / "bin" / argv[0]).string();
    // A KVM lab's demo runs where its tests run: in the test host when this machine has no
    // hardware KVM.
    if (lab.runs_on == RunsOn::kvm && kvm_place(facts) == vmhost::Place::vmhost) {
      argv.insert(argv.begin(), {(build / "bin/vmhost").string(), "run", "--build-dir", build.string(), "--"});
      std::cout << "(in the test host)\n" << std::flush;
    }
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
