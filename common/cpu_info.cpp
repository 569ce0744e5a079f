// common/cpu_info.cpp: /proc/cpuinfo parsing and TSC reads (see cpu_info.h).
#include "common/cpu_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "common/file_io.h"

namespace deploylab {
namespace {

constexpr std::string_view kWhitespace = " \t\r";

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

// The trimmed value of the first "key : value" line of cpuinfo text with this key, or nullopt.
// /proc/cpuinfo repeats its block once per CPU; the first block is enough for our purposes.
std::optional<std::string> find_field(const std::string& cpuinfo_text, std::string_view key) {
  std::istringstream lines(cpuinfo_text);
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (trim(std::string_view(line).substr(0, colon)) != key) continue;
    return std::string(trim(std::string_view(line).substr(colon + 1)));
  }
  return std::nullopt;
}

bool has_word(const std::string& words, std::string_view word) {
  std::istringstream in(words);
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

}  // namespace

std::string parse_cpu_model(const std::string& cpuinfo_text) {
  auto model = find_field(cpuinfo_text, "model name");
  if (!model || model->empty()) return "unknown CPU";
  return *model;
}

std::string cpu_model_name() { return parse_cpu_model(read_file_or_empty("/proc/cpuinfo")); }

std::string machine_line() {
  struct utsname u {};
  ::uname(&u);
  return "machine: " + cpu_model_name() + ", " + std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)) + " cpus, Linux " +
         u.release;
}

std::string load_average_line() {
  std::istringstream fields(read_file_or_empty("/proc/loadavg"));
  std::string one, five, fifteen;
  fields >> one >> five >> fifteen;
  return "load average (1, 5, 15 min) " + one + " " + five + " " + fifteen;
}

bool tsc_is_invariant(const std::string& cpuinfo_text) {
  auto flags = find_field(cpuinfo_text, "flags");
  if (!flags) return false;
  return has_word(*flags, "constant_tsc") && has_word(*flags, "nonstop_tsc");
}

bool cpu_tsc_is_invariant() { return tsc_is_invariant(read_file_or_empty("/proc/cpuinfo")); }

std::uint64_t read_tsc() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_lfence();  // earlier instructions have completed...
  std::uint64_t ticks = __rdtsc();
  _mm_lfence();  // ...and later ones have not started
  return ticks;
#else
  // No TSC: fall back to nanoseconds, so callers still get a monotonic count (1 GHz "ticks").
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now);
  return static_cast<std::uint64_t>(ns.count());
#endif
}

double measure_tsc_hz(std::chrono::milliseconds window) {
  if (window <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("measure_tsc_hz: the window must be positive, got " +
                                std::to_string(window.count()) + " ms");
  }
  // Read the two clocks back to back at each end, so the pairs are as close in time as we can make
  // them; the sleep in between is what the error is divided by.
  auto start_time = std::chrono::steady_clock::now();
  std::uint64_t start_ticks = read_tsc();
  std::this_thread::sleep_for(window);
  auto end_time = std::chrono::steady_clock::now();
  std::uint64_t end_ticks = read_tsc();
  std::chrono::duration<double> elapsed = end_time - start_time;
  return static_cast<double>(end_ticks - start_ticks) / elapsed.count();
}

}  // namespace deploylab
