// bench/containers/limit_search.cpp: bisection for the smallest memory limit and the verdict of
// one attempt (limit_search.h).
#include "bench/containers/limit_search.h"

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace deploylab::bench {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The last non-empty line, at most 300 characters: runtimes print the reason last. runc logs
// `time="..." level=error msg="..."`: only the message is kept.
std::string last_line(const std::string& output) {
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  std::size_t start = output.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = output.substr(start, end + 1 - start);
  if (std::size_t msg = line.find("msg=\""); msg != std::string::npos) line = line.substr(msg + 5);
  if (line.ends_with('"')) line.pop_back();
  return line.size() > 300 ? line.substr(0, 297) + "..." : line;
}

bool mentions_memory(const std::string& output) {
  std::string text = lowercase(output);
  for (const char* sign : {"memory", "oom", "enomem", "cannot allocate"}) {
    if (text.find(sign) != std::string::npos) return true;
  }
  return false;
}

// The state of a bisection: `fail` failed, `pass` passed, and nothing between them was tried.
struct Bracket {
  LimitTrial fail;
  std::int64_t pass;
};

}  // namespace

Attempt classify_run(const ExitStatus& status, const std::string& output, const std::optional<std::string>& oom_kill) {
  if (status.success()) return {Verdict::started, ""};
  std::string detail = status.describe();
  std::string line = last_line(output);
  if (!line.empty()) detail += ": " + line;
  if (oom_kill) return {Verdict::memory_failure, detail + " (the kernel OOM-killed " + *oom_kill + ")"};
  bool killed = status.signal == SIGKILL || status.code == 128 + SIGKILL;
  if (killed || mentions_memory(output)) return {Verdict::memory_failure, detail};
  return {Verdict::other_failure, detail};
}

// A line looks like "oom-kill:constraint=CONSTRAINT_MEMCG,...,oom_memcg=/x/ID,task_memcg=/x/ID,
// task=runc:[2:INIT],pid=1289,uid=0" (after a "6,123,456,-;" record prefix in /dev/kmsg).
std::optional<std::string> find_oom_kill(const std::string& kernel_log, const std::string& id) {
  std::istringstream lines(kernel_log);
  for (std::string line; std::getline(lines, line);) {
    std::size_t memcg = line.find("oom_memcg=");
    if (line.find("oom-kill:") == std::string::npos || memcg == std::string::npos) continue;
    std::string cgroup = line.substr(memcg + 10, line.find(',', memcg) - memcg - 10);
    if (!cgroup.ends_with("/" + id)) continue;
    auto field = [&line](const std::string& key) {
      std::size_t at = line.find("," + key + "=");
      if (at == std::string::npos) return std::string("?");
      at += key.size() + 2;
      return line.substr(at, line.find(',', at) - at);
    };
    return field("task") + " (pid " + field("pid") + ")";
  }
  return std::nullopt;
}

LimitSearch search_smallest_limit(const SearchRange& range, const std::function<Attempt(std::int64_t)>& attempt) {
  if (range.step <= 0 || range.low <= 0 || range.high <= range.low || (range.high - range.low) % range.step != 0) {
    throw std::invalid_argument("memory search range: need 0 < low < high and (high - low) a multiple of step");
  }
  LimitSearch search;
  auto trial = [&](std::int64_t limit) {
    search.trials.push_back({limit, attempt(limit)});
    return search.trials.back();
  };
  LimitTrial top = trial(range.high);
  if (top.attempt.verdict != Verdict::started) {
    search.outcome = LimitSearch::Outcome::fails_at_top;
    search.below = top;
    return search;
  }
  LimitTrial bottom = trial(range.low);
  if (bottom.attempt.verdict == Verdict::started) {
    search.outcome = LimitSearch::Outcome::passes_at_bottom;
    search.smallest = range.low;
    return search;
  }
  Bracket bracket{bottom, range.high};
  while (bracket.pass - bracket.fail.limit > range.step) {
    std::int64_t steps = (bracket.pass - bracket.fail.limit) / range.step;
    LimitTrial middle = trial(bracket.fail.limit + steps / 2 * range.step);
    if (middle.attempt.verdict == Verdict::started) bracket.pass = middle.limit;
    else bracket.fail = middle;
  }
  search.smallest = bracket.pass;
  search.below = bracket.fail;
  return search;
}

std::string format_bytes(std::int64_t bytes) {
  char text[32];
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
    std::snprintf(text, sizeof text, "%lld MiB", static_cast<long long>(bytes >> 20));
  } else if (bytes >= (1 << 20)) {
    std::snprintf(text, sizeof text, "%.2f MiB", static_cast<double>(bytes) / (1 << 20));
  } else if (bytes % 1024 == 0 && bytes > 0) {
    std::snprintf(text, sizeof text, "%lld KiB", static_cast<long long>(bytes >> 10));
  } else {
    std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
  }
  return text;
}

}  // namespace deploylab::bench
