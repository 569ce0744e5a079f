// bench/tradeoff/format.h: how the tradeoff table writes numbers: a value with its unit at three
// significant digits ("12.3 ms", "1.25 s", "4.10 MiB"), a ratio ("3.2x"), and where a figure was
// measured ("this machine" or "inside vmhost"). Pure, shared by the Markdown, the CSV and the plots.
#pragma once

#include <string>

namespace deploylab::bench {

// Three significant digits; "ms" above 1000 becomes seconds, "us" above 1000 milliseconds and
// "ns" above 1000 microseconds, so a cell stays short. NaN prints as "-".
std::string format_value(double value, const std::string& unit);

// "1.05x" (two decimals below 10, whole numbers above); NaN prints as "-".
std::string format_ratio(double ratio);

// "this machine" for "native", "inside vmhost" for "vmhost"; anything else as it is.
std::string describe_place(const std::string& place);

// A contender's name as the table shows it: "QEMU microvm" for "qemu", "host" stays "host".
std::string contender_label(const std::string& contender);

// CSV field on one line: newlines become spaces (tradeoff.csv has one line per figure, even when
// an error message had several), then quoted when it holds a comma or a quote (quotes doubled).
std::string csv_field(const std::string& text);

// Markdown table cell: '|' escaped and newlines turned into spaces.
std::string md_cell(const std::string& text);

}  // namespace deploylab::bench
