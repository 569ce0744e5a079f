// containers/net/link_names.cpp: interface and network names (see link_names.h).
#include "containers/net/link_names.h"

#include <cstdint>
#include <cstdio>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

std::string hex8(std::uint32_t value) {
  char text[9];
  std::snprintf(text, sizeof text, "%08x", value);
  return text;
}

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

}  // namespace

std::string host_veth_name(std::string_view network, std::string_view container_id) {
  // BEGIN SOLUTION lab 8: derive the host veth's name from the network and the container id
  return "vm" + hex8(fnv1a(std::string(network) + "/" + std::string(container_id)));
  // END SOLUTION
}

std::string default_bridge_name(std::string_view network) {
  std::string name = "mctr-" + std::string(network);
  if (name.size() <= kMaxInterfaceName) return name;
  return "mctr-" + hex8(fnv1a(network));
}

Result<void> validate_interface_name(std::string_view name) {
  const std::string hint = "use 1 to 15 letters, digits, '-', '_' or '.'";
  if (name.empty() || name.size() > kMaxInterfaceName) {
    return Error::invalid("interface name \"" + std::string(name) + "\" is not 1 to 15 characters long", "", hint);
  }
  for (char c : name) {
    bool ok = is_name_char(c) || (c >= 'A' && c <= 'Z') || c == '.';
    if (!ok) return Error::invalid("interface name \"" + std::string(name) + "\" has a character the kernel refuses", "", hint);
  }
  if (name == "." || name == "..") return Error::invalid("interface name \"" + std::string(name) + "\" is reserved", "", hint);
  return {};
}

Result<void> validate_network_name(std::string_view name) {
  const std::string hint = "use 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or digit";
  bool ok = !name.empty() && name.size() <= 32 && name.front() != '-' && name.front() != '_';
  for (char c : name) ok = ok && is_name_char(c);
  if (!ok) return Error::invalid("\"" + std::string(name) + "\" is not a valid network name", "", hint);
  return {};
}

}  // namespace deploylab::ctr
