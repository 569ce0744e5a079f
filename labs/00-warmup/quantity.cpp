// labs/00-warmup/quantity.cpp: parsing and printing Kubernetes quantities (contract in quantity.h).
//
// parse_quantity reads "+1.5Gi" in three steps, each of which can fail with its own message:
//   1. check the characters: not empty, no spaces, no sign out of place;
//   2. split the text: [+] integer digits [. fraction digits] suffix;
//   3. look the suffix up and scale the digits to milli-units with integer arithmetic only:
//        value in m = digits * 10^(suffix exponent + 3 - fraction length) * 2^(10 * binary power)
//      "1.5Gi" = 15 * 10^(0 + 3 - 1) * 2^30 = 1610612736000m.
#include "labs/00-warmup/quantity.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>

namespace deploylab::warmup {
namespace {

// For errors that concern the whole text rather than one place in it.
constexpr std::size_t kWholeText = 0;

// Every parse error, worded alike: "quantity `5Mb`: unknown suffix `Mb` at column 2 (hint: ...)".
// `column` is 1-based; kWholeText leaves the column out.
Error invalid_quantity(std::string_view text, std::size_t column, std::string what, std::string hint = {}) {
  if (column != kWholeText) what += " at column " + std::to_string(column);
  std::string subject = text.empty() ? "quantity" : "quantity `" + std::string(text) + "`";
  return Error::invalid(std::move(what), "", std::move(hint)).with_context(subject);
}

// The suffixes of the notation and what each one multiplies by: 10^exp10 * 2^(10 * binary_power).
struct Suffix {
  std::string_view text;
  int exp10;
  int binary_power;
};
constexpr Suffix kSuffixes[] = {
    {"", 0, 0},   {"m", -3, 0}, {"k", 3, 0},  {"M", 6, 0},  {"G", 9, 0},  {"T", 12, 0}, {"P", 15, 0},
    {"E", 18, 0}, {"Ki", 0, 1}, {"Mi", 0, 2}, {"Gi", 0, 3}, {"Ti", 0, 4}, {"Pi", 0, 5}, {"Ei", 0, 6},
};

// BEGIN SOLUTION lab 0: helpers for parse_quantity
// Wide enough for any 19-digit number times 2^60, so scaling cannot overflow before the checks.
// (unsigned __int128 is a GCC and Clang extension.)
using Wide = unsigned __int128;
constexpr Wide kMaxMilli = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxDigits = 19;  // significant digits; any more is beyond int64 milli-units

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The parts of "+1.5Gi": the digits before the point, after it, and the suffix.
struct Parts {
  std::string_view integer;       // "1"
  std::string_view fraction;      // "5"
  std::string_view suffix;        // "Gi"
  std::size_t suffix_column = 0;  // 1-based column where the suffix starts
};

// What a suffix multiplies the number by: 10^exp10 * 2^(10 * binary_power).
struct Scale {
  int exp10 = 0;
  int binary_power = 0;
};

// A sign is allowed first, and right after the e of an exponent ("1e-3").
bool sign_allowed_at(std::string_view text, std::size_t i) {
  return i == 0 || (i >= 2 && (text[i - 1] == 'e' || text[i - 1] == 'E'));
}

// Step 1: what is wrong wherever it is: emptiness, spaces, signs out of place.
Result<void> check_characters(std::string_view text) {
  if (text.empty()) {
    return invalid_quantity(text, kWholeText, "the text is empty", "write an amount such as `500m` (cpu) or `128Mi` (memory)");
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      return invalid_quantity(text, i + 1, "spaces are not allowed", "write the number and its suffix together, as in `128Mi`");
    }
    if (c == '-' && i == 0) {
      return invalid_quantity(text, 1, "quantities must not be negative",
                              "a resource request or limit is an amount: drop the `-`");
    }
    if ((c == '+' || c == '-') && !sign_allowed_at(text, i)) {
      return invalid_quantity(text, i + 1, "misplaced sign `" + std::string(1, c) + "`",
                              "only a leading `+` and the sign of an exponent (`1e-3`) are allowed");
    }
  }
  return {};
}

// Step 2: [+] digits [. digits] suffix. At least one digit, before or after the point.
Result<Parts> split(std::string_view text) {
  std::size_t at = text[0] == '+' ? 1 : 0;
  std::size_t number_start = at;
  while (at < text.size() && is_digit(text[at])) ++at;
  Parts parts;
  parts.integer = text.substr(number_start, at - number_start);
  if (at < text.size() && text[at] == '.') {
    std::size_t fraction_start = ++at;
    while (at < text.size() && is_digit(text[at])) ++at;
    parts.fraction = text.substr(fraction_start, at - fraction_start);
  }
  if (parts.integer.empty() && parts.fraction.empty()) {
    return invalid_quantity(text, number_start + 1, "expected a number", "a quantity starts with digits, as in `2`, `0.5` or `500m`");
  }
  parts.suffix = text.substr(at);
  parts.suffix_column = at + 1;
  return parts;
}

// "e3", "E-2": the exponent of a decimal-exponent suffix, or nullopt when `suffix` is not one.
// Exponents beyond +-10000 are clamped: any non-zero number is out of range there either way.
std::optional<int> decimal_exponent(std::string_view suffix) {
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return std::nullopt;
  std::string_view digits = suffix.substr(1);
  bool negative = digits[0] == '-';
  if (digits[0] == '+' || digits[0] == '-') digits.remove_prefix(1);
  if (digits.empty()) return std::nullopt;
  int value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = std::min(value * 10 + (c - '0'), 10000);
  }
  return negative ? -value : value;
}

