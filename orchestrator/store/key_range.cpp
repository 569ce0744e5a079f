// orchestrator/store/key_range.cpp: etcd's key ranges (key_range.h) as byte-string comparisons.
//
// Keys are compared byte by byte as unsigned values, which is what std::string's ordering does
// (char_traits<char> compares as unsigned char) and what etcd's bytes.Compare does, so "a" <
// "a\0" < "a\x01" < "b" < "\xff" here exactly as in etcd.
#include "orchestrator/store/key_range.h"

#include <optional>

#include "common/error.h"  // NotImplemented, for the student kit's stubs

namespace deploylab::store {
namespace {

constexpr unsigned char kLastByte = 0xff;

// The first key after all of `range`, or nullopt when nothing bounds it. A single key's range
// ends just after it: key + "\0" is the smallest key greater than `key`.
std::optional<std::string> exclusive_end(const KeyRange& range) {
  if (range.is_single_key()) return range.key + '\0';
  if (range.is_unbounded()) return std::nullopt;
  return range.range_end;
}

// Whether `key` sorts before the exclusive end `end` (nullopt: before everything's end).
bool before(std::string_view key, const std::optional<std::string>& end) {
  return !end.has_value() || key < *end;
}

}  // namespace

std::string prefix_end(std::string_view prefix) {
  // BEGIN SOLUTION lab 10: the end of a prefix range
  std::string end(prefix);
  // A trailing 0xff cannot be incremented without carrying, and every key that starts with
  // "ab\xff" also starts with "ab", so drop it and increment the byte before.
  while (!end.empty() && static_cast<unsigned char>(end.back()) == kLastByte) end.pop_back();
  if (end.empty()) return std::string(1, '\0');  // "" or all 0xff: every key from the prefix on
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
  // END SOLUTION
}

bool contains(const KeyRange& range, std::string_view key) {
  // BEGIN SOLUTION lab 10: whether a key is in a range
  if (range.is_single_key()) return key == range.key;
  if (key < range.key) return false;
  return range.is_unbounded() || key < range.range_end;
  // END SOLUTION
}

bool overlaps(const KeyRange& a, const KeyRange& b) {
  const std::optional<std::string> a_end = exclusive_end(a);
  const std::optional<std::string> b_end = exclusive_end(b);
  // Two half-open intervals share a key when each starts before the other ends; an empty range
  // (range_end <= key) shares nothing, not even with itself.
  const bool both_non_empty = before(a.key, a_end) && before(b.key, b_end);
  return both_non_empty && before(a.key, b_end) && before(b.key, a_end);
}

}  // namespace deploylab::store
