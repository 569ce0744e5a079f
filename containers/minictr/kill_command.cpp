// containers/minictr/kill_command.cpp: `minictr kill ID [SIGNAL]` (default TERM); --all signals
// every process of the container's cgroup, not just its init.
#include "containers/minictr/commands.h"
#include "containers/runtime/signal_names.h"

namespace deploylab::ctr::minictr {

cli::Command kill_command() {
  return {"kill", "send a signal to a container (default TERM)",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("id", po::value<std::string>()->required(), "the container's id")
                ("signal", po::value<std::string>()->default_value("TERM"), "a name (TERM, SIGKILL) or a number")
                ("all,a", po::bool_switch(), "signal every process in the container's cgroup");
            positional.add("id", 1).add("signal", 1);
          },
          [](const po::variables_map& vm) {
            int signal = parse_signal(vm["signal"].as<std::string>()).value();
            KillScope scope = vm["all"].as<bool>() ? KillScope::every_process : KillScope::init_only;
            runtime_from(vm).kill(id_from(vm), signal, scope).value();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
