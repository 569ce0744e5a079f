// containers/minictr/run_command.cpp: `minictr run --bundle B ID`: create, start and wait in the
// foreground; exits with the program's exit code (128 + N when signal N ended it). An OOM kill
// is reported as Kubernetes reports it: OOMKilled.
#include <iostream>

#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

void add_create_options(po::options_description& options);
CreateRequest create_request_from(const po::variables_map& vm);

cli::Command run_command() {
  return {"run", "create and start a container, and wait for it in the foreground",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            add_create_options(options);
            options.add_options()("keep", po::bool_switch(), "keep the stopped container's state (delete it later)")
                ("detach,d", po::bool_switch(), "create and start, then return at once (no waiting, no exit code)");
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            Runtime runtime = runtime_from(vm);
            CreateRequest request = create_request_from(vm);
            if (vm["detach"].as<bool>()) {
              runtime.create(request).value();
              runtime.start(request.id).value();
              return 0;
            }
            RunResult result = runtime.run(request, vm["keep"].as<bool>() ? RunMode::keep : RunMode::wait_and_delete).value();
            if (result.oom_killed) {
              std::cerr << "minictr: container " << request.id << " was OOMKilled: it used more memory than "
                        << "linux.resources.memory.limit allows (exit code " << result.exit_code << ")\n";
            }
            return result.exit_code;
          }};
}

}  // namespace deploylab::ctr::minictr
