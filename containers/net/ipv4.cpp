// containers/net/ipv4.cpp: IPv4 address and subnet arithmetic (see ipv4.h).
#include "containers/net/ipv4.h"

#include <charconv>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

constexpr int kSmallestPrefix = 8;   // 16M addresses: more than any bridge should hold
constexpr int kLargestPrefix = 30;   // network, gateway, one container, broadcast

std::uint32_t mask_of(int prefix) { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

Error bad_address(std::string_view text) {
  return Error::invalid("\"" + std::string(text) + "\" is not an IPv4 address", "", "write four numbers 0-255, e.g. 10.88.0.7");
}

}  // namespace

Result<Ipv4Address> parse_ipv4(std::string_view text) {
  // BEGIN SOLUTION lab 8: parse a dotted-quad IPv4 address into a number
  std::uint32_t value = 0;
  std::string_view rest = text;
  for (int part = 0; part < 4; ++part) {
    std::size_t dot = rest.find('.');
    bool last = part == 3;
    if (last != (dot == std::string_view::npos)) return bad_address(text);
    auto number = parse_number(rest.substr(0, dot), 255);
    if (!number) return bad_address(text);
    value = (value << 8) | *number;
    if (!last) rest.remove_prefix(dot + 1);
  }
  return Ipv4Address{value};
  // END SOLUTION
}

std::string to_string(Ipv4Address address) {
  std::uint32_t v = address.value;
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xff) + "." + std::to_string((v >> 8) & 0xff) + "." +
         std::to_string(v & 0xff);
}

Ipv4Address Subnet::broadcast() const { return {network.value | ~mask_of(prefix)}; }

bool Subnet::contains(Ipv4Address address) const { return (address.value & mask_of(prefix)) == network.value; }

bool Subnet::overlaps(const Subnet& other) const { return contains(other.network) || other.contains(network); }

std::uint64_t Subnet::assignable_count() const {
  std::uint64_t all = std::uint64_t{1} << (32 - prefix);
  return all < 3 ? 0 : all - 3;
}

bool Subnet::is_assignable(Ipv4Address address) const {
  return contains(address) && address != network && address != gateway() && address != broadcast();
}

Ipv4Address Subnet::next_assignable(Ipv4Address address) const {
  // BEGIN SOLUTION lab 8: the next assignable address of the subnet, wrapping round
  std::uint32_t first = gateway().value + 1;
  std::uint32_t last = broadcast().value - 1;
  if (!contains(address) || address.value < first || address.value >= last) return {first};
  return {address.value + 1};
  // END SOLUTION
}

Result<Subnet> parse_subnet(std::string_view text) {
  std::size_t slash = text.find('/');
  const std::string hint = "write NETWORK/PREFIX with a prefix from /8 to /30, e.g. 10.88.0.0/24";
  if (slash == std::string_view::npos) return Error::invalid("\"" + std::string(text) + "\" is not a subnet (no /PREFIX)", "", hint);
  Ipv4Address network = DL_TRY(parse_ipv4(text.substr(0, slash)).context("subnet \"" + std::string(text) + "\""));
  auto prefix = parse_number(text.substr(slash + 1), 32);
  if (!prefix || *prefix < kSmallestPrefix || *prefix > kLargestPrefix) {
    return Error::invalid("subnet \"" + std::string(text) + "\" has a prefix outside /8../30", "", hint);
  }
  Subnet subnet{network, static_cast<int>(*prefix)};
  if ((network.value & ~mask_of(subnet.prefix)) != 0) {
    Subnet meant{{network.value & mask_of(subnet.prefix)}, subnet.prefix};
    return Error::invalid("subnet \"" + std::string(text) + "\" has host bits set", "", "did you mean " + to_string(meant) + "?");
  }
  return subnet;
}

std::string to_string(const Subnet& subnet) { return to_string(subnet.network) + "/" + std::to_string(subnet.prefix); }

}  // namespace deploylab::ctr
