// common/text_table.cpp: padding and the two renderings of TextTable (see text_table.h).
#include "common/text_table.h"

#include <algorithm>
#include <stdexcept>

namespace deploylab {
namespace {

using Lines = std::vector<std::vector<std::string>>;

// Columns a cell takes on a terminal: UTF-8 code points, i.e. bytes that are not continuation
// bytes (10xxxxxx). Good enough for units like "µs"; wide CJK glyphs would need more.
std::size_t display_width(const std::string& cell) {
  return static_cast<std::size_t>(
      std::count_if(cell.begin(), cell.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The widest cell of each column, at least `minimum`.
std::vector<std::size_t> column_widths(const Lines& lines, std::size_t minimum) {
  std::vector<std::size_t> widths(lines.front().size(), minimum);
  for (const auto& line : lines) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(line[c]));
    }
  }
  return widths;
}

std::string pad(const std::string& cell, std::size_t width, Align align) {
  std::string padding(width - display_width(cell), ' ');
  return align == Align::right ? padding + cell : cell + padding;
}

std::string escape_markdown(const std::string& cell) {
  std::string escaped;
  for (char c : cell) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

TextTable::TextTable(std::vector<std::string> header)
    : header_(std::move(header)), alignment_(header_.size(), Align::left) {
  if (header_.empty()) throw std::invalid_argument("TextTable: a table needs at least one column");
}

void TextTable::set_alignment(std::size_t column, Align align) {
  if (column >= header_.size()) {
    throw std::invalid_argument("TextTable::set_alignment: column " + std::to_string(column) +
                                " does not exist; the table has " + std::to_string(header_.size()) +
                                " columns (0-based)");
  }
  alignment_[column] = align;
}

void TextTable::add_row(std::vector<std::string> cells) {
  if (cells.size() != header_.size()) {
    throw std::invalid_argument("TextTable::add_row: expected " + std::to_string(header_.size()) +
                                " cells (one per column), got " + std::to_string(cells.size()));
  }
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  Lines lines{header_};
  lines.insert(lines.end(), rows_.begin(), rows_.end());
  auto widths = column_widths(lines, 0);
  // The underline is a line like any other: one run of '-' per column.
  std::vector<std::string> underline;
  for (auto w : widths) underline.emplace_back(w, '-');
  lines.insert(lines.begin() + 1, underline);

  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t c = 0; c < line.size(); ++c) {
      if (c > 0) text += "  ";
      text += pad(line[c], widths[c], alignment_[c]);
    }
    text.erase(text.find_last_not_of(' ') + 1);  // left-aligned last cells leave trailing spaces
    out += text + "\n";
  }
  return out;
}

std::string TextTable::render_markdown() const {
  Lines lines{header_};
  lines.insert(lines.end(), rows_.begin(), rows_.end());
  for (auto& line : lines) std::transform(line.begin(), line.end(), line.begin(), escape_markdown);
  // GitHub wants at least three '-' per column in the alignment line.
  auto widths = column_widths(lines, 3);

  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (std::size_t c = 0; c < lines[i].size(); ++c) {
      out += "| " + pad(lines[i][c], widths[c], alignment_[c]) + " ";
    }
    out += "|\n";
    if (i > 0) continue;
    // Under the header: ":----" (left) or "----:" (right), as wide as the cells plus their spaces.
    for (std::size_t c = 0; c < widths.size(); ++c) {
      std::string dashes(widths[c] + 1, '-');
      out += "|" + (alignment_[c] == Align::right ? dashes + ":" : ":" + dashes);
    }
    out += "|\n";
  }
  return out;
}

}  // namespace deploylab
