// containers/minictr/common_options.cpp: the options most commands share (see commands.h).
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

void add_root_option(po::options_description& options) {
  options.add_options()("root", po::value<std::string>()->default_value(std::string(kDefaultStateRoot)),
                        "where containers' state lives (runc's --root)");
}

void add_id_argument(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("id", po::value<std::string>()->required(), "the container's id");
  positional.add("id", 1);
}

Runtime runtime_from(const po::variables_map& vm) { return Runtime(StateStore(vm["root"].as<std::string>())); }

std::string id_from(const po::variables_map& vm) { return vm["id"].as<std::string>(); }

}  // namespace deploylab::ctr::minictr
