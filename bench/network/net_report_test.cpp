// bench/network/net_report_test.cpp: the network benchmark's arithmetic and table (net_report.h).
#include "bench/network/net_report.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

TEST(NetReport, GigabitsCountPayloadBitsPerSecond) {
  EXPECT_DOUBLE_EQ(gbit_per_second(1e9, 8.0), 1.0);
  EXPECT_DOUBLE_EQ(gbit_per_second(256.0 * 1024 * 1024, 0.25), 256.0 * 1024 * 1024 * 8 / 0.25 / 1e9);
  EXPECT_TRUE(std::isnan(gbit_per_second(1e9, 0))) << "no time measured is no rate, not infinity";
}

TEST(NetReport, RatiosAreAgainstTheFirstRow) {
  NetReport report;
  report.series.push_back({"host loopback", {10, 10, 10}, {4, 4}, {20, 20}, ""});
  report.series.push_back({"host -> container", {15, 15, 15}, {5, 5}, {10, 10}, ""});
  std::string table = render_net_table(report);
  EXPECT_NE(table.find("1.50x"), std::string::npos) << table;
  EXPECT_NE(table.find("1.25x"), std::string::npos) << "the spinning ratio: " << table;
  EXPECT_NE(table.find("0.50x"), std::string::npos) << table;
  EXPECT_NE(table.find("15.0 us"), std::string::npos) << table;
  EXPECT_NE(table.find("20.0 Gbit/s"), std::string::npos) << table;
}

TEST(NetReport, AFailedRowSaysWhyAndHasNoNumbers) {
  NetReport report;
  report.series.push_back({"host loopback", {10}, {4}, {20}, ""});
  report.series.push_back({"host -> published port (DNAT)", {}, {}, {}, "connect refused"});
  std::string table = render_net_table(report);
  EXPECT_NE(table.find("! host -> published port (DNAT): connect refused"), std::string::npos) << table;
  EXPECT_NE(table.find("n/a"), std::string::npos) << table;
  nlohmann::json json = net_report_json(report);
  EXPECT_EQ(json["paths"][1]["failure"], "connect refused");
  EXPECT_EQ(json["paths"][0]["round_trip_us"]["count"], 1);
}

TEST(NetReport, FormatsSmallAndLargeRates) {
  EXPECT_EQ(format_gbit(3.456), "3.46 Gbit/s");
  EXPECT_EQ(format_gbit(16.04), "16.0 Gbit/s");
  EXPECT_EQ(format_ratio(Summary::kNoValue), "n/a");
}

}  // namespace
}  // namespace deploylab::bench
