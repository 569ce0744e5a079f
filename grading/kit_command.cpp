// grading/kit_command.cpp: `grade kit`, which writes the student kit (make student-kit). The
// work is done by write_student_kit() in kit.h; this file only reads the options and prints.
#include <iostream>

#include "common/build_tree.h"
#include "grading/commands.h"
#include "grading/kit.h"

namespace deploylab::grading {

cli::Command kit_command() {
  auto declare = [](cli::po::options_description& options, cli::po::positional_options_description&) {
    options.add_options()
        ("source", cli::po::value<std::string>(), "the reference tree (default: the tree grade was built from)")
        ("out", cli::po::value<std::string>(), "where to write the kit (default: SOURCE/build/student-kit)")
        ("include-untracked", "also ship untracked files that .gitignore does not exclude (for trials)");
  };
  auto run = [](const cli::po::variables_map& vm) -> int {
    std::filesystem::path source = vm.count("source") ? std::filesystem::path(vm["source"].as<std::string>())
                                                      : default_source_root();
    std::filesystem::path out = vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>())
                                                : source / "build" / "student-kit";
    FileSelection selection = vm.count("include-untracked") ? FileSelection::tracked_and_untracked : FileSelection::tracked;
    KitSummary summary = write_student_kit(source, out, selection).value();
    std::cout << describe(summary);
    return 0;
  };
  return {"kit", "write the student kit: solutions replaced by stubs, hidden tests left out", declare, run};
}

}  // namespace deploylab::grading
