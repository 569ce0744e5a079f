// bench/store/store_report_test.cpp: the store benchmark's arithmetic, table, goal verdicts and
// JSON (store_report.h), on made-up samples.
#include "bench/store/store_report.h"

#include <gtest/gtest.h>

#include <cmath>

namespace deploylab::bench {
namespace {

StoreSeries series(Contender who, double puts_1, double puts_n, double watch_us) {
  StoreSeries s;
  s.who = who;
  s.puts_1 = {{static_cast<std::int64_t>(puts_1 * 2), 2.0}, {static_cast<std::int64_t>(puts_1), 1.0}};
  s.puts_n = {{static_cast<std::int64_t>(puts_n * 2), 2.0}};
  s.range_1_us = {100, 200, 300};
  s.watch_sent_us = {watch_us, watch_us};
  s.watch_acked_us = {-10, -10};
  return s;
}

StoreReport report_of(std::vector<StoreSeries> all) {
  StoreReport report;
  report.series = std::move(all);
  report.rounds_done = 2;
  report.machine = "machine: test cpu, 2 cpus";
  return report;
}

// ministore at twice etcd's puts/s with 1 client, 1.5x with 16, watch delivery in half the time.
StoreReport both_stores() {
  return report_of({series(Contender::ministore, 3000, 9000, 2000), series(Contender::etcd, 1500, 6000, 4000)});
}

Verdict verdict_of(const StoreReport& report, std::size_t goal) { return check_goals(report).at(goal).verdict; }

TEST(StoreReport, PercentileInterpolatesBetweenRanksAndIgnoresNaN) {
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 0.5), 2.5) << "the median of an even count is the mean of the middle two";
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4, 5}, 0.99), 4.96);
  EXPECT_DOUBLE_EQ(percentile({7, std::nan("")}, 0.99), 7.0);
  EXPECT_TRUE(std::isnan(percentile({}, 0.5))) << "no samples is no value, not 0";
}

TEST(StoreReport, PutRoundsAreRatesAndZeroTimeIsNoRate) {
  EXPECT_DOUBLE_EQ((PutRound{3000, 1.5}).per_second(), 2000.0);
  EXPECT_TRUE(std::isnan((PutRound{10, 0}).per_second()));
  EXPECT_EQ(format_rate(12345.6), "12,346/s");
  EXPECT_EQ(format_rate(85.25), "85.2/s");
  EXPECT_EQ(format_rate(1000), "1,000/s");
  EXPECT_EQ(format_ratio(std::nan("")), "n/a");
}

TEST(StoreReport, ParsesTheStoreListInOrderWithoutRepeats) {
  auto chosen = parse_contenders("etcd,ministore,etcd").value();
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0], Contender::etcd);
  EXPECT_EQ(chosen[1], Contender::ministore);
  auto bad = parse_contenders("ministore,zookeeper");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("zookeeper"), std::string::npos) << bad.error().message();
}

TEST(StoreReport, TableHasTheStoresSideBySideWithRatiosToEtcd) {
  StoreReport report = both_stores();
  std::string table = render_store_table(report);
  EXPECT_NE(table.find("ministore (FULL)"), std::string::npos) << table;
  EXPECT_NE(table.find("ministore/etcd"), std::string::npos) << "a ratio column after ministore's: " << table;
  EXPECT_NE(table.find("3,000/s"), std::string::npos) << table;
  EXPECT_NE(table.find("2.00x"), std::string::npos) << "3,000/s over 1,500/s: " << table;
  EXPECT_NE(table.find("1.50x"), std::string::npos) << "9,000/s over 6,000/s: " << table;
  EXPECT_NE(table.find("0.50x"), std::string::npos) << "watch 2 ms over 4 ms: " << table;
  EXPECT_NE(table.find("-10.0 us"), std::string::npos) << "an event before the put's ack is negative: " << table;
  std::size_t acked = table.find("watch, put acked -> event: p50");
  std::string line = table.substr(acked, table.find('\n', acked) - acked);
  EXPECT_NE(line.find("n/a"), std::string::npos) << "no ratio of negative latencies: " << line;
}