// What an unknown suffix was probably meant to be: "Mb" -> "did you mean `5Mi` (2^20) or `5M` (10^6)?".
std::string suggest_suffix(std::string_view number, std::string_view suffix) {
  struct Lookalike { char letter; const char* binary; const char* binary_value; const char* decimal; const char* decimal_value; };
  static constexpr Lookalike kLookalikes[] = {
      {'k', "Ki", "2^10", "k", "10^3"},  {'m', "Mi", "2^20", "M", "10^6"},  {'g', "Gi", "2^30", "G", "10^9"},
      {'t', "Ti", "2^40", "T", "10^12"}, {'p', "Pi", "2^50", "P", "10^15"}, {'e', "Ei", "2^60", "E", "10^18"},
  };
  std::string n(number);
  if (suffix[0] == '.') return "a number has at most one decimal point";
  if (suffix[0] == 'b' || suffix[0] == 'B') return "bytes take no suffix: write `" + n + "`";
  char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(suffix[0])));
  for (const Lookalike& l : kLookalikes) {
    if (l.letter != letter) continue;
    std::string hint = "did you mean `" + n + l.binary + "` (" + l.binary_value + ") or `" + n + l.decimal + "` (" +
                       l.decimal_value + ")?";
    if (suffix[0] == 'm') hint += " (a lone `m` means milli, 10^-3)";
    if (letter == 'e') hint += " or an exponent, as in `" + n + "e3`?";
    return hint;
  }
  return "use m, k, M, G, T, P, E (powers of 1000), Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024) or an exponent such as e3";
}

// Step 3a: the suffix, from the table or as an exponent.
Result<Scale> parse_suffix(std::string_view text, const Parts& parts) {
  for (const Suffix& s : kSuffixes) {
    if (parts.suffix == s.text) return Scale{s.exp10, s.binary_power};
  }
  if (std::optional<int> exponent = decimal_exponent(parts.suffix)) return Scale{*exponent, 0};
  std::string_view number = text.substr(0, parts.suffix_column - 1);
  return invalid_quantity(text, parts.suffix_column, "unknown suffix `" + std::string(parts.suffix) + "`",
                          suggest_suffix(number, parts.suffix));
}

Error too_large(std::string_view text) {
  return invalid_quantity(text, kWholeText, "too large: more than 2^63-1 milli-units (about 9.2 * 10^15, or 8Pi of memory)",
                          "the largest quantity is 9223372036854775807m");
}

