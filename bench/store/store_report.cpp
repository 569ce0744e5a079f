// bench/store/store_report.cpp: table, goal checks and JSON of the store benchmark
// (store_report.h).
#include "bench/store/store_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "common/stats.h"
#include "common/text_table.h"

namespace deploylab::bench {
namespace {

using Json = nlohmann::json;
using Samples = std::vector<double> StoreSeries::*;
using Rounds = std::vector<PutRound> StoreSeries::*;

constexpr double kWatchGoalUs = 10'000;  // the issue: watch delivery under 10 ms

struct Known {
  Contender who;
  const char* key;
  const char* title;
};
constexpr Known kKnown[] = {
    {Contender::ministore, "ministore", "ministore (FULL)"},
    {Contender::etcd, "etcd", "etcd 3.4"},
    {Contender::ministore_normal, "ministore-normal", "ministore (NORMAL, kine's setting)"},
};

const Known& known(Contender who) {
  for (const Known& k : kKnown) {
    if (k.who == who) return k;
  }
  return kKnown[0];
}

std::vector<double> rates(const std::vector<PutRound>& rounds) {
  std::vector<double> values;
  for (const PutRound& round : rounds) values.push_back(round.per_second());
  return values;
}

double median_rate(const std::vector<PutRound>& rounds) { return summarize(rates(rounds)).median; }

std::string format_us(double us) { return format_duration_ns(us * 1000.0); }

// One line of the table: a number per store (with a ratio to etcd's), or a text cell only.
struct Row {
  std::string label;
  std::function<double(const StoreSeries&)> value;      // NaN: nothing measured
  std::function<std::string(double)> format;
  std::function<std::string(const StoreSeries&)> text;  // set: a text row without a ratio
};

Row rate_row(std::string label, Rounds field) {
  return {std::move(label), [field](const StoreSeries& s) { return median_rate(s.*field); }, format_rate, {}};
}

Row rate_range_row(Rounds field) {
  auto text = [field](const StoreSeries& s) {
    Summary r = summarize(rates(s.*field));
    if (r.count == 0) return std::string("n/a");
    return format_count(r.min) + " - " + format_rate(r.max);
  };
  return {"  min - max over rounds", {}, {}, text};
}

Row latency_row(std::string label, Samples field, double p) {
  return {std::move(label), [field, p](const StoreSeries& s) { return percentile(s.*field, p); }, format_us, {}};
}

std::vector<Row> table_rows(const StoreBenchSettings& settings) {
  const std::string n = std::to_string(settings.concurrent_clients) + " clients";
  const std::string prefix = "range, " + format_count(settings.range_keys) + "-key prefix";
  return {rate_row("puts/s, 1 client (median of rounds)", &StoreSeries::puts_1),
          rate_range_row(&StoreSeries::puts_1),
          rate_row("puts/s, " + n + " (median of rounds)", &StoreSeries::puts_n),
          rate_range_row(&StoreSeries::puts_n),
          latency_row("put latency, 1 client: p50", &StoreSeries::put_1_latency_us, 0.50),
          latency_row("put latency, 1 client: p99", &StoreSeries::put_1_latency_us, 0.99),
          latency_row("put latency, " + n + ": p50", &StoreSeries::put_n_latency_us, 0.50),
          latency_row("put latency, " + n + ": p99", &StoreSeries::put_n_latency_us, 0.99),
          latency_row("range, 1 key: p50", &StoreSeries::range_1_us, 0.50),
          latency_row("range, 1 key: p99", &StoreSeries::range_1_us, 0.99),
          latency_row(prefix + ": p50", &StoreSeries::range_prefix_us, 0.50),
          latency_row(prefix + ": p99", &StoreSeries::range_prefix_us, 0.99),
          latency_row("watch, put sent -> event: p50", &StoreSeries::watch_sent_us, 0.50),
          latency_row("watch, put sent -> event: p99", &StoreSeries::watch_sent_us, 0.99),
          latency_row("watch, put acked -> event: p50", &StoreSeries::watch_acked_us, 0.50),
          latency_row("watch, put acked -> event: p99", &StoreSeries::watch_acked_us, 0.99)};
}

// The series of `who` if it was measured (possibly only in part), else nullptr.
const StoreSeries* measured(const StoreReport& report, Contender who) {
  for (const StoreSeries& s : report.series) {
    if (s.who == who && s.unavailable.empty()) return &s;
  }
  return nullptr;
}

// Why `who` has no numbers: left out by --only, or not available here.
std::string why_missing(const StoreReport& report, Contender who) {
  for (const StoreSeries& s : report.series) {
    if (s.who == who) return contender_key(who) + " was not measured: " + s.unavailable;
  }
  return contender_key(who) + " was not run (--only)";
}

std::string cell(const Row& row, const StoreSeries& s) {
  if (!s.unavailable.empty()) return "";
  return row.text ? row.text(s) : row.format(row.value(s));
}

// A ratio means something only between two positive numbers: "acked -> event" is negative when
// the event came first.
std::string ratio_cell(const Row& row, const StoreSeries& s, const StoreSeries* etcd) {
  if (row.text || etcd == nullptr || !s.unavailable.empty()) return "";
  double ours = row.value(s), theirs = row.value(*etcd);
  if (!(ours > 0 && theirs > 0)) return "n/a";
  return format_ratio(ours / theirs);
}

// Whether a ratio column follows the column of `s`: for every store but etcd, when etcd ran.
bool has_ratio(const StoreReport& report, const StoreSeries& s) {
  if (s.who == Contender::etcd) return false;
  return std::any_of(report.series.begin(), report.series.end(),
                     [](const StoreSeries& other) { return other.who == Contender::etcd; });
}

GoalCheck throughput_goal(const StoreReport& report, std::string goal, Rounds field, double factor) {
  GoalCheck check{std::move(goal), Verdict::cannot_tell, ""};
  const StoreSeries* mini = measured(report, Contender::ministore);
  const StoreSeries* etcd = measured(report, Contender::etcd);
  if (mini == nullptr || etcd == nullptr) {
    check.evidence = why_missing(report, mini == nullptr ? Contender::ministore : Contender::etcd);
    return check;
  }
  double ours = median_rate(mini->*field), theirs = median_rate(etcd->*field);
  if (std::isnan(ours) || std::isnan(theirs)) {
    check.evidence = "no complete put run on both stores";
    return check;
  }
  double ratio = ours / theirs;
  check.verdict = ratio >= factor ? Verdict::met : Verdict::not_met;
  check.evidence = "ministore " + format_rate(ours) + ", etcd " + format_rate(theirs) + ": " + format_ratio(ratio) +
                   ", goal " + format_ratio(factor) + " or more";
  return check;
}

GoalCheck watch_goal(const StoreReport& report) {
  GoalCheck check{"watch delivery under 10 ms (ministore, p99 of put sent -> event)", Verdict::cannot_tell, ""};
  const StoreSeries* mini = measured(report, Contender::ministore);
  if (mini == nullptr) {
    check.evidence = why_missing(report, Contender::ministore);
    return check;
  }
  double p99 = percentile(mini->watch_sent_us, 0.99);
  if (std::isnan(p99)) {
    check.evidence = "no watch event was timed";
    return check;
  }
  check.verdict = p99 < kWatchGoalUs ? Verdict::met : Verdict::not_met;
  check.evidence = "p99 " + format_us(p99) + ", p50 " + format_us(percentile(mini->watch_sent_us, 0.5)) + " over " +
                   std::to_string(mini->watch_sent_us.size()) + " events";
  if (const StoreSeries* etcd = measured(report, Contender::etcd)) {
    check.evidence += "; etcd p99 " + format_us(percentile(etcd->watch_sent_us, 0.99));
  }
  return check;
}

Json latency_json(const std::vector<double>& samples, bool with_samples) {
  Json j = {{"count", samples.size()}, {"p50", percentile(samples, 0.5)}, {"p99", percentile(samples, 0.99)}};
  if (with_samples) j["samples"] = samples;
  return j;
}

Json puts_json(const std::vector<PutRound>& rounds, const std::vector<double>& latency_us) {
  Json per_round = Json::array();
  for (const PutRound& r : rounds) {
    per_round.push_back({{"puts", r.puts}, {"seconds", r.seconds}, {"per_s", r.per_second()}});
  }
  Summary s = summarize(rates(rounds));
  return {{"rounds", per_round}, {"median_per_s", s.median}, {"min_per_s", s.min}, {"max_per_s", s.max},
          {"latency_us", latency_json(latency_us, false)}};
}

Json series_json(const StoreSeries& s, const StoreBenchSettings& settings) {
  Json j = {{"store", contender_key(s.who)}, {"title", contender_title(s.who)}};
  if (!s.unavailable.empty()) j["unavailable"] = s.unavailable;
  if (!s.failure.empty()) j["failure"] = s.failure;
  j["puts_1_client"] = puts_json(s.puts_1, s.put_1_latency_us);
  j["puts_" + std::to_string(settings.concurrent_clients) + "_clients"] = puts_json(s.puts_n, s.put_n_latency_us);
  j["range_1_key_us"] = latency_json(s.range_1_us, true);
  j["range_prefix_us"] = latency_json(s.range_prefix_us, true);
  j["watch_put_sent_to_event_us"] = latency_json(s.watch_sent_us, true);
  j["watch_put_acked_to_event_us"] = latency_json(s.watch_acked_us, true);
  return j;
}

Json settings_json(const StoreBenchSettings& s) {
  return {{"rounds", s.rounds},
          {"warm_up_rounds", 1},
          {"put_seconds", s.put_seconds},
          {"concurrent_clients", s.concurrent_clients},
          {"value_bytes", s.value_bytes},
          {"range_keys", s.range_keys},
          {"single_key_ranges_per_round", s.single_key_ranges},
          {"prefix_ranges_per_round", s.prefix_ranges},
          {"watch_events_per_round", s.watch_events}};
}

}  // namespace

std::string contender_key(Contender who) { return known(who).key; }
std::string contender_title(Contender who) { return known(who).title; }

Result<std::vector<Contender>> parse_contenders(std::string_view list) {
  std::vector<Contender> chosen;
  std::stringstream in{std::string(list)};
  for (std::string name; std::getline(in, name, ',');) {
    if (name.empty()) continue;
    auto match = std::find_if(std::begin(kKnown), std::end(kKnown), [&](const Known& k) { return name == k.key; });
    if (match == std::end(kKnown)) {
      return Error::invalid("unknown store `" + name + "`", "", "--only takes ministore, etcd, ministore-normal");
    }
    if (std::find(chosen.begin(), chosen.end(), match->who) == chosen.end()) chosen.push_back(match->who);
  }
  return chosen;
}

double PutRound::per_second() const {
  if (seconds <= 0) return Summary::kNoValue;
  return static_cast<double>(puts) / seconds;
}

double percentile(std::vector<double> samples, double p) {
  std::erase_if(samples, [](double s) { return std::isnan(s); });
  if (samples.empty()) return Summary::kNoValue;
  std::sort(samples.begin(), samples.end());
  double rank = static_cast<double>(samples.size() - 1) * std::clamp(p, 0.0, 1.0);
  auto below = static_cast<std::size_t>(std::floor(rank));
  if (below + 1 >= samples.size()) return samples.back();
  return samples[below] + (rank - static_cast<double>(below)) * (samples[below + 1] - samples[below]);
}

std::string format_count(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::fabs(value) < 100) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
  }
  std::string digits = std::to_string(static_cast<long long>(std::llround(std::fabs(value))));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + digits;
}

