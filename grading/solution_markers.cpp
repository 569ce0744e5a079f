// grading/solution_markers.cpp: finding solution regions and writing their stubs (rules in
// solution_markers.h). One pass over the lines with a three-state machine: outside a region,
// in the solution code, in the STUB block.
#include "grading/solution_markers.h"

#include <set>
#include <vector>

namespace deploylab::grading {
namespace {

enum class MarkerKind { none, begin, end, stub };

// A line of text split from its terminator, so CRLF files come back out as CRLF.
struct Line {
  std::string_view content;     // without "\n" or "\r\n"
  std::string_view terminator;  // "\n", "\r\n" or "" (the last line of a file without a final newline)
};

// What a line is, as far as the markers go.
struct Marker {
  MarkerKind kind = MarkerKind::none;
  std::string_view leader;  // "//" or "#" for markers and comments, else empty
  std::string_view indent;  // the blanks before the first text
  std::string_view rest;    // after the keyword (markers) or after the leader (plain comments)
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  while (!text.empty()) {
    std::size_t newline = text.find('\n');
    std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string_view raw = text.substr(0, end);
    std::size_t cr = raw.ends_with("\r\n") ? 2 : (raw.ends_with('\n') ? 1 : 0);
    lines.push_back({raw.substr(0, raw.size() - cr), raw.substr(raw.size() - cr)});
    text.remove_prefix(end);
  }
  return lines;
}

std::string_view skip_blanks(std::string_view s) {
  std::size_t at = s.find_first_not_of(" \t");
  return at == std::string_view::npos ? std::string_view{} : s.substr(at);
}

std::string_view trim(std::string_view s) {
  s = skip_blanks(s);
  std::size_t last = s.find_last_not_of(" \t");
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

// True when `s` starts with `word` followed by the end or a blank: `BEGIN SOLUTIONS` is no marker.
bool starts_with_word(std::string_view s, std::string_view word) {
  if (!s.starts_with(word)) return false;
  return s.size() == word.size() || s[word.size()] == ' ' || s[word.size()] == '\t';
}

Marker classify(std::string_view content) {
  Marker m;
  std::string_view text = skip_blanks(content);
  m.indent = content.substr(0, content.size() - text.size());
  for (std::string_view leader : {"//", "#"}) {
    if (!text.starts_with(leader)) continue;
    m.leader = text.substr(0, leader.size());
    m.rest = text.substr(leader.size());
    std::string_view words = skip_blanks(m.rest);
    if (starts_with_word(words, "BEGIN SOLUTION")) m.kind = MarkerKind::begin;
    else if (starts_with_word(words, "END SOLUTION")) m.kind = MarkerKind::end;
    else if (words.starts_with("STUB:")) m.kind = MarkerKind::stub;
    if (m.kind == MarkerKind::stub) m.rest = trim(words.substr(5));
    else if (m.kind != MarkerKind::none) m.rest = trim(words.substr(words.find("SOLUTION") + 8));
    return m;
  }
  return m;
}

std::string_view leader_of(CommentStyle style) { return style == CommentStyle::hash ? "#" : "//"; }

// C++ string literal text for a task description.
std::string quoted(std::string_view task) {
  std::string out = "\"";
  for (char c : task) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The region being read: where it opened, its task, and its stub lines once STUB: was seen.
struct OpenRegion {
  int line = 0;
  std::string_view indent;
  std::string_view task;
  std::string_view terminator;
  bool has_stub = false;
  std::string stub;
};

class Stripper {
 public:
  Stripper(CommentStyle style, const std::string& file) : style_(style), file_(file) {}

  Result<StrippedText> run(std::string_view text) {
    int number = 0;
    for (const Line& line : split_lines(text)) DL_TRY(take(line, ++number));
    if (open_) {
      return fail(open_->line, "solution region is never closed",
                  "add a `" + std::string(leader_of(style_)) + " END SOLUTION` line after the solution code");
    }
    return std::move(out_);
  }

 private:
  Error fail(int line, std::string what, std::string hint = {}) const {
    return Error::invalid(std::move(what), "", std::move(hint)).with_context(file_ + ":" + std::to_string(line));
  }

  Result<void> take(const Line& line, int number) {
    Marker m = classify(line.content);
    if (m.kind != MarkerKind::none && m.leader != leader_of(style_)) {
      return fail(number, "solution marker with the `" + std::string(m.leader) + "` leader in a file whose comments start with `" +
                              std::string(leader_of(style_)) + "`");
    }
    if (!open_) return outside(line, m, number);
    if (m.kind == MarkerKind::begin) {
      return fail(number, "BEGIN SOLUTION inside the region opened at line " + std::to_string(open_->line),
                  "close the first region with END SOLUTION before opening another");
    }
    if (m.kind == MarkerKind::end) return close();
    if (m.kind == MarkerKind::stub) return start_stub(m, number);
    if (open_->has_stub) return add_stub_line(line, m, number);
    return {};  // solution code: left out of the kit
  }

  Result<void> outside(const Line& line, const Marker& m, int number) {
    if (m.kind == MarkerKind::end) return fail(number, "END SOLUTION without a BEGIN SOLUTION above it");
    if (m.kind == MarkerKind::stub) return fail(number, "STUB: outside a solution region", "a STUB block goes between BEGIN SOLUTION and END SOLUTION");
    if (m.kind == MarkerKind::none) {
      out_.text.append(line.content).append(line.terminator);
      return {};
    }
    open_ = OpenRegion{number, m.indent, m.rest, line.terminator, false, {}};
    return {};
  }

  Result<void> start_stub(const Marker& m, int number) {
    if (open_->has_stub) return fail(number, "second STUB: in the region opened at line " + std::to_string(open_->line));
    if (!m.rest.empty()) {
      return fail(number, "text after STUB: on the marker line",
                  "write the stub on the comment lines after `" + std::string(leader_of(style_)) + " STUB:`");
    }
    open_->has_stub = true;
    return {};
  }

  Result<void> add_stub_line(const Line& line, const Marker& m, int number) {
    if (m.leader != leader_of(style_)) {
      return fail(number, "line in a STUB block is not a comment",
                  "every line between STUB: and END SOLUTION is a `" + std::string(leader_of(style_)) +
                      "` comment; write a lone `" + std::string(leader_of(style_)) + "` for an empty line");
    }
    std::string_view body = m.rest.starts_with(' ') ? m.rest.substr(1) : m.rest;
    if (!body.empty()) open_->stub.append(m.indent).append(body);
    open_->stub.append(line.terminator);
    return {};
  }

  Result<void> close() {
    if (!open_->has_stub && open_->task.empty()) {
      return fail(open_->line, "solution region has neither a task nor a STUB",
                  "say what the student is to do after BEGIN SOLUTION (\"lab 0: parse the suffix\"), or add a STUB: block");
    }
    out_.text += open_->has_stub ? open_->stub : default_stub();
    ++out_.regions;
    open_.reset();
    return {};
  }

  std::string default_stub() const {
    std::string body = style_ == CommentStyle::hash ? "# not implemented: " + std::string(open_->task)
                                                    : "throw deploylab::NotImplemented(" + quoted(open_->task) + ");";
    return std::string(open_->indent) + body + std::string(open_->terminator);
  }

  CommentStyle style_;
  const std::string& file_;
  StrippedText out_;
  std::optional<OpenRegion> open_;
};

}  // namespace

CommentStyle comment_style_of(const std::filesystem::path& file_name) {
  static const std::set<std::string> c_family = {".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".inl", ".ipp"};
  static const std::set<std::string> hash_family = {".cmake", ".sh", ".yaml", ".yml", ".mk"};
  std::string name = file_name.filename().string();
  std::string ext = file_name.extension().string();
  if (c_family.contains(ext)) return CommentStyle::double_slash;
  if (name == "CMakeLists.txt" || name == "Makefile" || hash_family.contains(ext)) return CommentStyle::hash;
  return CommentStyle::unprocessed;
}

Result<StrippedText> strip_solution_regions(std::string_view text, const std::string& file_name) {
  CommentStyle style = comment_style_of(file_name);
  if (style != CommentStyle::unprocessed) return Stripper(style, file_name).run(text);
  if (auto line = first_solution_marker(text)) {
    return Error::invalid("solution marker in a file type the kit generator does not strip", "",
                          "keep solutions in C/C++, CMake, shell or YAML files, or teach grading/solution_markers.cpp this type")
        .with_context(file_name + ":" + std::to_string(*line));
  }
  return StrippedText{std::string(text), 0};
}

Result<std::string> strip_solutions(std::string_view text, const std::string& file_name) {
  StrippedText stripped = DL_TRY(strip_solution_regions(text, file_name));
  return std::move(stripped.text);
}

std::optional<int> first_solution_marker(std::string_view text) {
  int number = 0;
  for (const Line& line : split_lines(text)) {
    ++number;
    MarkerKind kind = classify(line.content).kind;
    if (kind == MarkerKind::begin || kind == MarkerKind::end) return number;
  }
  return std::nullopt;
}

}  // namespace deploylab::grading
