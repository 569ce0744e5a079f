// labs/00-warmup/warmup_demo.cpp: lab00_demo, what lab 0 does in a dozen lines of output
// (`make demo LAB=0`, or build/bin/lab00_demo).
//
//   1. take a FileLock in a scratch directory;
//   2. start a second process (this program again, with --try-lock) that tries the same lock
//      and prints the error it gets: the holder's PID and what to do;
//   3. release the lock; the second process now gets it;
//   4. parse a few quantities, a bad one among them, and print them back.
// Extra arguments are quantities to parse instead of the built-in list: lab00_demo 250m 2Gi 5Mb
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "common/cli.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "labs/00-warmup/file_lock.h"
#include "labs/00-warmup/quantity.h"

namespace deploylab::warmup {
namespace {

namespace po = cli::po;

// The second process of the demo: one attempt, and what came of it.
int try_lock(const std::string& path) {
  auto lock = FileLock::acquire(path);
  if (!lock.ok()) {
    std::cout << "process " << ::getpid() << " gets: " << lock.error().message() << "\n";
    return 1;
  }
  std::cout << "process " << ::getpid() << " gets the lock\n";
  return 0;
}

// Runs this program again as a separate process that tries the lock, and prints what it said.
void second_process_tries(const std::filesystem::path& path) {
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  RunOptions options;
  options.timeout = std::chrono::seconds(10);
  Completed done = run({self, "--try-lock", path.string()}, options).value();
  std::cout << "    " << done.out << (done.err.empty() ? "" : "    " + done.err);
}

void show_lock(const std::filesystem::path& dir) {
  std::filesystem::path path = dir / "kubelet.lock";
  std::cout << "[1] FileLock::acquire(" << path << ")\n";
  FileLock lock = FileLock::acquire(path).value();
  std::cout << "    held by this process, pid " << ::getpid() << "; holder_pid() says "
            << FileLock::holder_pid(path).value() << "\n";
  std::cout << "[2] another process tries the same lock while we hold it:\n";
  second_process_tries(path);
  std::cout << "[3] release(), then the other process tries again:\n";
  lock.release().value();
  second_process_tries(path);
}

void show_quantities(const std::vector<std::string>& texts) {
  std::cout << "[4] parse_quantity, then format_quantity as cpu and as memory:\n";
  std::cout << "    " << std::left << std::setw(10) << "text" << std::setw(22) << "milli-units" << std::setw(14)
            << "as cpu" << "as memory\n";
  for (const auto& text : texts) {
    std::cout << "    " << std::setw(10) << text;
    auto quantity = parse_quantity(text);
    if (!quantity.ok()) {
      std::cout << "error: " << quantity.error().message() << "\n";
      continue;
    }
    std::cout << std::setw(22) << quantity.value().milli << std::setw(14)
              << format_quantity(quantity.value(), QuantityKind::cpu)
              << format_quantity(quantity.value(), QuantityKind::memory) << "\n";
  }
}

int demo(const po::variables_map& vm) {
  if (vm.count("try-lock")) return try_lock(vm["try-lock"].as<std::string>());
  std::vector<std::string> texts = {"500m", "2", "1.5", "128Mi", "1.5Gi", "1e3", "5Mb", "0.1m", "-1"};
  if (vm.count("quantity")) texts = vm["quantity"].as<std::vector<std::string>>();
  TempDir dir = TempDir::create("lab00-demo-").value();
  std::cout << "Lab 0: one owner per kernel resource, and errors that say what to do.\n\n";
  show_lock(dir.path());
  std::cout << "\n";
  show_quantities(texts);
  return 0;
}

}  // namespace
}  // namespace deploylab::warmup

int main(int argc, char** argv) {
  using namespace deploylab;
  namespace po = cli::po;
  cli::Command command{
      "", "Lab 0 demo: a FileLock held against a second process, and Kubernetes quantities",
      [](po::options_description& options, po::positional_options_description& positional) {
        options.add_options()
            ("quantity", po::value<std::vector<std::string>>(), "quantities to parse (positional)")
            ("try-lock", po::value<std::string>(), "try this lock once and say what happened (the demo's second process)");
        positional.add("quantity", -1);
      },
      [](const po::variables_map& vm) {
        try {
          return warmup::demo(vm);
        } catch (const NotImplemented& e) {
          std::cout << "\n" << e.what() << "\nLab 0 is not finished yet: `make grade LAB=0` shows which tests pass.\n";
          return 1;
        }
      }};
  return cli::main("lab00_demo", command.summary, {command}, argc, argv);
}
