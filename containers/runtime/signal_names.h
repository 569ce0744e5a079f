// containers/runtime/signal_names.h: `minictr kill ID TERM`: the signal names runc and kill(1)
// accept ("TERM", "SIGTERM", "sigterm", "15") as numbers. Pure.
#pragma once

#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

Result<int> parse_signal(std::string_view text);

}  // namespace deploylab::ctr
