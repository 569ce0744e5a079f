// containers/minictr/spec_command.cpp: `minictr spec`: write a default config.json in the bundle
// directory, as `runc spec` does (containers/oci/default_spec.h), plus one thing runc spec leaves
// out: linux.seccomp holds the default profile (containers/security/default_profile.h) for the
// default capabilities, so a bundle made here is confined unless its author removes it.
#include <filesystem>
#include <iostream>

#include "common/file_io.h"
#include "containers/minictr/commands.h"
#include "containers/oci/default_spec.h"
#include "containers/security/default_profile.h"

namespace deploylab::ctr::minictr {

cli::Command spec_command() {
  return {"spec", "write a default config.json (as runc spec)",
          [](po::options_description& options, po::positional_options_description&) {
            add_root_option(options);  // runc's global --root lands here too; unused
            options.add_options()("bundle,b", po::value<std::string>()->default_value("."), "where config.json goes");
          },
          [](const po::variables_map& vm) {
            std::filesystem::path file = std::filesystem::path(vm["bundle"].as<std::string>()) / "config.json";
            if (std::filesystem::exists(file)) {
              throw ErrorException(Error::invalid("config.json already exists", file.string(), "remove it first, as runc spec asks"));
            }
            write_file_atomic(file, default_spec_json(default_seccomp_profile(default_capabilities())) + "\n").value();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
