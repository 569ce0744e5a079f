// orchestrator/store/key_range.cpp: etcd's key ranges (key_range.h) as byte-string comparisons.
//
// Keys are compared byte by byte as unsigned values, which is what std::string's ordering does
// (char_traits<char> compares as unsigned char) and what etcd's bytes.Compare does, so "a" <
// "a\0" < "a\x01" < "b" < "\xff" here exactly as in etcd.
#include "orchestrator/store/key_range.h"

#include "common/error.h"  // NotImplemented, for the student kit's stubs

namespace deploylab::store {

std::string prefix_end(std::string_view prefix) {
  // BEGIN SOLUTION lab 10: the end of a prefix range
  constexpr unsigned char kLastByte = 0xff;
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

}  // namespace deploylab::store
