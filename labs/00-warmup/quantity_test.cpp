// labs/00-warmup/quantity_test.cpp: lab 0's graded tests of parse_quantity and format_quantity
// (quantity.h). Pure logic: text in, number or error out, so each case is one line.
#include "labs/00-warmup/quantity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "labs/00-warmup/quantity_test_support.h"

namespace deploylab::warmup {
namespace {

using test_support::parses_to;
using test_support::rejection;
using ::testing::HasSubstr;

constexpr std::int64_t kKi = 1024;
constexpr std::int64_t kMi = 1024 * kKi;
constexpr std::int64_t kGi = 1024 * kMi;
constexpr std::int64_t kTi = 1024 * kGi;
constexpr std::int64_t kPi = 1024 * kTi;

TEST(Quantity, ParsesPlainNumbersAndDecimalSuffixes) {
  EXPECT_TRUE(parses_to("2", 2000)) << "a plain number counts whole units; a Quantity holds milli-units";
  EXPECT_TRUE(parses_to("1000", 1000000));
  EXPECT_TRUE(parses_to("500m", 500)) << "m means milli: 500m is half a CPU";
  EXPECT_TRUE(parses_to("1m", 1)) << "1m is the smallest step";
  EXPECT_TRUE(parses_to("1k", 1000000)) << "k is 10^3 (lower case k; there is no K)";
  EXPECT_TRUE(parses_to("2M", 2000000000)) << "M is 10^6";
  EXPECT_TRUE(parses_to("3G", 3000000000000)) << "G is 10^9";
  EXPECT_TRUE(parses_to("1T", 1000000000000000)) << "T is 10^12";
  EXPECT_TRUE(parses_to("1P", 1000000000000000000)) << "P is 10^15";
  EXPECT_TRUE(parses_to("9007199254740993m", 9007199254740993))
      << "2^53 + 1 has no exact double: parse the digits as integers, never through double";
}

TEST(Quantity, ParsesBinarySuffixes) {
  EXPECT_TRUE(parses_to("1Ki", kKi * 1000)) << "Ki is 2^10 = 1024";
  EXPECT_TRUE(parses_to("128Mi", 128 * kMi * 1000)) << "Mi is 2^20";
  EXPECT_TRUE(parses_to("2Gi", 2 * kGi * 1000)) << "Gi is 2^30";
  EXPECT_TRUE(parses_to("3Ti", 3 * kTi * 1000)) << "Ti is 2^40";
  EXPECT_TRUE(parses_to("1Pi", kPi * 1000)) << "Pi is 2^50";
}

TEST(Quantity, ParsesDecimalFractions) {
  EXPECT_TRUE(parses_to("1.5", 1500));
  EXPECT_TRUE(parses_to("0.5", 500));
  EXPECT_TRUE(parses_to(".5", 500)) << "the digits before the point may be left out";
  EXPECT_TRUE(parses_to("2.", 2000)) << "the digits after the point may be left out";
  EXPECT_TRUE(parses_to("0.250", 250)) << "trailing zeros after the point change nothing";
  EXPECT_TRUE(parses_to("0.001", 1)) << "0.001 is exactly 1m, the smallest step";
  EXPECT_TRUE(parses_to("1.005", 1005)) << "in double, 1.005 * 1000 is 1004.9999999999999: keep to integers";
  EXPECT_TRUE(parses_to("2.5k", 2500000)) << "a fraction with a decimal suffix: 2.5 * 10^3";
  EXPECT_TRUE(parses_to("1.5Gi", 3 * kGi / 2 * 1000)) << "a fraction with a binary suffix: 1.5 * 2^30 = 1536Mi";
  EXPECT_TRUE(parses_to("0.5Ki", 512 * 1000)) << "0.5Ki is 512 bytes";
}

TEST(Quantity, ParsesExponents) {
  EXPECT_TRUE(parses_to("1e3", 1000000)) << "1e3 is 1 * 10^3";
  EXPECT_TRUE(parses_to("1E3", 1000000)) << "E followed by digits is an exponent too (a lone E is exa)";
  EXPECT_TRUE(parses_to("1e+2", 100000)) << "an exponent may have a + sign";
  EXPECT_TRUE(parses_to("5e-1", 500)) << "a negative exponent divides: 5e-1 is 0.5";
  EXPECT_TRUE(parses_to("1e-3", 1)) << "1e-3 is 1m";
  EXPECT_TRUE(parses_to("2.5e2", 250000)) << "a fraction with an exponent: 2.5 * 10^2";
}

TEST(Quantity, RejectsEmptyTextAndSpaces) {
  EXPECT_THAT(rejection("").message(), HasSubstr("empty")) << "empty text is not a quantity; say so";
  Error inner = rejection("1 Gi");
  EXPECT_THAT(inner.message(), HasSubstr("space")) << "a space inside a quantity must be reported as such";
  EXPECT_THAT(inner.message(), HasSubstr("column 2")) << "say where the space is: `1 Gi` has it in column 2";
  EXPECT_THAT(rejection(" 1").message(), HasSubstr("column 1")) << "a leading space is in column 1";
  EXPECT_THAT(rejection("1Gi\t").message(), HasSubstr("column 4")) << "a tab counts as a space too";
}

TEST(Quantity, RejectsNegativeAndMisplacedSigns) {
  Error negative = rejection("-1");
  EXPECT_THAT(negative.message(), HasSubstr("negative")) << "resource amounts are never negative: say so";
  EXPECT_FALSE(negative.hint.empty()) << "say what to write instead, in the hint";
  EXPECT_THAT(rejection("-500m").message(), HasSubstr("negative"));
  Error inside = rejection("5-3");
  EXPECT_THAT(inside.message(), HasSubstr("sign")) << "a sign after the first character is out of place";
  EXPECT_THAT(inside.message(), HasSubstr("column 2")) << "`5-3` has its sign in column 2";
  EXPECT_THAT(rejection("+-1").message(), HasSubstr("column 2")) << "only one leading sign: the - in `+-1` is misplaced";
  EXPECT_THAT(rejection("1e--3").message(), HasSubstr("column 4")) << "an exponent takes one sign at most";
}

TEST(Quantity, RejectsUnknownSuffixWithASuggestion) {
  Error mb = rejection("5Mb");
  EXPECT_THAT(mb.message(), HasSubstr("`5Mb`")) << "quote the text that was wrong";
  EXPECT_THAT(mb.message(), HasSubstr("unknown suffix `Mb`")) << "name the suffix that is not known";
  EXPECT_THAT(mb.message(), HasSubstr("column 2")) << "say where the suffix starts: column 2 of `5Mb`";
  std::string hint = mb.hint;
  EXPECT_THAT(hint, HasSubstr("Mi")) << "suggest the binary suffix the writer probably meant (Mi)";
  for (std::size_t at; (at = hint.find("Mi")) != std::string::npos;) hint.erase(at, 2);
  EXPECT_THAT(hint, HasSubstr("M")) << "suggest the decimal suffix too (M): `5Mb` could mean either";
  EXPECT_THAT(rejection("1KB").hint, HasSubstr("Ki")) << "`1KB` was probably meant as 1Ki (or 1k)";
  EXPECT_THAT(rejection("2gi").hint, HasSubstr("Gi")) << "suffixes are case sensitive: `2gi` should be 2Gi";
  EXPECT_FALSE(rejection("3x").hint.empty()) << "for a suffix like nothing known, list the valid ones in the hint";
}

TEST(Quantity, RejectsFractionsOfAMilliUnit) {
  Error tenth = rejection("0.1m");
  EXPECT_THAT(tenth.message(), HasSubstr("1m")) << "0.1m is finer than 1m, the smallest step: say so";
  EXPECT_THAT(tenth.hint, HasSubstr("1m")) << "suggest the value rounded up to a whole milli-unit: 1m";
  EXPECT_THAT(rejection("1.5m").hint, HasSubstr("2m")) << "1.5m rounds up to 2m: suggest it";
  EXPECT_THAT(rejection("0.0001").message(), HasSubstr("1m")) << "0.0001 is 0.1m, written without the suffix";
  EXPECT_THAT(rejection("1e-4").message(), HasSubstr("1m")) << "1e-4 is 0.1m, written as an exponent";
  EXPECT_THAT(rejection("2.0005").message(), HasSubstr("1m")) << "2.0005 is 2000.5m: not a whole number of m";
}

TEST(Quantity, RejectsOverflow) {
  EXPECT_THAT(rejection("10000000000000000").message(), HasSubstr("too large"))
      << "10^16 units are 10^19 milli-units, more than an int64 holds (about 9.2 * 10^18): check before you multiply";
  EXPECT_THAT(rejection("1E").message(), HasSubstr("too large")) << "a lone E is exa, 10^18 units: too large";
  EXPECT_THAT(rejection("10Pi").message(), HasSubstr("too large")) << "10 * 2^50 units are too many milli-units";
  EXPECT_THAT(rejection("9223372036854775808m").message(), HasSubstr("too large")) << "that is 2^63 milli-units, one too many";
  EXPECT_THAT(rejection("1e30").message(), HasSubstr("too large"));
}

TEST(Quantity, FormatsCpu) {
  EXPECT_EQ(format_quantity({500}, QuantityKind::cpu), "500m") << "a fraction of a CPU prints in milli-units";
  EXPECT_EQ(format_quantity({2000}, QuantityKind::cpu), "2") << "whole CPUs print without a suffix";
  EXPECT_EQ(format_quantity({1500}, QuantityKind::cpu), "1500m") << "1.5 CPUs print as 1500m (no decimal point)";
  EXPECT_EQ(format_quantity({1}, QuantityKind::cpu), "1m");
  EXPECT_EQ(format_quantity({0}, QuantityKind::cpu), "0");
  EXPECT_EQ(format_quantity({64000}, QuantityKind::cpu), "64") << "cpu never gets a binary suffix";
}

TEST(Quantity, FormatsMemory) {
  EXPECT_EQ(format_quantity({128 * kMi * 1000}, QuantityKind::memory), "128Mi");
  EXPECT_EQ(format_quantity({3 * kGi / 2 * 1000}, QuantityKind::memory), "1536Mi")
      << "1.5Gi is not a whole number of Gi: use the largest suffix that divides exactly";
  EXPECT_EQ(format_quantity({kKi * 1000}, QuantityKind::memory), "1Ki");
  EXPECT_EQ(format_quantity({4 * kGi * 1000}, QuantityKind::memory), "4Gi");
  EXPECT_EQ(format_quantity({1000 * 1000}, QuantityKind::memory), "1000") << "1000 bytes are no whole number of Ki";
  EXPECT_EQ(format_quantity({500}, QuantityKind::memory), "500m") << "half a byte prints in milli-units";
  EXPECT_EQ(format_quantity({0}, QuantityKind::memory), "0");
  for (const char* text : {"128Mi", "1.5Gi", "1000", "0.5", "3Ti", "1e3"}) {
    auto parsed = parse_quantity(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    std::string printed = format_quantity(parsed.value(), QuantityKind::memory);
    EXPECT_TRUE(parses_to(printed, parsed.value().milli))
        << "format_quantity must print what parse_quantity reads back as the same value: `" << text << "` printed as `"
        << printed << "`";
  }
}

}  // namespace
}  // namespace deploylab::warmup