std::string format_rate(double per_second) {
  if (std::isnan(per_second)) return "n/a";
  return format_count(per_second) + "/s";
}

std::string format_ratio(double ratio) {
  if (std::isnan(ratio) || std::isinf(ratio)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

std::string render_store_table(const StoreReport& report) {
  std::vector<std::string> header{"measurement"};
  for (const StoreSeries& s : report.series) {
    header.push_back(contender_title(s.who));
    if (has_ratio(report, s)) header.push_back(contender_key(s.who) + "/etcd");
  }
  TextTable table(header);
  for (std::size_t c = 1; c < header.size(); ++c) table.set_alignment(c, Align::right);
  const StoreSeries* etcd = measured(report, Contender::etcd);
  for (const Row& row : table_rows(report.settings)) {
    std::vector<std::string> cells{row.label};
    for (const StoreSeries& s : report.series) {
      cells.push_back(cell(row, s));
      if (has_ratio(report, s)) cells.push_back(ratio_cell(row, s, etcd));
    }
    table.add_row(std::move(cells));
  }
  return table.render();
}

std::string to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::met: return "met";
    case Verdict::not_met: return "NOT met";
    case Verdict::cannot_tell: return "cannot tell";
  }
  return "cannot tell";
}

std::vector<GoalCheck> check_goals(const StoreReport& report) {
  const std::string n = std::to_string(report.settings.concurrent_clients);
  return {throughput_goal(report, "ministore >= etcd in puts/s with 1 client", &StoreSeries::puts_1, 1.0),
          throughput_goal(report, "ministore >= 2x etcd in puts/s with " + n + " clients", &StoreSeries::puts_n, 2.0),
          watch_goal(report)};
}

