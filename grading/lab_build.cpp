// grading/lab_build.cpp: building a lab's test binary and extracting compiler errors (see
// lab_build.h).
#include "grading/lab_build.h"

#include <chrono>
#include <optional>
#include <vector>

#include "common/subprocess.h"

namespace deploylab::grading {
namespace {

constexpr size_t kMaxDiagnosticBytes = 4096;
constexpr size_t kLinesBefore = 2;   // "In function ..." and "In file included from ..."
constexpr size_t kLinesAfter = 4;    // the source line, the caret, a note
constexpr size_t kTailLines = 40;    // when no line says "error"

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool is_error_line(std::string_view line) {
  return line.find("error:") != std::string_view::npos || line.starts_with("Error") ||
         line.find("CMake Error") != std::string_view::npos ||
         line.find("undefined reference to") != std::string_view::npos ||
         line.find("multiple definition of") != std::string_view::npos;
}

// Build-tool chatter: progress lines, "FAILED: target", and the compiler's command line.
bool is_noise(std::string_view line) {
  bool progress = line.size() > 1 && line[0] == '[' && line[1] >= '0' && line[1] <= '9';
  return progress || line.starts_with("FAILED: ") || line.starts_with("ninja: ") ||
         line.find(" -o ") != std::string_view::npos;
}

// Joins the kept lines, "..." where lines were left out, stopping near kMaxDiagnosticBytes.
std::string join_kept(const std::vector<std::string_view>& lines, const std::vector<bool>& keep) {
  std::string out;
  bool gap = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!keep[i]) {
      gap = !out.empty();
      continue;
    }
    if (out.size() + lines[i].size() > kMaxDiagnosticBytes) return out + "... (more errors left out)";
    if (gap) out += "...\n";
    gap = false;
    out += std::string(lines[i]) + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

std::string extract_compiler_errors(std::string_view build_output) {
  std::vector<std::string_view> lines = split_lines(build_output);
  std::vector<bool> keep(lines.size(), false);
  bool found = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!is_error_line(lines[i])) continue;
    found = true;
    size_t from = i >= kLinesBefore ? i - kLinesBefore : 0;
    for (size_t j = from; j < std::min(lines.size(), i + kLinesAfter + 1); ++j) keep[j] = true;
  }
  if (!found) {
    size_t from = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
    for (size_t j = from; j < lines.size(); ++j) keep[j] = true;
  }
  for (size_t i = 0; i < lines.size(); ++i) keep[i] = keep[i] && !is_noise(lines[i]);
  return join_kept(lines, keep);
}

BuildResult build_target(const std::filesystem::path& source, const std::filesystem::path& build,
                         const std::string& target, Configure configure) {
  auto start = std::chrono::steady_clock::now();
  auto step = [&](const std::vector<std::string>& argv) -> std::optional<std::string> {
    RunOptions options;
    options.merge_stderr = true;
    auto done = run(argv, std::move(options));
    if (!done.ok()) return done.error().message();
    if (done.value().status.success()) return std::nullopt;
    std::string errors = extract_compiler_errors(done.value().out);
    return "`" + shell_words(argv) + "` " + done.value().status.describe() + ":\n" + errors;
  };
  BuildResult result;
  std::optional<std::string> failure;
  if (configure == Configure::always || !std::filesystem::exists(build / "CMakeCache.txt")) {
    failure = step({"cmake", "-S", source.string(), "-B", build.string(), "-G", "Ninja"});
  }
  if (!failure) failure = step({"cmake", "--build", build.string(), "--target", target});
  result.built = !failure.has_value();
  result.diagnostics = failure.value_or("");
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace deploylab::grading
