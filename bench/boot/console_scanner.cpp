// bench/boot/console_scanner.cpp: the marker scanner and the error-line picker (console_scanner.h).
#include "bench/boot/console_scanner.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace deploylab::bench {
namespace {

std::string_view trim(std::string_view text) {
  const char* blanks = " \t\r\n";
  std::size_t begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(blanks) - begin + 1);
}

bool mentions_error(std::string_view line) {
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("error") != std::string::npos;
}

}  // namespace

ConsoleScanner::ConsoleScanner(std::string marker, std::size_t lines_kept)
    : marker_(std::move(marker)), lines_kept_(lines_kept) {}

bool ConsoleScanner::feed(std::string_view chunk) {
  bool found = false;
  std::size_t newline;
  while ((newline = chunk.find('\n')) != std::string_view::npos) {
    partial_.append(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
    found = take_line(std::exchange(partial_, {})) || found;
  }
  partial_.append(chunk);
  return found;
}

bool ConsoleScanner::finish() {
  if (partial_.empty()) return false;
  return take_line(std::exchange(partial_, {}));
}

bool ConsoleScanner::take_line(std::string line) {
  while (!line.empty() && line.back() == '\r') line.pop_back();
  bool first_sight = !seen_ && line.find(marker_) != std::string::npos;
  seen_ = seen_ || first_sight;
  if (std::size_t at = tag_.empty() ? std::string::npos : line.find(tag_); at != std::string::npos) {
    collected_.push_back(line.substr(at));
  }
  last_.push_back(std::move(line));
  if (last_.size() > lines_kept_) last_.pop_front();
  return first_sight;
}

std::string ConsoleScanner::last_lines() const {
  std::string joined;
  for (const std::string& line : last_) {
    if (!joined.empty()) joined += " | ";
    joined += line;
  }
  return joined;
}

std::string first_error_line(std::string_view output) {
  std::string_view first_nonempty;
  std::size_t pos = 0;
  while (pos <= output.size()) {
    std::size_t end = std::min(output.find('\n', pos), output.size());
    std::string_view line = trim(output.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    if (mentions_error(line)) return std::string(line);
    if (first_nonempty.empty()) first_nonempty = line;
  }
  return first_nonempty.empty() ? "no output" : std::string(first_nonempty);
}

}  // namespace deploylab::bench
