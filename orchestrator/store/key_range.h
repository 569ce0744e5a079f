// orchestrator/store/key_range.h: etcd's key-range conventions as plain functions (lab 10).
//
// A request names keys with (key, range_end): range_end empty is the one key; otherwise the
// half-open range [key, range_end), where a range_end of one zero byte means "no upper bound".
// A prefix query is [prefix, prefix_end(prefix)): the prefix with its last byte incremented
// (bytes 0xff are dropped first), so "/pods/" becomes "/pods0".
#pragma once

#include <string>
#include <string_view>

namespace deploylab::store {

struct KeyRange {
  std::string key;
  std::string range_end;

  bool is_single_key() const { return range_end.empty(); }
  bool is_unbounded() const { return range_end == std::string(1, '\0'); }  // range_end "\0"
};

// The range_end that makes [prefix, prefix_end(prefix)) every key starting with `prefix`;
// "\0" (unbounded) when the prefix is empty or all 0xff bytes.
std::string prefix_end(std::string_view prefix);

// Whether `key` is in `range` (the single key, or inside [key, range_end)).
bool contains(const KeyRange& range, std::string_view key);

}  // namespace deploylab::store
