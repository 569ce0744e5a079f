// containers/minictr/delete_command.cpp: `minictr delete [--force] ID`: remove every trace of a
// container (its cgroup, mounts, network attachment and state); --force kills it first if it still
// runs.
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command delete_command() {
  return {"delete", "remove a stopped (or, with --force, running) container",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("force,f", po::bool_switch(), "kill the container first if it is running");
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            runtime_from(vm).remove(id_from(vm), vm["force"].as<bool>() ? DeleteMode::force : DeleteMode::only_stopped).value();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
