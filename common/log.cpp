// common/log.cpp: the stderr logger behind init_logging() (see log.h).
#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace deploylab {

Result<void> init_logging(const std::string& program, const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  // from_str() answers "off" for words it does not know; only "off" itself may mean off.
  if (parsed == spdlog::level::off && level != "off") {
    return Error::invalid("unknown log level", level, "use one of trace, debug, info, warn, error, off");
  }
  spdlog::drop(program);  // init twice (tests, or a tool calling another's main) replaces it
  auto logger = spdlog::stderr_color_mt(program);
  logger->set_pattern("[%H:%M:%S.%e] [%n] [%^%l%$] %v");
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace deploylab
