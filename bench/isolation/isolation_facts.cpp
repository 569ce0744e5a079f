// bench/isolation/isolation_facts.cpp: the isolation row's Measurements (isolation_facts.h).
#include "bench/isolation/isolation_facts.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace deploylab::bench::isolation {
namespace {

constexpr const char* kContenders[] = {"host", "minictr", "crun", "runc"};

// The five cells of one contender with their labels; samples, text and missing come after.
std::vector<Measurement> blank_cells(const std::string& contender, Column column) {
  auto cell = [&](const char* metric, const char* label, const char* unit, Better better) {
    Measurement m;
    m.row = Row::isolation;
    m.metric = metric;
    m.label = label;
    m.column = column;
    m.contender = contender;
    m.unit = unit;
    m.better = better;
    return m;
  };
  return {
      cell("kernel", "kernel release seen from inside (uname -r)", "", Better::none),
      cell("boot_id", "boot id seen from inside (/proc/sys/kernel/random/boot_id)", "", Better::none),
      cell("shares_kernel", "runs on the host's kernel (same boot id as the host)", "", Better::none),
      cell("syscalls_reachable",
           "x86_64 system calls seccomp lets through (syscall-census; minictr, crun and runc run the same "
           "`minictr spec` config.json, hence minictr's default profile)",
           "count", Better::lower),
      cell("escapes_stopped",
           "escape attempts stopped (ctr_attack from inside; the same config.json for every runtime)", "count",
           Better::higher),
  };
}

std::string or_missing(const std::string& text, Measurement& m, const char* what) {
  if (text.empty()) m.missing = std::string("nothing printed ") + what;
  return text;
}

// "52 EPERM, 1 ENOSYS": how the blocked calls were blocked, most common first.
std::string block_kinds(const std::vector<BlockedCall>& blocked) {
  std::map<std::string, int> by_how;
  for (const BlockedCall& call : blocked) ++by_how[call.how];
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& [how, n] : by_how) ordered.emplace_back(-n, how);
  std::sort(ordered.begin(), ordered.end());
  std::string text;
  for (const auto& [minus_n, how] : ordered) text += (text.empty() ? "" : ", ") + std::to_string(-minus_n) + " " + how;
  return text;
}

void fill_escapes(const Observation& seen, Measurement& m) {
  if (!seen.attacks) {
    m.text = "no boundary: a host process is already where an escape would lead; no attacks made";
    return;
  }
  m.samples = {static_cast<double>(stopped_count(*seen.attacks))};
  m.text = escapes_text(*seen.attacks);
}

}  // namespace

CensusFacts read_census(const std::string& output, std::optional<int> exit_code) {
  CensusFacts facts;
  facts.counts = find_summary(output);
  facts.blocked = find_blocked(output);
  if (facts.counts) return facts;
  facts.problem = exit_code ? "syscall-census exited " + std::to_string(*exit_code) + " without a count"
                            : "syscall-census did not finish";
  if (!output.empty()) facts.problem += ": " + output.substr(0, 300);
  return facts;
}

std::string census_text(const CensusFacts& census) {
  if (!census.counts) return {};
  const CensusCounts& c = *census.counts;
  std::string text = std::to_string(c.reachable) + " of " + std::to_string(c.total) + " reachable";
  if (c.blocked == 0) return text + "; none blocked";
  text += "; " + std::to_string(c.blocked) + " blocked";
  std::string kinds = block_kinds(census.blocked);
  return kinds.empty() ? text : text + " (" + kinds + ")";
}

std::string shares_kernel_text(const Observation& seen) {
  if (seen.column == Column::host) return "yes: it is the host";
  if (seen.boot_id.empty() || seen.host_boot_id.empty()) return {};
  if (seen.boot_id == seen.host_boot_id) return "yes: same boot id as the host";
  return "no: its boot id differs from the host's (a kernel of its own)";
}

std::vector<Measurement> isolation_measurements(const Observation& seen) {
  std::vector<Measurement> cells = blank_cells(seen.contender, seen.column);
  cells[0].text = or_missing(seen.kernel, cells[0], "for uname -r");
  cells[1].text = or_missing(seen.boot_id, cells[1], "for the boot id");
  cells[2].text = or_missing(shares_kernel_text(seen), cells[2], "for the boot id");
  if (seen.census.counts) {
    cells[3].samples = {static_cast<double>(seen.census.counts->reachable)};
    cells[3].text = census_text(seen.census);
  } else {
    cells[3].missing = seen.census.problem;
  }
  fill_escapes(seen, cells[4]);
  return cells;
}

std::vector<Measurement> missing_measurements(const std::string& contender, Column column, const std::string& reason) {
  std::vector<Measurement> cells = blank_cells(contender, column);
  for (Measurement& m : cells) m.missing = reason;
  return cells;
}

Result<std::vector<std::string>> parse_contenders(const std::string& list) {
  std::map<std::string, bool> wanted;
  std::stringstream words(list);
  std::string word;
  while (std::getline(words, word, ',')) {
    bool known = std::find(std::begin(kContenders), std::end(kContenders), word) != std::end(kContenders);
    if (!known) return Error::invalid("unknown contender '" + word + "'", "--only", "use host, minictr, crun or runc");
    wanted[word] = true;
  }
  std::vector<std::string> contenders;
  for (const char* name : kContenders) {
    if (wanted.count(name) != 0) contenders.push_back(name);
  }
  if (contenders.empty()) return Error::invalid("no contender named", "--only", "use host, minictr, crun or runc");
  return contenders;
}

}  // namespace deploylab::bench::isolation
