// bench/vm/workload_lines.cpp: parsing the workloads' "deploylab-bench:" lines (workload_lines.h).
#include "bench/vm/workload_lines.h"

#include <cstdlib>
#include <map>
#include <sstream>

namespace deploylab::bench {
namespace {

constexpr std::string_view kTag = "deploylab-bench: ";

using Fields = std::map<std::string, std::string>;

// "a=1 b=x" -> {a: 1, b: x}; words without '=' are left out.
Fields key_values(const std::string& text) {
  Fields fields;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    std::size_t eq = word.find('=');
    if (eq != std::string::npos && eq > 0) fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return fields;
}

// The field as a number; std::nullopt when it is missing or not entirely a number.
std::optional<double> number(const Fields& fields, const std::string& key) {
  auto it = fields.find(key);
  if (it == fields.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(it->second.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return value;
}

std::optional<ComputeFigures> parse_compute(const std::string& rest) {
  Fields f = key_values(rest);
  auto millions = number(f, "millions"), ms = number(f, "ms");
  if (!millions || !ms || f["checksum"].empty()) return std::nullopt;
  return ComputeFigures{static_cast<long>(*millions), *ms, f["checksum"]};
}

std::optional<IoFigures> parse_io(const std::string& rest) {
  Fields f = key_values(rest);
  auto w = number(f, "seq_write_mbps"), r = number(f, "seq_read_mbps");
  auto rr = number(f, "rand_read_iops"), rw = number(f, "rand_write_iops");
  if (!w || !r || !rr || !rw || (f["direct"] != "yes" && f["direct"] != "no")) return std::nullopt;
  return IoFigures{*w, *r, *rr, *rw, f["direct"] == "yes"};
}

std::optional<SyscallFigures> parse_syscalls(const std::string& rest) {
  Fields f = key_values(rest);
  auto reachable = number(f, "reachable"), blocked = number(f, "blocked"), total = number(f, "total");
  if (!reachable || !blocked || !total) return std::nullopt;
  return SyscallFigures{*reachable, *blocked, *total};
}

// "mount rc=1 mount: SUCCEEDED (returned 0)"
std::optional<AttackOutcome> parse_attack(const std::string& rest) {
  std::istringstream words(rest);
  std::string name, rc;
  if (!(words >> name >> rc) || rc.rfind("rc=", 0) != 0) return std::nullopt;
  Fields f = key_values(rc);
  auto code = number(f, "rc");
  if (!code) return std::nullopt;
  std::string says;
  std::getline(words >> std::ws, says);
  return AttackOutcome{name, static_cast<int>(*code), says};
}

// {"rr_us":[61.20,58.93]} -> {61.2, 58.93}; empty when the JSON is not that.
std::vector<double> parse_round_trips(const std::string& rest) {
  std::vector<double> out;
  std::size_t at = rest.find("\"rr_us\":[");
  if (at == std::string::npos) return out;
  const char* p = rest.c_str() + at + 9;
  while (*p != ']' && *p != '\0') {
    char* end = nullptr;
    double value = std::strtod(p, &end);
    if (end == p) return {};
    out.push_back(value);
    p = *end == ',' ? end + 1 : end;
  }
  return *p == ']' ? out : std::vector<double>{};
}

// One line's kind ("compute") and the text after it.
void take_line(const std::string& line, WorkloadOutput& out) {
  std::size_t at = line.find(kTag);
  if (at == std::string::npos) return;
  std::string body = line.substr(at + kTag.size());
  std::size_t space = body.find(' ');
  std::string kind = body.substr(0, space);
  std::string rest = space == std::string::npos ? "" : body.substr(space + 1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\r')) rest.pop_back();
  if (kind == "compute") {
    if (auto c = parse_compute(rest)) out.compute = c;
  } else if (kind == "io") {
    if (auto io = parse_io(rest)) out.io = io;
  } else if (kind == "uname" && !rest.empty()) {
    out.uname = rest;
  } else if (kind == "boot_id" && !rest.empty()) {
    out.boot_id = rest;
  } else if (kind == "syscalls") {
    if (auto s = parse_syscalls(rest)) out.syscalls = s;
  } else if (kind == "net") {
    out.rr_us = parse_round_trips(rest);
  } else if (kind == "attack") {
    if (auto a = parse_attack(rest)) out.attacks.push_back(*a);
  }
}

}  // namespace

WorkloadOutput parse_workload_lines(const std::vector<std::string>& lines) {
  WorkloadOutput out;
  for (const std::string& line : lines) take_line(line, out);
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace deploylab::bench
