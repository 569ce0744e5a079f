// labs/00-warmup/quantity_test_support.h: assertions for the quantity tests (lab 0), so that a
// failure reads "parse_quantity("1.5Gi") gave 1610612736 milli-units, expected 1610612736000".
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "labs/00-warmup/quantity.h"

namespace deploylab::warmup::test_support {

// Use as EXPECT_TRUE(parses_to("500m", 500)) << "why that is the right value".
inline ::testing::AssertionResult parses_to(std::string_view text, std::int64_t expected_milli) {
  auto quantity = parse_quantity(text);
  if (!quantity.ok()) {
    return ::testing::AssertionFailure() << "parse_quantity(\"" << text << "\") failed: " << quantity.error().message()
                                         << "\n  expected " << expected_milli << " milli-units";
  }
  if (quantity.value().milli != expected_milli) {
    return ::testing::AssertionFailure() << "parse_quantity(\"" << text << "\") gave " << quantity.value().milli
                                         << " milli-units, expected " << expected_milli;
  }
  return ::testing::AssertionSuccess();
}

// parse_quantity's error for `text`. If it parsed instead, the test fails here and the returned
// Error is empty.
inline Error rejection(std::string_view text) {
  auto quantity = parse_quantity(text);
  if (quantity.ok()) {
    ADD_FAILURE() << "parse_quantity(\"" << text << "\") must fail, but gave " << quantity.value().milli << " milli-units";
    return Error{};
  }
  return std::move(quantity).error();
}

}  // namespace deploylab::warmup::test_support