std::string render_goal(const GoalCheck& check) {
  return "goal: " + check.goal + ": " + to_string(check.verdict) + " (" + check.evidence + ")";
}

std::string render_store_report(const StoreReport& report) {
  std::ostringstream out;
  out << report.machine << "\n" << "before: " << report.load_before << "\n" << "after: " << report.load_after << "\n";
  for (const std::string& note : report.notes) out << note << "\n";
  out << "\n" << render_store_table(report);
  out << "ratios divide by etcd's column: above 1 is better for puts/s, below 1 is better for latencies\n";
  for (const StoreSeries& s : report.series) {
    if (!s.unavailable.empty()) out << "! " << contender_key(s.who) << ": not measured: " << s.unavailable << "\n";
    if (!s.failure.empty()) out << "! " << contender_key(s.who) << ": " << s.failure << "\n";
  }
  out << "\n";
  for (const GoalCheck& check : check_goals(report)) out << render_goal(check) << "\n";
  return out.str();
}

nlohmann::json store_report_json(const StoreReport& report) {
  Json stores = Json::array();
  for (const StoreSeries& s : report.series) stores.push_back(series_json(s, report.settings));
  Json goals = Json::array();
  for (const GoalCheck& g : check_goals(report)) {
    goals.push_back({{"goal", g.goal}, {"verdict", to_string(g.verdict)}, {"evidence", g.evidence}});
  }
  return {{"benchmark", "store-bench"},
          {"settings", settings_json(report.settings)},
          {"rounds_done", report.rounds_done},
          {"machine", report.machine},
          {"load_before", report.load_before},
          {"load_after", report.load_after},
          {"notes", report.notes},
          {"stores", stores},
          {"goals", goals}};
}

}  // namespace deploylab::bench
