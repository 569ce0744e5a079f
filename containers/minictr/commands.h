// containers/minictr/commands.h: minictr's subcommands, one small file each (create_command.cpp,
// start_command.cpp, ...), each a thin layer over containers/runtime/runtime.h. main.cpp lists
// them; global_options.h accepts runc's global flags in front of them.
#pragma once

#include "common/cli.h"
#include "containers/runtime/runtime.h"

namespace deploylab::ctr::minictr {

namespace po = cli::po;

// --root, which every command that touches containers takes (runc's global --root).
void add_root_option(po::options_description& options);
// The positional container id.
void add_id_argument(po::options_description& options, po::positional_options_description& positional);
Runtime runtime_from(const po::variables_map& vm);
std::string id_from(const po::variables_map& vm);

cli::Command create_command();
cli::Command start_command();
cli::Command state_command();
cli::Command kill_command();
cli::Command delete_command();
cli::Command run_command();
cli::Command list_command();
cli::Command exec_command();
cli::Command ps_command();
cli::Command stats_command();
cli::Command spec_command();
cli::Command image_command();
cli::Command network_command();

}  // namespace deploylab::ctr::minictr
