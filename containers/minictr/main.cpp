// containers/minictr/main.cpp: `minictr`, deploylab's OCI container runtime (labs 05-07). It
// takes the command line runc and crun take, so a container manager can call it instead:
//
//   minictr spec                                   write a default config.json (as `runc spec`)
//   minictr create --bundle B [--pid-file F] [--console-socket S] ID
//   minictr start ID | state ID | kill ID [SIGNAL] | delete [--force] ID
//   minictr run --bundle B ID                      create + start + wait, in the foreground
//   minictr list | ps ID | exec ID -- CMD | stats ID --json
//   minictr image build-busybox | import FILE --tag NAME | ls    layers shared by containers
//   minictr network create NAME | ls | rm NAME | connect NAME ID --netns P | disconnect NAME ID
//   create and run take --net none|host|NAME and -p [HOSTIP:]HOSTPORT:CPORT[/PROTO] (lab 08)
//
// Global options before the command (--root, --log, --log-format, --debug) are runc's.
#include <iostream>

#include "common/cli.h"
#include "containers/minictr/commands.h"
#include "containers/minictr/global_options.h"

int main(int argc, char** argv) {
  using namespace deploylab;
  using namespace deploylab::ctr;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto global = split_global_options(args);
  if (!global.ok()) {
    std::cerr << "minictr: " << global.error().message() << "\n";
    return 2;
  }
  if (global.value().systemd_cgroup) {
    std::cerr << "minictr: --systemd-cgroup is not supported: minictr manages cgroupfs directly; leave the flag out\n";
    return 2;
  }
  std::vector<std::string> words = {argv[0]};
  words.insert(words.end(), global.value().rest.begin(), global.value().rest.end());
  if (global.value().debug) words.insert(words.begin() + (words.size() > 1 ? 2 : 1), {"--log-level", "debug"});
  std::vector<char*> c_argv;
  for (auto& word : words) c_argv.push_back(word.data());
  return cli::main("minictr", "an OCI container runtime from namespaces, pivot_root, overlay and cgroups (labs 05-07)",
                   {minictr::spec_command(), minictr::create_command(), minictr::start_command(), minictr::state_command(),
                    minictr::kill_command(), minictr::delete_command(), minictr::run_command(), minictr::list_command(),
                    minictr::exec_command(), minictr::ps_command(), minictr::stats_command(), minictr::image_command(),
                    minictr::network_command()},
                   static_cast<int>(c_argv.size()), c_argv.data());
}
