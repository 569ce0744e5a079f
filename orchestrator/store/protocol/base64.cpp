// orchestrator/store/protocol/base64.cpp: standard base64 (RFC 4648, "+/" and "=" padding), the
// way etcd's gateway writes keys and values (json_codec.h).
//
// Decoding accepts what Go's base64.StdEncoding accepts, because that is what etcd's gateway
// accepts: padding is required ("Zm8" is refused, "Zm8=" is "fo"), carriage returns and line
// feeds are skipped, anything else outside the alphabet (spaces, the URL-safe "-_") is refused.
#include <array>
#include <cstdint>

#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::json {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int kNotBase64 = -1;

// The 6-bit value of each byte, or kNotBase64.
constexpr std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  for (auto& entry : table) entry = kNotBase64;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}
constexpr std::array<int, 256> kDecodeTable = make_decode_table();

// `text` without the line breaks Go's decoder skips.
std::string without_line_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

// Decodes one group of four characters (the last may hold one or two '=') into `out`.
bool decode_quad(std::string_view quad, bool last, std::string& out) {
  int padding = 0;
  if (quad[3] == '=') padding = quad[2] == '=' ? 2 : 1;
  if (padding > 0 && !last) return false;
  std::uint32_t bits = 0;
  for (int i = 0; i < 4 - padding; ++i) {
    int value = kDecodeTable[static_cast<unsigned char>(quad[i])];
    if (value == kNotBase64) return false;
    bits |= static_cast<std::uint32_t>(value) << (18 - 6 * i);
  }
  out.push_back(static_cast<char>(bits >> 16));
  if (padding < 2) out.push_back(static_cast<char>((bits >> 8) & 0xff));
  if (padding < 1) out.push_back(static_cast<char>(bits & 0xff));
  return true;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t left = bytes.size() - i;
    std::uint32_t bits = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (left > 1) bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (left > 2) bits |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(bits >> 18) & 0x3f]);
    out.push_back(kAlphabet[(bits >> 12) & 0x3f]);
    out.push_back(left > 1 ? kAlphabet[(bits >> 6) & 0x3f] : '=');
    out.push_back(left > 2 ? kAlphabet[bits & 0x3f] : '=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean = without_line_breaks(text);
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    bool last = i + 4 == clean.size();
    if (!decode_quad(std::string_view(clean).substr(i, 4), last, out)) return std::nullopt;
  }
  return out;
}

}  // namespace deploylab::store::json
