// orchestrator/store/ministore/commands.h: the subcommands of `ministore`, one file each:
//   ministore serve   serve_command.cpp   open the store and serve it over HTTP until SIGTERM
#pragma once

#include "common/cli.h"

namespace deploylab::store::ministore {

cli::Command serve_command();

}  // namespace deploylab::store::ministore
