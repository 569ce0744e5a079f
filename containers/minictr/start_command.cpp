// containers/minictr/start_command.cpp: `minictr start ID`: run the program of a created
// container (its init is waiting on the exec fifo, exec_fifo.h).
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command start_command() {
  return {"start", "start the program of a created container",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            runtime_from(vm).start(id_from(vm)).value();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
