// grading/demo_command.cpp: `grade demo`, what `make demo` shows a newcomer in under three minutes:
// the machine check, a real Linux kernel booting in our hypervisor (minivmm, lab 04) with its
// console, the same busybox userland started as a container by our runtime (minictr, labs 05-09),
// and the quick tradeoff table (`make bench QUICK=1`, bench/tradeoff) that compares the two.
// KVM code runs natively on hardware KVM and in the test host (vmhost) elsewhere, said out loud.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/build_tree.h"
#include "common/child_process.h"
#include "common/file_io.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "grading/commands.h"
#include "grading/doctor.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::grading {
namespace {

namespace fs = std::filesystem;

void banner(const std::string& title) { std::cout << "\n=== " << title << " ===\n" << std::flush; }

// Runs `argv` with our stdout/stderr; returns whether it succeeded, after saying how it ended.
bool run_visible(const std::vector<std::string>& argv) {
  SpawnOptions options;
  options.out = Stream::inherit;
  options.err = Stream::inherit;
  auto child = ChildProcess::spawn(argv, options);
  if (!child.ok()) {
    std::cout << "(could not start " << argv[0] << ": " << child.error().message() << ")\n";
    return false;
  }
  auto status = child.value().wait();
  std::string how = status.ok() ? status.value().describe() : status.error().message();
  std::cout << "(" << fs::path(argv[0]).filename().string() << " " << how << ")\n" << std::flush;
  return status.ok() && status.value().success();
}

vmhost::Virtualization kvm_plan(const MachineFacts& facts) {
  const char* override = std::getenv("DEPLOYLAB_KVM");
  return vmhost::choose_place(facts.virt, override ? override : "");
}

// Lab 04: the Debian kernel and the busybox initramfs of `make deps`, booted by minivmm to init,
// which powers the guest off; --timings prints where the time went.
bool boot_linux(const MachineFacts& facts, const fs::path& build) {
  vmhost::Virtualization v = kvm_plan(facts);
  banner(std::string("Lab 04: Linux boots in minivmm ") + (v.place == vmhost::Place::native ? "(natively)" : "(in the test host)"));
  std::cout << v.plan << "\n";
  std::vector<std::string> argv{(build / "bin/minivmm").string(), "boot", "--append", "deploylab.poweroff", "--timings",
                                "--timeout", "120"};
  if (v.place == vmhost::Place::vmhost)
    argv.insert(argv.begin(), {(build / "bin/vmhost").string(), "run", "--build-dir", build.string(), "--timeout", "300", "--"});
  std::cout << "$ minivmm boot --append deploylab.poweroff --timings\n" << std::flush;
  return run_visible(argv);
}

// Labs 05-09: busybox from the same kind of rootfs, as a container: its own PID 1 and hostname,
// the host's kernel.
bool run_container(const fs::path& build) {
  banner("Labs 05-09: the same busybox as a container (minictr)");
  auto dir = TempDir::create("deploylab-demo");
  if (!dir.ok()) return std::cout << dir.error().message() << "\n", false;
  fs::path bundle = dir.value().path();
  fs::path minictr = build / "bin/minictr";
  auto spec = run({minictr.string(), "spec", "--bundle", bundle.string()}, RunOptions{});
  if (!spec.ok() || !spec.value().status.success())
    return std::cout << "minictr spec failed: " << (spec.ok() ? spec.value().err : spec.error().message()) << "\n", false;
  auto text = read_file(bundle / "config.json");
  if (!text.ok()) return std::cout << text.error().message() << "\n", false;
  nlohmann::json config = nlohmann::json::parse(text.value());
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"sh", "-c",
                               "echo \"hello from busybox in a container: hostname $(hostname), kernel $(uname -r), "
                               "my PID $$\"; ps"};
  config["root"] = {{"path", (build / "assets/rootfs").string()}, {"readonly", true}};
  config["hostname"] = "demo";
  if (auto w = write_file_atomic(bundle / "config.json", config.dump(1), Durability::unsynced); !w.ok()) return std::cout << w.error().message() << "\n", false;
  std::string id = "deploylab-demo-" + std::to_string(::getpid());
  std::cout << "$ minictr run --bundle " << bundle.string() << " " << id << "\n" << std::flush;
  return run_visible({minictr.string(), "run", "--bundle", bundle.string(), id});
}

int demo(const cli::po::variables_map& vm) {
  fs::path build = fs::absolute(vm["build-dir"].as<std::string>());
  banner("The machine (grade doctor)");
  MachineFacts facts = gather_machine_facts(build);
  std::cout << format_report(diagnose(facts));
  bool booted = boot_linux(facts, build);
  bool contained = run_container(build);
  banner("The tradeoff table, quick (make bench QUICK=1)");
  bool measured = run_visible({(build / "bin/tradeoff-bench").string(), "--quick", "--build-dir", build.string()});
  std::cout << "\nNext: the labs are in labs/ (start with labs/README.md); `make grade LAB=N` grades one, "
               "`make grade` all of them; `make bench` measures the table for real (about 15 minutes).\n";
  return booted && contained && measured ? 0 : 1;
}

}  // namespace

cli::Command demo_command() {
  return {"demo", "show what the kit does: the machine check, Linux in minivmm, busybox in minictr, the quick tradeoff table",
          [](cli::po::options_description& options, cli::po::positional_options_description&) {
            std::filesystem::path source = default_source_root();
            options.add_options()("source", cli::po::value<std::string>()->default_value(source.string()), "the deploylab tree")
                                 ("build-dir", cli::po::value<std::string>()->default_value(default_build_dir(source).string()),
                                  "its build directory");
          },
          demo};
}

}  // namespace deploylab::grading
