// common/cpu_info_test.cpp: /proc/cpuinfo parsing (pure) and sanity checks of the real TSC.
#include "common/cpu_info.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace deploylab {
namespace {

// Two CPUs' worth of /proc/cpuinfo, trimmed; real files have a block like this per CPU.
constexpr const char* kCpuinfo =
    "processor\t: 0\n"
    "vendor_id\t: AuthenticAMD\n"
    "model name\t: AMD EPYC 7763 64-Core Processor\n"
    "flags\t\t: fpu vme tsc msr constant_tsc rep_good nopl nonstop_tsc cpuid\n"
    "\n"
    "processor\t: 1\n"
    "model name\t: Some Other CPU\n"
    "flags\t\t: fpu\n";

TEST(CpuInfo, ParsesTheFirstModelName) {
  EXPECT_EQ(parse_cpu_model(kCpuinfo), "AMD EPYC 7763 64-Core Processor");
}

TEST(CpuInfo, MissingOrEmptyModelNameIsUnknown) {
  EXPECT_EQ(parse_cpu_model(""), "unknown CPU");
  EXPECT_EQ(parse_cpu_model("processor\t: 0\nBogoMIPS\t: 50.00\n"), "unknown CPU");
  EXPECT_EQ(parse_cpu_model("model name\t:   \n"), "unknown CPU");
  EXPECT_EQ(parse_cpu_model("model\t\t: 1\n"), "unknown CPU") << "\"model\" is not \"model name\"";
}

TEST(CpuInfo, InvariantTscNeedsBothFlags) {
  EXPECT_TRUE(tsc_is_invariant(kCpuinfo));
  EXPECT_FALSE(tsc_is_invariant("flags\t\t: fpu constant_tsc\n")) << "nonstop_tsc is missing";
  EXPECT_FALSE(tsc_is_invariant("flags\t\t: fpu nonstop_tsc\n")) << "constant_tsc is missing";
  EXPECT_FALSE(tsc_is_invariant("flags\t\t: xconstant_tsc nonstop_tscx\n")) << "whole words only";
  EXPECT_FALSE(tsc_is_invariant(""));
}

TEST(CpuInfo, ThisMachineHasAModelName) {
  EXPECT_FALSE(cpu_model_name().empty());
}

TEST(Tsc, CounterMovesForward) {
  auto first = read_tsc();
  auto second = read_tsc();
  EXPECT_GT(second, first) << "two reads of the TSC in a row should increase";
}

TEST(Tsc, MeasuredRateIsPlausible) {
  double hz = measure_tsc_hz(std::chrono::milliseconds(20));
  // Any x86 CPU of this century: between 100 MHz and 10 GHz.
  EXPECT_GT(hz, 1e8);
  EXPECT_LT(hz, 1e10);
}

TEST(Tsc, WindowMustBePositive) {
  EXPECT_THROW(measure_tsc_hz(std::chrono::milliseconds(0)), std::invalid_argument);
}

}  // namespace
}  // namespace deploylab
