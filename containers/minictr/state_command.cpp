// containers/minictr/state_command.cpp: `minictr state ID`: the OCI state JSON (ociVersion, id,
// status, pid, bundle, annotations), with the status as it is now, and "network" (name, address,
// prefix, gateway, ports) for a container on a minictr network.
#include <iostream>

#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command state_command() {
  return {"state", "print a container's OCI state as JSON",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            std::cout << oci_state_json(runtime_from(vm).state(id_from(vm)).value()) << "\n";
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
