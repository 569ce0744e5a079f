// bench/isolation/census_report.cpp: syscall-census's lines, written and read back
// (census_report.h).
#include "bench/isolation/census_report.h"

#include <cstring>
#include <sstream>

#include "bench/isolation/syscall_table.h"

namespace deploylab::bench::isolation {
namespace {

constexpr std::string_view kSummaryPrefix = "deploylab-bench: syscalls ";

// Reads "KEY=NUMBER" from `words` into `value`.
bool read_field(std::istringstream& words, std::string_view key, int& value) {
  std::string word;
  if (!(words >> word) || word.size() <= key.size() + 1) return false;
  if (std::string_view(word).substr(0, key.size()) != key || word[key.size()] != '=') return false;
  try {
    std::size_t used = 0;
    value = std::stoi(word.substr(key.size() + 1), &used);
    return used == word.size() - key.size() - 1 && value >= 0;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<CensusCounts> parse_summary(std::string_view line) {
  if (line.substr(0, kSummaryPrefix.size()) != kSummaryPrefix) return std::nullopt;
  std::istringstream words{std::string(line.substr(kSummaryPrefix.size()))};
  CensusCounts c;
  if (!read_field(words, "reachable", c.reachable) || !read_field(words, "blocked", c.blocked) ||
      !read_field(words, "total", c.total)) {
    return std::nullopt;
  }
  return c;
}

// Calls `f` with each line of `text` (without its newline) until it returns true.
template <class F>
void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (f(line)) return;
    if (end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
  }
}

std::string name_or_null(const char* name) { return name != nullptr ? name : "?"; }

}  // namespace

CensusCounts count_outcomes(std::span<const ProbeResult> results) {
  CensusCounts c;
  c.total = static_cast<int>(results.size());
  for (const ProbeResult& r : results) {
    if (r.outcome == Outcome::reachable) ++c.reachable;
    if (r.outcome == Outcome::refused || r.outcome == Outcome::trapped || r.outcome == Outcome::killed) ++c.blocked;
  }
  return c;
}

std::string summary_line(const CensusCounts& c) {
  return std::string(kSummaryPrefix) + "reachable=" + std::to_string(c.reachable) + " blocked=" +
         std::to_string(c.blocked) + " total=" + std::to_string(c.total);
}

std::optional<CensusCounts> find_summary(std::string_view output) {
  std::optional<CensusCounts> found;
  for_each_line(output, [&found](std::string_view line) { return (found = parse_summary(line)).has_value(); });
  return found;
}

std::string describe_block(const ProbeResult& r) {
  switch (r.outcome) {
    case Outcome::refused: return r.detail == 0 ? "faked-success" : name_or_null(strerrorname_np(r.detail));
    case Outcome::trapped: return "trap";
    case Outcome::killed: return "kill:SIG" + name_or_null(sigabbrev_np(r.detail));
    case Outcome::no_answer: return "no-answer";
    case Outcome::reachable: return "reachable";
  }
  return "?";
}

std::string blocked_line(const ProbeResult& r) {
  auto name = syscall_name(r.number);
  std::string shown = name ? std::string(*name) : "#" + std::to_string(r.number);
  return "blocked " + shown + " " + std::to_string(r.number) + " " + describe_block(r);
}

std::optional<BlockedCall> parse_blocked_line(std::string_view line) {
  std::istringstream words{std::string(line)};
  std::string tag, number, extra;
  BlockedCall call;
  if (!(words >> tag >> call.name >> number >> call.how) || tag != "blocked" || (words >> extra)) return std::nullopt;
  try {
    std::size_t used = 0;
    call.number = std::stoi(number, &used);
    if (used != number.size() || call.number < 0) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return call;
}

std::vector<BlockedCall> find_blocked(std::string_view output) {
  std::vector<BlockedCall> calls;
  for_each_line(output, [&calls](std::string_view line) {
    if (auto call = parse_blocked_line(line)) calls.push_back(*call);
    return false;
  });
  return calls;
}

}  // namespace deploylab::bench::isolation
