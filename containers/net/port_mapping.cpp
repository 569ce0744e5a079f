// containers/net/port_mapping.cpp: the -p syntax (see port_mapping.h).
#include "containers/net/port_mapping.h"

#include <charconv>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

const char* kHint = "write -p [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp], e.g. -p 8080:80 or -p 127.0.0.1:5353:53/udp";

Error bad_mapping(std::string_view text, const std::string& why) {
  return Error::invalid("bad published port \"" + std::string(text) + "\": " + why, "", kHint);
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

Result<Protocol> parse_protocol(std::string_view text, std::string_view whole) {
  if (text == "tcp") return Protocol::tcp;
  if (text == "udp") return Protocol::udp;
  return bad_mapping(whole, "unknown protocol \"" + std::string(text) + "\"");
}

}  // namespace

std::string_view to_string(Protocol protocol) { return protocol == Protocol::udp ? "udp" : "tcp"; }

bool PortMapping::conflicts_with(const PortMapping& other) const {
  if (host_port != other.host_port || protocol != other.protocol) return false;
  return !host_ip || !other.host_ip || *host_ip == *other.host_ip;
}

Result<PortMapping> parse_port_mapping(std::string_view text) {
  PortMapping mapping;
  std::string_view rest = text;
  if (std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    mapping.protocol = DL_TRY(parse_protocol(rest.substr(slash + 1), text));
    rest = rest.substr(0, slash);
  }
  std::size_t last_colon = rest.rfind(':');
  if (last_colon == std::string_view::npos) return bad_mapping(text, "no HOSTPORT:CONTAINERPORT");
  auto container_port = parse_port(rest.substr(last_colon + 1));
  if (!container_port) return bad_mapping(text, "the container port is not a number 1-65535");
  rest = rest.substr(0, last_colon);
  if (std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    auto ip = parse_ipv4(rest.substr(0, colon));
    if (!ip.ok()) return bad_mapping(text, "\"" + std::string(rest.substr(0, colon)) + "\" is not an IPv4 address");
    mapping.host_ip = ip.value();
    rest = rest.substr(colon + 1);
  }
  auto host_port = parse_port(rest);
  if (!host_port) return bad_mapping(text, "the host port is not a number 1-65535");
  mapping.host_port = *host_port;
  mapping.container_port = *container_port;
  return mapping;
}

std::string to_string(const PortMapping& mapping) {
  std::string text = mapping.host_ip ? to_string(*mapping.host_ip) + ":" : "";
  return text + std::to_string(mapping.host_port) + ":" + std::to_string(mapping.container_port) + "/" +
         std::string(to_string(mapping.protocol));
}

Result<std::vector<PortMapping>> parse_port_mappings(const std::vector<std::string>& texts) {
  std::vector<PortMapping> mappings;
  for (const std::string& text : texts) {
    PortMapping mapping = DL_TRY(parse_port_mapping(text));
    for (const PortMapping& earlier : mappings) {
      if (earlier.conflicts_with(mapping)) return bad_mapping(text, "it publishes the same host port as " + to_string(earlier));
    }
    mappings.push_back(mapping);
  }
  return mappings;
}

}  // namespace deploylab::ctr
