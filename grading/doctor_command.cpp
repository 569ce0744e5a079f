// grading/doctor_command.cpp: `grade doctor`, the machine check behind `make doctor`.
// Gathers facts (machine_facts.h), judges them (doctor.h), prints a line per check with a fix.
#include <iostream>

#include "grading/commands.h"
#include "grading/doctor.h"

namespace deploylab::grading {

cli::Command doctor_command() {
  return {"doctor", "check this machine for what the labs need, with a fix for each missing item",
          [](cli::po::options_description& options, cli::po::positional_options_description&) {
            options.add_options()("build-dir", cli::po::value<std::string>()->default_value("build"),
                                  "where `make deps` put the assets (kernel, initramfs, rootfs, kubectl)");
          },
          [](const cli::po::variables_map& vm) {
            MachineFacts facts = gather_machine_facts(vm["build-dir"].as<std::string>());
            std::vector<Check> checks = diagnose(facts);
            std::cout << "deploylab doctor: can this machine run the labs?\n\n" << format_report(checks);
            return any_failed(checks) ? 1 : 0;
          }};
}

}  // namespace deploylab::grading
