// bench/tradeoff/format.cpp: numbers, ratios and names as the tradeoff table writes them
// (format.h).
#include "bench/tradeoff/format.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace deploylab::bench {
namespace {

// Three significant digits without trailing exponent: 1234 -> "1234", 12.345 -> "12.3".
std::string three_digits(double v) {
  char buf[64];
  double a = std::fabs(v);
  if (a >= 100 || a == 0) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (a >= 1) std::snprintf(buf, sizeof buf, "%.2f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

std::string format_value(double value, const std::string& unit) {
  if (std::isnan(value)) return "-";
  static const std::map<std::string, std::pair<std::string, double>> kBigger{
      {"ns", {"us", 1000}}, {"us", {"ms", 1000}}, {"ms", {"s", 1000}}};
  std::string u = unit;
  double v = value;
  for (auto it = kBigger.find(u); it != kBigger.end() && std::fabs(v) >= 1000; it = kBigger.find(u)) {
    v /= it->second.second;
    u = it->second.first;
  }
  if (u == "count") return std::to_string(std::lround(v));
  return u.empty() ? three_digits(v) : three_digits(v) + " " + u;
}

std::string format_ratio(double ratio) {
  if (std::isnan(ratio) || std::isinf(ratio)) return "-";
  char buf[64];
  if (ratio >= 10) std::snprintf(buf, sizeof buf, "%.0fx", ratio);
  else std::snprintf(buf, sizeof buf, "%.2fx", ratio);
  return buf;
}

std::string describe_place(const std::string& place) {
  if (place == "native") return "this machine";
  if (place == "vmhost") return "inside vmhost";
  return place;
}

std::string contender_label(const std::string& contender) {
  static const std::map<std::string, std::string> kLabels{
      {"qemu", "QEMU microvm"}, {"libvirt", "libvirt (QEMU q35)"}};
  auto it = kLabels.find(contender);
  return it == kLabels.end() ? contender : it->second;
}

std::string csv_field(const std::string& text) {
  std::string one_line;  // a figure is one line of the file, even when an error message had several
  for (char c : text) one_line += c == '\n' || c == '\r' ? ' ' : c;
  if (one_line.find_first_of(",\"") == std::string::npos) return one_line;
  std::string out = "\"";
  for (char c : one_line) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string md_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace deploylab::bench
