// common/smaps.cpp: parsing /proc/PID/smaps and finding the guest RAM in it (smaps.h).
#include "common/smaps.h"

#include <charconv>

namespace deploylab {
namespace {

// The next line of `text` from `pos` (without its '\n'); advances `pos` past it.
std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(pos, end - pos);
  pos = end + 1;
  return line;
}

// Splits off the next space-separated word of `rest`.
std::string_view next_word(std::string_view& rest) {
  std::size_t begin = rest.find_first_not_of(' ');
  if (begin == std::string_view::npos) return rest = {};
  rest.remove_prefix(begin);
  std::size_t end = rest.find(' ');
  std::string_view word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  return word;
}

bool parse_hex(std::string_view text, std::uint64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// A mapping's first line: "START-END PERMS OFFSET DEV INODE [PATH]".
std::optional<SmapsMapping> parse_header(std::string_view line) {
  std::string_view rest = line;
  std::string_view range = next_word(rest);
  std::size_t dash = range.find('-');
  SmapsMapping mapping;
  if (dash == std::string_view::npos || !parse_hex(range.substr(0, dash), mapping.start) ||
      !parse_hex(range.substr(dash + 1), mapping.end)) {
    return std::nullopt;
  }
  mapping.permissions = std::string(next_word(rest));
  for (int field = 0; field < 3; ++field) next_word(rest);  // offset, device, inode
  std::size_t path_begin = rest.find_first_not_of(' ');
  if (path_begin != std::string_view::npos) mapping.path = std::string(rest.substr(path_begin));
  return mapping;
}

// "Rss:   38912 kB" -> 38912 into `out` when the line starts with `key`.
bool parse_kib(std::string_view line, std::string_view key, std::uint64_t& out) {
  if (line.substr(0, key.size()) != key) return false;
  std::string_view rest = line.substr(key.size());
  std::string_view number = next_word(rest);
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), out);
  return ec == std::errc();
}

}  // namespace

bool SmapsMapping::anonymous() const {
  return path.empty() || path.starts_with("[anon:") || path.starts_with("/memfd:");
}

std::vector<SmapsMapping> parse_smaps(std::string_view text) {
  std::vector<SmapsMapping> mappings;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view line = next_line(text, pos);
    if (auto header = parse_header(line)) {
      mappings.push_back(std::move(*header));
      continue;
    }
    if (mappings.empty()) continue;
    SmapsMapping& mapping = mappings.back();
    std::uint64_t private_part = 0;
    if (parse_kib(line, "Private_Clean:", private_part) || parse_kib(line, "Private_Dirty:", private_part)) {
      mapping.private_kib += private_part;
      continue;
    }
    parse_kib(line, "Size:", mapping.size_kib) || parse_kib(line, "Rss:", mapping.rss_kib);
  }
  return mappings;
}

std::optional<MemorySplit> split_guest_ram(const std::vector<SmapsMapping>& mappings,
                                           std::uint64_t guest_ram_bytes) {
  MemorySplit split;
  const SmapsMapping* guest = nullptr;
  for (const SmapsMapping& mapping : mappings) {
    split.total_rss_kib += mapping.rss_kib;
    if (!mapping.anonymous() || mapping.size_kib * 1024 != guest_ram_bytes) continue;
    ++split.guest_mappings_found;
    if (guest == nullptr || mapping.rss_kib > guest->rss_kib) guest = &mapping;
  }
  if (guest == nullptr) return std::nullopt;
  split.guest_rss_kib = guest->rss_kib;
  split.vmm_rss_kib = split.total_rss_kib - guest->rss_kib;
  for (const SmapsMapping& mapping : mappings) {
    if (&mapping != guest) split.vmm_private_kib += mapping.private_kib;
  }
  return split;
}

}  // namespace deploylab
