// bench/workloads/workload_args.cpp: command lines, hash chain and output lines of the workload
// programs (workload_args.h).
#include "bench/workloads/workload_args.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace deploylab::workloads {
namespace {

// A whole number in [1, limit]: "--millions wants a whole number from 1 to 100000, not `x`".
std::string parse_count(const std::string& option, const std::string& text, long limit, long& out) {
  std::string complaint = option + " wants a whole number from 1 to " + std::to_string(limit) + ", not `" + text + "`";
  if (text.empty() || text[0] < '0' || text[0] > '9') return complaint;
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < 1 || value > limit) return complaint;
  out = value;
  return {};
}

// The value after args[i] (which is an option), or a complaint.
std::string value_of(const std::vector<std::string>& args, std::size_t& i, std::string& value) {
  if (i + 1 >= args.size()) return args[i] + " needs a value";
  value = args[++i];
  return {};
}

std::string format(const char* pattern, double a, double b, double c, double d, const char* e) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, a, b, c, d, e);
  return text;
}

}  // namespace

std::string parse_compute_args(const std::vector<std::string>& args, ComputeArgs& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--millions") return "unknown argument `" + args[i] + "` (usage: compute-kernel [--millions N])";
    std::string value;
    if (auto error = value_of(args, i, value); !error.empty()) return error;
    if (auto error = parse_count("--millions", value, 100000, out.millions); !error.empty()) return error;
  }
  return {};
}

std::string parse_io_args(const std::vector<std::string>& args, IoArgs& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& option = args[i];
    std::string value;
    if (option != "--dir" && option != "--mebibytes" && option != "--random-ops") {
      return "unknown argument `" + option + "` (usage: io-probe --dir D [--mebibytes M] [--random-ops K])";
    }
    if (auto error = value_of(args, i, value); !error.empty()) return error;
    std::string error;
    if (option == "--dir") out.dir = value;
    if (option == "--mebibytes") error = parse_count(option, value, 65536, out.mebibytes);
    if (option == "--random-ops") error = parse_count(option, value, 10000000, out.random_ops);
    if (!error.empty()) return error;
  }
  if (out.dir.empty()) return "--dir is required (usage: io-probe --dir D [--mebibytes M] [--random-ops K])";
  return {};
}

std::uint64_t hash_chain(std::uint64_t iterations) {
  std::uint64_t x = 0x9e3779b97f4a7c15ull;  // any non-zero seed; fixed, so the checksum is too
  std::uint64_t acc = 1;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    acc = acc * 0x100000001b3ull + (x ^ i);
  }
  return acc ^ x;
}

std::string compute_line(long millions, double ms, std::uint64_t checksum) {
  char text[128];
  std::snprintf(text, sizeof text, "deploylab-bench: compute millions=%ld ms=%.3f checksum=%016" PRIx64, millions, ms,
                checksum);
  return text;
}

std::string io_line(const IoResult& r) {
  return format("deploylab-bench: io seq_write_mbps=%.1f seq_read_mbps=%.1f rand_read_iops=%.1f "
                "rand_write_iops=%.1f direct=%s",
                r.seq_write_mbps, r.seq_read_mbps, r.rand_read_iops, r.rand_write_iops, r.direct ? "yes" : "no");
}

}  // namespace deploylab::workloads
