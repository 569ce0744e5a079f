// labs/00-warmup/quantity.h: Kubernetes resource quantities ("500m", "128Mi") as exact integers
// (lab 0).
//
// A pod asks for resources in the quantity notation of Kubernetes:
//
//   resources:
//     requests: {cpu: 500m, memory: 128Mi}     # half a CPU, 128 * 2^20 bytes
//
// and the scheduler of the later labs adds such numbers up to decide whether a pod fits on a
// node. The notation is <number><suffix>: a decimal number (digits, optionally a fraction) and
// one of
//   - a decimal suffix: m (10^-3), none (1), k (10^3), M (10^6), G (10^9), T (10^12), P (10^15),
//     E (10^18);
//   - a binary suffix: Ki (2^10), Mi (2^20), Gi (2^30), Ti (2^40), Pi (2^50), Ei (2^60);
//   - a decimal exponent: e or E and a whole number, maybe signed ("1e3", "5e-1").
// A Quantity keeps the value as a whole number of milli-units in an int64, never as a floating
// point number: 0.1 has no exact binary floating point value, and a scheduler that adds up
// requests must get exact sums. So "500m" is 500, "2" is 2000, "1.5" is 1500, "128Mi" is
// 128 * 2^20 * 1000. That bounds what fits: at most 2^63-1 milli-units (about 8Pi of memory),
// and nothing finer than 1m.
//
// Unlike Kubernetes, which rounds "0.1m" up to "1m" and caps huge values silently, parse_quantity
// rejects what it cannot hold exactly, and says so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::warmup {

struct Quantity {
  std::int64_t milli = 0;  // the value in thousandths of a unit: "500m" -> 500, "1" -> 1000

  friend auto operator<=>(const Quantity&, const Quantity&) = default;
};

// What a quantity measures, which decides how it is printed.
enum class QuantityKind {
  cpu,     // CPUs: "500m", "2"
  memory,  // bytes: "128Mi", "1536Mi", "1000"
};

// Parses the quantity notation above. The text must be exactly one quantity: no spaces, no sign
// but a leading '+' (resources are never negative; an exponent may carry its own sign).
// Errors are Error::invalid (code 0) whose message quotes the text and says what is wrong, where
// (a 1-based column, for a problem at one place in the text), and, in the hint, what to write:
//   empty text                    "... the text is empty"
//   a space anywhere              "... spaces are not allowed at column 2"
//   a leading '-'                 "... quantities must not be negative at column 1"
//   a sign anywhere else          "... misplaced sign `-` at column 2"
//   no digits where they belong   "... expected a number at column 1"
//   an unknown suffix             "quantity `5Mb`: unknown suffix `Mb` at column 2"
//                                 (hint: "did you mean `5Mi` (2^20) or `5M` (10^6)?")
//   finer than a milli-unit       "quantity `0.1m`: 0.1m is less than 1m, the smallest step"
//                                 (hint names the value rounded up: "write `1m`")
//   more than int64 milli-units   "... too large: ..."
//   over 19 significant digits    "... too many significant digits ..." (no quantity needs them)
Result<Quantity> parse_quantity(std::string_view text);

// Prints a quantity canonically, so that parse_quantity(format_quantity(q, kind)) == q:
//   cpu:    whole units without a suffix ("2", "0"), otherwise milli-units ("500m", "1500m");
//   memory: whole bytes with the largest binary suffix that divides them exactly ("128Mi",
//           "1536Mi", "1Ki"), else plain bytes ("1000"); a fraction of a byte in milli-units
//           ("500m").
std::string format_quantity(Quantity quantity, QuantityKind kind);

}  // namespace deploylab::warmup
