// bench/containers/workload_output.cpp: reading the workloads' deploylab-bench lines
// (workload_output.h).
#include "bench/containers/workload_output.h"

#include <cmath>
#include <sstream>

namespace deploylab::bench {
namespace {

std::string excerpt(const std::string& output) {
  std::string start = output.substr(0, 200);
  return start.empty() ? "(no output)" : start;
}

Result<std::string> field(const std::map<std::string, std::string>& fields, const std::string& key) {
  auto found = fields.find(key);
  if (found == fields.end()) return Error::invalid("the deploylab-bench line has no " + key + "=", "");
  return found->second;
}

// A finite, non-negative number; "12.5x" or "nan" are errors naming the field.
Result<double> number(const std::map<std::string, std::string>& fields, const std::string& key) {
  std::string text = DL_TRY(field(fields, key));
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || !std::isfinite(value) || value < 0) {
    return Error::invalid("the deploylab-bench line's " + key + "=" + text + " is not a number", "");
  }
  return value;
}

}  // namespace

Result<std::map<std::string, std::string>> bench_line_fields(const std::string& output, const std::string& kind) {
  const std::string prefix = "deploylab-bench: " + kind + " ";
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::size_t at = line.find(prefix);
    if (at == std::string::npos) continue;
    std::map<std::string, std::string> fields;
    std::istringstream words(line.substr(at + prefix.size()));
    for (std::string word; words >> word;) {
      std::size_t eq = word.find('=');
      if (eq != std::string::npos && eq > 0) fields[word.substr(0, eq)] = word.substr(eq + 1);
    }
    return fields;
  }
  return Error::invalid("no `deploylab-bench: " + kind + "` line in the output", excerpt(output));
}

Result<ComputeOutput> parse_compute_output(const std::string& output) {
  auto fields = DL_TRY(bench_line_fields(output, "compute"));
  ComputeOutput parsed;
  parsed.millions = static_cast<long>(DL_TRY(number(fields, "millions")));
  parsed.ms = DL_TRY(number(fields, "ms"));
  parsed.checksum = DL_TRY(field(fields, "checksum"));
  if (parsed.checksum.empty()) return Error::invalid("the deploylab-bench compute line has an empty checksum", "");
  return parsed;
}

Result<IoOutput> parse_io_output(const std::string& output) {
  auto fields = DL_TRY(bench_line_fields(output, "io"));
  IoOutput parsed;
  parsed.seq_write_mbps = DL_TRY(number(fields, "seq_write_mbps"));
  parsed.seq_read_mbps = DL_TRY(number(fields, "seq_read_mbps"));
  parsed.rand_read_iops = DL_TRY(number(fields, "rand_read_iops"));
  parsed.rand_write_iops = DL_TRY(number(fields, "rand_write_iops"));
  std::string direct = DL_TRY(field(fields, "direct"));
  if (direct != "yes" && direct != "no") return Error::invalid("the deploylab-bench io line's direct=" + direct + " is not yes or no", "");
  parsed.direct = direct == "yes";
  return parsed;
}

}  // namespace deploylab::bench