// Step 3c, for a negative exponent: value / 10^places, which must leave no remainder, or the
// quantity is finer than 1m. The hint names the value rounded up, as Kubernetes would round it.
Result<std::int64_t> divide_exactly(std::string_view text, Wide value, int places) {
  Wide divisor = 1;
  int i = 0;
  for (; i < places && divisor <= value; ++i) divisor *= 10;  // stops once the quotient is 0
  Wide quotient = i < places ? 0 : value / divisor;
  if (quotient > kMaxMilli) return too_large(text);
  if (i == places && value % divisor == 0) return static_cast<std::int64_t>(quotient);
  std::string rounded = std::to_string(static_cast<std::int64_t>(quotient) + 1) + "m";
  std::string what = quotient == 0 ? std::string(text) + " is less than 1m, the smallest step"
                                   : std::string(text) + " is not a whole number of milli-units (1m is the smallest step)";
  return invalid_quantity(text, kWholeText, what, "write `" + rounded + "` (rounded up)");
}

// Step 3b: digits * 10^exp10 * 2^(10 * binary_power) in milli-units, exactly or not at all.
Result<std::int64_t> to_milli(std::string_view text, const Parts& parts, Scale scale) {
  std::string digits = std::string(parts.integer) + std::string(parts.fraction);
  int exp10 = scale.exp10 + 3 - static_cast<int>(parts.fraction.size());
  // Keep only the significant digits: "001500" is 15 with the exponent raised by 2.
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;  // zero, whatever the suffix
  digits.erase(0, first);
  for (; digits.back() == '0'; ++exp10) digits.pop_back();
  // digits >= 10^(size-1), so size + exp10 > 19 means at least 10^19 milli-units.
  if (static_cast<int>(digits.size()) + exp10 > 19) return too_large(text);
  if (digits.size() > kMaxDigits) {
    return invalid_quantity(text, kWholeText, "too many significant digits (more than 19)", "round the number");
  }
  std::uint64_t mantissa = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), mantissa);
  Wide value = static_cast<Wide>(mantissa) << (10 * scale.binary_power);
  if (exp10 < 0) return divide_exactly(text, value, -exp10);
  for (int i = 0; i < exp10; ++i) {
    if (value > kMaxMilli) break;
    value *= 10;
  }
  if (value > kMaxMilli) return too_large(text);
  return static_cast<std::int64_t>(value);
}
// STUB:
// // Helpers for parse_quantity go here. A plan that works (see the handout):
// //   1. reject empty text, spaces and misplaced signs, naming the column;
// //   2. split "+1.5Gi" into the integer digits, the fraction digits and the suffix;
// //   3. look the suffix up in kSuffixes (or read an exponent such as e3 or e-2);
// //   4. scale the digits to milli-units with integer arithmetic only, checking for overflow
// //      and for a remainder finer than 1m.
// // Report every error with invalid_quantity() above.
// END SOLUTION

}  // namespace

Result<Quantity> parse_quantity(std::string_view text) {
  // BEGIN SOLUTION lab 0: check the characters, split number and suffix, scale to milli-units
  DL_TRY(check_characters(text));
  Parts parts = DL_TRY(split(text));
  Scale scale = DL_TRY(parse_suffix(text, parts));
  std::int64_t milli = DL_TRY(to_milli(text, parts, scale));
  return Quantity{milli};
  // END SOLUTION
}

std::string format_quantity(Quantity quantity, QuantityKind kind) {
  // BEGIN SOLUTION lab 0: print whole units (with the largest exact binary suffix for memory) or milli-units
  std::int64_t milli = quantity.milli;
  if (milli % 1000 != 0) return std::to_string(milli) + "m";
  std::int64_t units = milli / 1000;
  if (kind == QuantityKind::cpu || units == 0) return std::to_string(units);
  // kSuffixes ends with Ki..Ei: walk it backwards to try the largest binary suffix first.
  for (auto s = std::rbegin(kSuffixes); s != std::rend(kSuffixes) && s->binary_power > 0; ++s) {
    std::int64_t factor = std::int64_t{1} << (10 * s->binary_power);
    if (units % factor == 0) return std::to_string(units / factor) + std::string(s->text);
  }
  return std::to_string(units);
  // END SOLUTION
}

}  // namespace deploylab::warmup
