// common/log.h: logging for every deploylab binary, on spdlog.
//
// One line per event on stderr: time, program, level, message. Programs call init_logging() once
// from main (the CLI pattern in common/cli.h does it for them, from --log-level or the
// DEPLOYLAB_LOG environment variable); everything else just uses spdlog::info(...) and friends.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

#include "common/result.h"

namespace deploylab {

// Sets up the default logger for `program` at `level` (trace, debug, info, warn, error, off).
Result<void> init_logging(const std::string& program, const std::string& level);

}  // namespace deploylab
