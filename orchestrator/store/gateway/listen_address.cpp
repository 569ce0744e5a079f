// orchestrator/store/gateway/listen_address.cpp: parsing --listen (listen_address.h).
#include "orchestrator/store/gateway/listen_address.h"

#include <charconv>

namespace deploylab::store::gateway {
namespace {

constexpr const char* kExample = "write it as HOST:PORT, e.g. 127.0.0.1:2379 (port 0: any free port)";

Error bad(std::string_view text, std::string what) {
  return Error::invalid(std::move(what), std::string(text), kExample).with_context("parsing --listen");
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  std::string_view rest = text;
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  if (rest.starts_with("https://")) return bad(text, "ministore serves plain HTTP, not HTTPS");
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad(text, "no port");
  std::string_view host = rest.substr(0, colon);
  std::string_view port_text = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return bad(text, "no host");
  int port = -1;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return bad(text, "the port is not a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace deploylab::store::gateway
