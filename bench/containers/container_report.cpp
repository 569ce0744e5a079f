// bench/containers/container_report.cpp: table, goal checks and JSON of the container benchmark
// (container_report.h).
#include "bench/containers/container_report.h"

#include <cmath>
#include <cstdio>
#include <functional>

#include "common/text_table.h"

namespace deploylab::bench {
namespace {

constexpr std::int64_t kGoalMemory = 1 << 20;  // the issue: "able to start under a 1 MiB memory limit"

using Field = std::function<double(const RoundSample&)>;

const Field kTotal = [](const RoundSample& s) { return s.total_ms; };
const Field kCreate = [](const RoundSample& s) { return s.create_ms; };
const Field kStart = [](const RoundSample& s) { return s.start_ms; };
const Field kWait = [](const RoundSample& s) { return s.wait_ms; };
const Field kDelete = [](const RoundSample& s) { return s.delete_ms; };

Summary summarize_field(const Series& series, const Field& field) {
  std::vector<double> values;
  for (const RoundSample& sample : series.samples) values.push_back(field(sample));
  return summarize(std::move(values));
}

std::string ms(double value) { return format_duration_ns(value * 1e6); }

std::string times(double ratio) {
  if (std::isnan(ratio)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

// The series of `name` in `mode` that has samples, or nullptr.
const Series* find(const ContainerReport& report, const std::string& name, Mode mode) {
  for (const Series& series : report.series) {
    if (series.name == name && series.mode == mode && !series.samples.empty()) return &series;
  }
  return nullptr;
}

const MemoryFloor* find_memory(const ContainerReport& report, const std::string& runtime) {
  for (const MemoryFloor& floor : report.memory) {
    if (floor.runtime == runtime) return &floor;
  }
  return nullptr;
}

double median_ms(const Series& series) { return summarize_field(series, kTotal).median; }

// A row's median over crun's in the same mode; the command rows compare with crun's `run`.
double ratio_to_crun(const ContainerReport& report, const Series& series) {
  const Series* crun = find(report, "crun", series.mode == Mode::command ? Mode::run : series.mode);
  if (crun == nullptr || series.samples.empty()) return Summary::kNoValue;
  return median_ms(series) / median_ms(*crun);
}

// The memory column: "1.25 MiB", "<= 256 KiB" (the bottom of the search), "see below".
std::string memory_cell(const ContainerReport& report, const Series& series) {
  const MemoryFloor* floor = series.mode == Mode::run ? find_memory(report, series.name) : nullptr;
  if (floor == nullptr) return "";
  switch (floor->search.outcome) {
    case LimitSearch::Outcome::found: return format_bytes(floor->search.smallest);
    case LimitSearch::Outcome::passes_at_bottom: return "<= " + format_bytes(floor->search.smallest);
    case LimitSearch::Outcome::fails_at_top: return "no result (below)";
  }
  return "";
}

std::vector<std::string> row(const ContainerReport& report, const Series& series) {
  std::vector<std::string> cells{series.name, describe(series.mode)};
  if (series.samples.empty()) {
    cells.insert(cells.end(), {"failed (below)", "", "", "", memory_cell(report, series)});
    return cells;
  }
  Summary total = summarize_field(series, kTotal);
  cells.push_back(ms(total.median));
  cells.push_back(ms(total.p10) + " - " + ms(total.p90));
  cells.push_back(ms(total.min));
  cells.push_back(times(ratio_to_crun(report, series)));
  cells.push_back(memory_cell(report, series));
  return cells;
}

// Where the 4-command rows spend their time: the median of each step.
std::string step_table(const ContainerReport& report) {
  TextTable table({"runtime", "create", "start", "wait for exit", "delete", "all four"});
  for (std::size_t column = 1; column < 6; ++column) table.set_alignment(column, Align::right);
  bool any = false;
  for (const Series& series : report.series) {
    if (series.mode != Mode::lifecycle || series.samples.empty()) continue;
    any = true;
    table.add_row({series.name, ms(summarize_field(series, kCreate).median), ms(summarize_field(series, kStart).median),
                   ms(summarize_field(series, kWait).median), ms(summarize_field(series, kDelete).median),
                   ms(median_ms(series))});
  }
  return any ? "\nThe create + start + wait + delete rows step by step (medians):\n\n" + table.render() : "";
}

std::string failure_notes(const ContainerReport& report) {
  std::string notes;
  for (const Series& series : report.series) {
    if (series.failure.empty()) continue;
    std::string what = series.samples.empty() ? "failed" : "a later round failed, the row has fewer samples";
    notes += series.name + " " + describe(series.mode) + ": " + what + " (" + series.failure + ")\n";
  }
  return notes;
}

// One line per runtime on how its memory search ended and what failed just below the floor.
std::string memory_note(const MemoryFloor& floor, const SearchRange& range) {
  const LimitSearch& s = floor.search;
  if (s.outcome == LimitSearch::Outcome::passes_at_bottom) {
    return floor.runtime + ": starts even under " + format_bytes(range.low) + ", the bottom of the search";
  }
  const LimitTrial& below = *s.below;
  std::string how = below.attempt.detail;
  if (s.outcome == LimitSearch::Outcome::fails_at_top) {
    std::string why = below.attempt.verdict == Verdict::other_failure ? "for a reason other than memory, so no memory result"
                                                                     : "with signs of running out of memory";
    return floor.runtime + ": fails even under " + format_bytes(range.high) + ", " + why + ": " + how;
  }
  std::string line = floor.runtime + ": starts under " + format_bytes(s.smallest) + ", not under " + format_bytes(below.limit);
  if (below.attempt.verdict == Verdict::other_failure) {
    return line + ", where it failed for a reason other than memory (so this floor is doubtful): " + how;
  }
  return line + ": " + how;
}

std::string memory_notes(const ContainerReport& report) {
  if (report.memory.empty()) return "";
  std::string notes = "\nSmallest linux.resources.memory.limit under which `run` of /bin/true exits 0 (bisection, " +
                      format_bytes(report.range.low) + " to " + format_bytes(report.range.high) + " in " +
                      format_bytes(report.range.step) + " steps):\n";
  for (const MemoryFloor& floor : report.memory) notes += "  " + memory_note(floor, report.range) + "\n";
  return notes;
}

std::string speed_goal(const ContainerReport& report, Mode mode) {
  std::string line = "minictr vs crun, " + describe(mode) + ": ";
  const Series* minictr = find(report, "minictr", mode);
  const Series* crun = find(report, "crun", mode);
  if (minictr == nullptr || crun == nullptr) return line + "no result for minictr or crun (see above); goal: at least as fast: NOT MEASURED";
  double ratio = median_ms(*minictr) / median_ms(*crun);
  std::string verdict = ratio <= 1.0 ? times(1.0 / ratio) + " faster" : times(ratio) + " slower";
  line += verdict + " (median " + ms(median_ms(*minictr)) + " vs " + ms(median_ms(*crun)) + ")";
  return line + "; goal: at least as fast: " + (ratio <= 1.0 ? "MET" : "MISSED");
}

std::string crun_vs_runc(const ContainerReport& report, Mode mode) {
  const Series* crun = find(report, "crun", mode);
  const Series* runc = find(report, "runc", mode);
  if (crun == nullptr || runc == nullptr) return "";
  double speedup = median_ms(*runc) / median_ms(*crun);
  return "crun vs runc, " + describe(mode) + ": " + times(speedup) + " as fast (published: about 2x)";
}

std::string memory_goal(const ContainerReport& report) {
  const MemoryFloor* floor = find_memory(report, "minictr");
  std::string line = "minictr under a 1 MiB memory limit: ";
  if (floor == nullptr) return line + "not measured; goal: NOT MEASURED";
  const LimitSearch& s = floor->search;
  if (s.outcome == LimitSearch::Outcome::fails_at_top) return line + "no memory result (see above); goal: NOT MEASURED";
  std::string smallest = (s.outcome == LimitSearch::Outcome::passes_at_bottom ? "<= " : "") + format_bytes(s.smallest);
  bool met = s.smallest <= kGoalMemory;
  return line + (met ? "starts" : "does not start") + " (smallest limit " + smallest + "); goal: " + (met ? "MET" : "MISSED");
}

nlohmann::json summary_json(const Summary& s) {
  return {{"count", s.count}, {"median", s.median}, {"p10", s.p10}, {"p90", s.p90}, {"min", s.min}, {"max", s.max}};
}

nlohmann::json series_json(const ContainerReport& report, const Series& series) {
  nlohmann::json samples = nlohmann::json::array();
  for (const RoundSample& s : series.samples) {
    nlohmann::json j = {{"total_ms", s.total_ms}};
    if (series.mode == Mode::lifecycle) {
      j.update({{"create_ms", s.create_ms}, {"start_ms", s.start_ms}, {"wait_ms", s.wait_ms}, {"delete_ms", s.delete_ms}});
    }
    samples.push_back(std::move(j));
  }
  return {{"name", series.name}, {"mode", describe(series.mode)}, {"failure", series.failure},
          {"total_ms", summary_json(summarize_field(series, kTotal))}, {"vs_crun", ratio_to_crun(report, series)},
          {"samples", std::move(samples)}};
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::started: return "started";
    case Verdict::memory_failure: return "memory_failure";
    case Verdict::other_failure: return "other_failure";
  }
  return "unknown";
}

const char* outcome_name(LimitSearch::Outcome outcome) {
  switch (outcome) {
    case LimitSearch::Outcome::found: return "found";
    case LimitSearch::Outcome::passes_at_bottom: return "passes_at_bottom";
    case LimitSearch::Outcome::fails_at_top: return "fails_at_top";
  }
  return "unknown";
}

nlohmann::json memory_json(const MemoryFloor& floor) {
  nlohmann::json trials = nlohmann::json::array();
  for (const LimitTrial& t : floor.search.trials) {
    trials.push_back({{"limit", t.limit}, {"verdict", verdict_name(t.attempt.verdict)}, {"detail", t.attempt.detail}});
  }
  nlohmann::json j = {{"runtime", floor.runtime}, {"outcome", outcome_name(floor.search.outcome)}, {"trials", trials}};
  if (floor.search.outcome != LimitSearch::Outcome::fails_at_top) j["smallest_limit"] = floor.search.smallest;
  return j;
}

}  // namespace

std::string describe(Mode mode) {
  switch (mode) {
    case Mode::run: return "run";
    case Mode::lifecycle: return "create + start + wait + delete";
    case Mode::command: return "for scale";
  }
  return "unknown";
}

std::vector<std::string> goal_checks(const ContainerReport& report) {
  std::vector<std::string> lines{speed_goal(report, Mode::run), speed_goal(report, Mode::lifecycle)};
  for (Mode mode : {Mode::run, Mode::lifecycle}) {
    std::string line = crun_vs_runc(report, mode);
    if (!line.empty()) lines.push_back(line);
  }
  lines.push_back(memory_goal(report));
  return lines;
}

std::string render_container_report(const ContainerReport& report) {
  TextTable table({"runtime", "measured as", "median", "p10 - p90", "min", "vs crun", "smallest memory limit"});
  for (std::size_t column = 2; column < 7; ++column) table.set_alignment(column, Align::right);
  for (const Series& series : report.series) table.add_row(row(report, series));
  std::string out;
  for (const std::string& line : report.about) out += line + "\n";
  out += "\n" + table.render() + failure_notes(report) + step_table(report) + memory_notes(report) + "\n";
  for (const std::string& line : goal_checks(report)) out += line + "\n";
  return out;
}

nlohmann::json container_report_json(const ContainerReport& report) {
  nlohmann::json series = nlohmann::json::array();
  for (const Series& s : report.series) series.push_back(series_json(report, s));
  nlohmann::json memory = nlohmann::json::array();
  for (const MemoryFloor& floor : report.memory) memory.push_back(memory_json(floor));
  return {{"benchmark", "containers"}, {"rounds", report.rounds}, {"about", report.about},
          {"memory_range", {{"low", report.range.low}, {"high", report.range.high}, {"step", report.range.step}}},
          {"series", std::move(series)}, {"memory", std::move(memory)}, {"goals", goal_checks(report)}};
}

}  // namespace deploylab::bench
