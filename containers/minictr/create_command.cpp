// containers/minictr/create_command.cpp: `minictr create --bundle B ID`: set the container up and
// leave it waiting for `start` (runtime.h). Prints nothing on success, as runc. --net and -p put
// it on a minictr network (containers/net) before its program can run.
#include "containers/minictr/commands.h"
#include "containers/net/port_mapping.h"

namespace deploylab::ctr::minictr {

void add_create_options(po::options_description& options) {
  options.add_options()("bundle,b", po::value<std::string>()->default_value("."), "the bundle directory (holds config.json)")
      ("pid-file", po::value<std::string>()->default_value(""), "write the container's init pid to this file")
      ("console-socket", po::value<std::string>()->default_value(""),
       "a unix socket to send the terminal's master to (when process.terminal is true)")
      ("no-pivot", po::bool_switch(), "accepted for runc compatibility; minictr always uses pivot_root")
      ("image", po::value<std::string>()->default_value(""),
       "use this image's layers (minictr image) plus a writable layer as the root, instead of root.path")
      ("image-root", po::value<std::string>()->default_value("/var/lib/minictr"), "where minictr image keeps layers and images")
      ("net", po::value<std::string>()->default_value(""),
       "none (a network namespace with only lo), host (the host's), or a network NAME (minictr network create); "
       "default: as config.json says")
      ("publish,p", po::value<std::vector<std::string>>()->default_value({}, ""),
       "with --net NAME: publish [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp] (repeatable)");
}

CreateRequest create_request_from(const po::variables_map& vm) {
  CreateRequest r;
  r.id = id_from(vm);
  r.bundle = vm["bundle"].as<std::string>();
  r.pid_file = vm["pid-file"].as<std::string>();
  r.console_socket = vm["console-socket"].as<std::string>();
  r.image = vm["image"].as<std::string>();
  r.image_root = vm["image-root"].as<std::string>();
  r.net = vm["net"].as<std::string>();
  r.publish = parse_port_mappings(vm["publish"].as<std::vector<std::string>>()).value();
  return r;
}

cli::Command create_command() {
  return {"create", "set a container up from a bundle and leave it waiting for start",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            add_create_options(options);
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            runtime_from(vm).create(create_request_from(vm)).value();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
