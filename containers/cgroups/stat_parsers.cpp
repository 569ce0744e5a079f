// containers/cgroups/stat_parsers.cpp: parsers of cgroup statistics files (see stat_parsers.h).
#include "containers/cgroups/stat_parsers.h"

#include <charconv>

#include "common/error.h"

namespace deploylab::ctr {

namespace {

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\n");
  return text.substr(first, last - first + 1);
}

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [rest, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || rest != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<std::optional<std::uint64_t>> parse_single_value(std::string_view text) {
  std::string_view value = trim(text);
  if (value == "max") return std::optional<std::uint64_t>();
  auto number = to_number(value);
  if (!number) return Error::invalid("not a number or \"max\"", std::string(value));
  return std::optional<std::uint64_t>(*number);
}

Result<std::map<std::string, std::uint64_t>> parse_flat_keyed(std::string_view text) {
  std::map<std::string, std::uint64_t> values;
  // BEGIN SOLUTION lab 7: parse a flat-keyed file ("key number" per line)
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    std::size_t space = line.find(' ');
    auto number = space == std::string_view::npos ? std::nullopt : to_number(trim(line.substr(space)));
    if (!number) return Error::invalid("not a `key number` line", std::string(line));
    values[std::string(line.substr(0, space))] = *number;
  }
  // END SOLUTION
  return values;
}

std::optional<std::uint64_t> v1_memory_limit(std::uint64_t bytes) {
  if (bytes > (std::uint64_t{1} << 62)) return std::nullopt;
  return bytes;
}

}  // namespace deploylab::ctr
