// containers/minictr/exec_command.cpp: `minictr exec ID [--env K=V] -- CMD ARGS...`: run one more
// process inside a running container; exits with its exit code.
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command exec_command() {
  return {"exec", "run a command inside a running container",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("id", po::value<std::string>()->required(), "the container's id")
                ("env,e", po::value<std::vector<std::string>>()->default_value({}, ""), "NAME=value, on top of config.json's")
                ("command", po::value<std::vector<std::string>>()->multitoken(), "the command, after --");
            positional.add("id", 1).add("command", -1);
          },
          [](const po::variables_map& vm) {
            std::vector<std::string> argv = vm.count("command") ? vm["command"].as<std::vector<std::string>>() : std::vector<std::string>{};
            return runtime_from(vm).exec(id_from(vm), argv, vm["env"].as<std::vector<std::string>>()).value();
          }};
}

}  // namespace deploylab::ctr::minictr
