// containers/cgroups/stat_parsers.h: the text formats of cgroup statistics files, parsed purely
// so that tests feed them sample text. Three formats cover every file stats.h reads:
//
//   a single value      memory.current "1048576\n", pids.max "max\n" (max: no limit)
//   flat keyed          cpu.stat "usage_usec 1234\nuser_usec 1000\n...", memory.events,
//                       v1 memory.oom_control "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"
//   v1 "unlimited"      memory.limit_in_bytes 9223372036854771712: v1 has no "max"; it shows
//                       the largest page count the kernel can hold, in bytes
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

// A single-value file: the number, or std::nullopt for "max". An error names the text.
Result<std::optional<std::uint64_t>> parse_single_value(std::string_view text);

// A flat-keyed file: "key value" per line.
Result<std::map<std::string, std::uint64_t>> parse_flat_keyed(std::string_view text);

// A v1 memory limit read back: std::nullopt when it is v1's "unlimited" (any value above 2^62:
// the exact number is LONG_MAX rounded down to a page, and pages differ between machines).
std::optional<std::uint64_t> v1_memory_limit(std::uint64_t bytes);

}  // namespace deploylab::ctr
