// containers/oci/proc_stat.cpp: reading /proc/PID/stat (see proc_stat.h).
#include "containers/oci/proc_stat.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "common/file_io.h"

namespace deploylab::ctr {
namespace {

constexpr int kStartTimeField = 22;  // proc(5): "(22) starttime %llu"
constexpr int kFirstFieldAfterName = 3;  // "(3) state %c" follows the ")" of "(2) comm"

std::string stat_path(int pid) { return "/proc/" + std::to_string(pid) + "/stat"; }

// The `index`-th space-separated word of `text` (0-based), or "" if there are fewer.
std::string_view word(std::string_view text, int index) {
  std::size_t at = 0;
  for (int i = 0;; ++i) {
    at = text.find_first_not_of(' ', at);
    if (at == std::string_view::npos) return {};
    auto end = std::min(text.find(' ', at), text.size());
    if (i == index) return text.substr(at, end - at);
    at = end;
  }
}

}  // namespace

Result<ProcStat> parse_proc_stat(std::string_view text) {
  auto name_end = text.rfind(')');
  if (name_end == std::string_view::npos) return Error::invalid("no `(comm)` field in /proc/PID/stat text");
  std::string_view fields = text.substr(name_end + 1);
  while (!fields.empty() && (fields.back() == '\n' || fields.back() == ' ')) fields.remove_suffix(1);
  ProcStat stat;
  auto state = word(fields, 0);
  if (state.size() != 1) return Error::invalid("no process state after the command name in /proc/PID/stat text");
  stat.state = state.front();
  auto start = word(fields, kStartTimeField - kFirstFieldAfterName);
  auto [end, error] = std::from_chars(start.data(), start.data() + start.size(), stat.start_time);
  if (start.empty() || error != std::errc() || end != start.data() + start.size()) {
    return Error::invalid("field 22 (starttime) of /proc/PID/stat text is not a number: `" + std::string(start) + "`");
  }
  return stat;
}

Result<std::uint64_t> process_start_time(int pid) {
  if (pid <= 0) return Error::invalid("no process with pid " + std::to_string(pid));
  auto text = DL_TRY(read_file(stat_path(pid)));
  auto stat = DL_TRY(parse_proc_stat(text).context("reading " + stat_path(pid)));
  return stat.start_time;
}

bool process_alive(int pid) {
  // pid 0 and negative pids are process groups to kill(2), never one process.
  if (pid <= 0) return false;
  auto text = read_file_or_empty(stat_path(pid));
  if (text.empty()) return false;
  auto stat = parse_proc_stat(text);
  return stat.ok() && stat.value().state != 'Z' && stat.value().state != 'X';
}

}  // namespace deploylab::ctr
