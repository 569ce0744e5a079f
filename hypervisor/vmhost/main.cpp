// hypervisor/vmhost/main.cpp: the `vmhost` tool, a KVM test host for machines without hardware
// virtualization (see README.md beside this file):
//   vmhost run [--mem 2G] -- CMD...   run CMD inside the test host; exit with CMD's exit code
//   vmhost shell                      an interactive shell in the test host, with /dev/kvm
//   vmhost auto -- CMD...             CMD natively where hardware KVM exists, else `vmhost run`
//   vmhost where                      which of the two `auto` picks here, and why
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "common/build_tree.h"
#include "common/cli.h"
#include "hypervisor/vmhost/runner.h"
#include "hypervisor/vmhost/virtualization.h"

extern char** environ;

namespace deploylab::vmhost {
namespace {

namespace fs = std::filesystem;
namespace po = cli::po;

void declare_host_options(po::options_description& options, po::positional_options_description& positional) {
  fs::path build = default_build_dir(default_source_root());
  fs::path assets = default_assets_dir();  // BUILD/assets, or $DEPLOYLAB_ASSETS
  options.add_options()
      ("mem", po::value<std::string>()->default_value("2G"), "the test host's memory (M or G)")
      ("cpus", po::value<int>()->default_value(1),
       "the test host's virtual CPUs (more than one can freeze nested guests under QEMU's emulation)")
      ("timeout", po::value<int>()->default_value(0), "seconds before the test host is stopped (0: no limit)")
      ("freeze-retries", po::value<int>()->default_value(2),
       "fresh test hosts to try when one freezes (its heartbeat stops; a QEMU emulation fault); run and auto only")
      ("heartbeat-limit", po::value<int>()->default_value(45), "seconds without a heartbeat before the test host counts as frozen")
      ("build-dir", po::value<std::string>()->default_value(build.string()), "shared read-write at the same path (results come back)")
      ("kernel", po::value<std::string>()->default_value((assets / "kernel/vmlinuz").string()), "the test host's kernel (make deps; also DEPLOYLAB_ASSETS)")
      ("initramfs", po::value<std::string>()->default_value((assets / "vmhost-initramfs.cpio.gz").string()),
       "the test host's initramfs (make deps)")
      ("command", po::value<std::vector<std::string>>()->multitoken(), "the command, after --");
  positional.add("command", -1);
}

VmhostRun request_from(const po::variables_map& vm, Mode mode) {
  VmhostRun r;
  r.qemu.mode = mode;
  r.qemu.memory_mib = parse_memory_mib(vm["mem"].as<std::string>()).value();
  r.qemu.cpus = vm["cpus"].as<int>();
  r.qemu.build_dir = fs::absolute(vm["build-dir"].as<std::string>());
  r.qemu.kernel = vm["kernel"].as<std::string>();
  r.qemu.initramfs = vm["initramfs"].as<std::string>();
  r.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  // An interactive shell is never restarted behind its user's back: the freeze is reported.
  r.freeze_retries = mode == Mode::run ? vm["freeze-retries"].as<int>() : 0;
  r.freeze_limits.silence = std::chrono::seconds(std::max(5, vm["heartbeat-limit"].as<int>()));
  r.keep_console_as = r.qemu.build_dir / "vmhost-console.log";
  if (vm.count("command")) r.job.argv = vm["command"].as<std::vector<std::string>>();
  r.job.cwd = fs::current_path();
  r.job.env = passable_environment(environ);
  return r;
}

int run_in_test_host(const po::variables_map& vm, Mode mode) {
  VmhostRun request = request_from(vm, mode);
  if (mode == Mode::run && request.job.argv.empty()) {
    std::cerr << "vmhost run: no command: write it after --, e.g. vmhost run -- uname -r\n";
    return 2;
  }
  if (!fs::is_directory(request.qemu.build_dir)) request.qemu.build_dir.clear();
  return run_vmhost(std::move(request)).value();
}

Virtualization here() {
  const char* override = std::getenv("DEPLOYLAB_KVM");
  return choose_place(gather_virt_facts(), override ? override : "");
}

int run_auto(const po::variables_map& vm) {
  std::vector<std::string> argv = vm.count("command") ? vm["command"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (argv.empty()) {
    std::cerr << "vmhost auto: no command: write it after --\n";
    return 2;
  }
  Virtualization v = here();
  std::cerr << "vmhost: " << to_string(v.mode) << ": " << v.plan << "\n";
  if (v.place == Place::vmhost) return run_in_test_host(vm, Mode::run);
  std::vector<char*> c_argv;
  for (auto& word : argv) c_argv.push_back(word.data());
  c_argv.push_back(nullptr);
  ::execvp(c_argv[0], c_argv.data());
  throw ErrorException(Error::os("execvp", argv[0], errno));
}

}  // namespace
}  // namespace deploylab::vmhost

int main(int argc, char** argv) {
  using namespace deploylab;
  using namespace deploylab::vmhost;
  cli::Command run{"run", "run a command inside the test host and exit with its exit code", declare_host_options,
                   [](const po::variables_map& vm) { return run_in_test_host(vm, Mode::run); }};
  cli::Command shell{"shell", "an interactive shell inside the test host, with /dev/kvm", declare_host_options,
                     [](const po::variables_map& vm) { return run_in_test_host(vm, Mode::shell); }};
  cli::Command automatic{"auto", "run a command natively where hardware KVM exists, else inside the test host",
                         declare_host_options, run_auto};
  cli::Command where{"where", "say where `auto` runs KVM code on this machine, and why",
                     [](po::options_description&, po::positional_options_description&) {},
                     [](const po::variables_map&) {
                       Virtualization v = here();
                       std::cout << (v.place == Place::native ? "native" : "vmhost") << "\n"
                                 << to_string(v.mode) << ": " << v.finding << "\n" << v.plan << "\n";
                       return 0;
                     }};
  return cli::main("vmhost", "a KVM test host under QEMU for machines without hardware virtualization",
                   {run, shell, automatic, where}, argc, argv);
}