TEST(StoreReport, GoalsAreMetOrNotWithTheirNumbers) {
  StoreReport report = both_stores();
  EXPECT_EQ(verdict_of(report, 0), Verdict::met) << "2x etcd at 1 client";
  EXPECT_EQ(verdict_of(report, 1), Verdict::not_met) << "1.5x etcd at 16 clients, the goal is 2x";
  EXPECT_EQ(verdict_of(report, 2), Verdict::met) << "2 ms is under 10 ms";
  std::string line = render_goal(check_goals(report)[1]);
  EXPECT_NE(line.find("NOT met"), std::string::npos) << line;
  EXPECT_NE(line.find("9,000/s"), std::string::npos) << line;
  EXPECT_NE(line.find("6,000/s"), std::string::npos) << line;
  report.series[0].watch_sent_us = {2000, 12000, 12000};
  EXPECT_EQ(verdict_of(report, 2), Verdict::not_met) << "p99 12 ms is over 10 ms";
}

TEST(StoreReport, AMissingEtcdLeavesItsColumnEmptyAndTheGoalsOpen) {
  StoreSeries etcd;
  etcd.who = Contender::etcd;
  etcd.unavailable = "etcd not installed: /usr/bin/etcd missing";
  StoreReport report = report_of({series(Contender::ministore, 3000, 9000, 2000), etcd});
  std::string text = render_store_report(report);
  EXPECT_NE(text.find("! etcd: not measured: etcd not installed"), std::string::npos) << text;
  std::string table = render_store_table(report);
  std::size_t row = table.find("puts/s, 1 client");
  ASSERT_NE(row, std::string::npos) << table;
  std::string line = table.substr(row, table.find('\n', row) - row);
  EXPECT_TRUE(line.ends_with("3,000/s")) << "etcd's cells and the ratio stay empty, no made-up n/a or number: [" << line
                                         << "]";
  EXPECT_EQ(verdict_of(report, 0), Verdict::cannot_tell);
  EXPECT_NE(check_goals(report)[0].evidence.find("/usr/bin/etcd missing"), std::string::npos);
  EXPECT_EQ(verdict_of(report, 2), Verdict::met) << "the watch goal needs ministore only";
  nlohmann::json json = store_report_json(report);
  EXPECT_EQ(json["stores"][1]["unavailable"], "etcd not installed: /usr/bin/etcd missing");
  EXPECT_EQ(json["stores"][1]["range_1_key_us"]["count"], 0);
}

TEST(StoreReport, OnlyOneStoreHasNoRatioColumnsAndSaysWhyGoalsAreOpen) {
  StoreReport report = report_of({series(Contender::etcd, 1500, 6000, 4000)});
  std::string table = render_store_table(report);
  EXPECT_EQ(table.find("/etcd"), std::string::npos) << table;
  EXPECT_EQ(verdict_of(report, 0), Verdict::cannot_tell);
  EXPECT_NE(check_goals(report)[0].evidence.find("ministore was not run (--only)"), std::string::npos);
}

TEST(StoreReport, JsonKeepsEverySampleAndTheVerdicts) {
  StoreReport report = both_stores();
  report.settings.concurrent_clients = 16;
  nlohmann::json json = store_report_json(report);
  const auto& mini = json["stores"][0];
  EXPECT_EQ(mini["store"], "ministore");
  EXPECT_EQ(mini["puts_1_client"]["rounds"].size(), 2u);
  EXPECT_DOUBLE_EQ(mini["puts_16_clients"]["median_per_s"].get<double>(), 9000.0);
  EXPECT_EQ(mini["range_1_key_us"]["samples"].size(), 3u);
  EXPECT_DOUBLE_EQ(mini["range_1_key_us"]["p50"].get<double>(), 200.0);
  EXPECT_EQ(json["goals"][1]["verdict"], "NOT met");
  EXPECT_EQ(json["machine"], "machine: test cpu, 2 cpus");
}

}  // namespace
}  // namespace deploylab::bench
