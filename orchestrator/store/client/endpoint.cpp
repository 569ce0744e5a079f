// orchestrator/store/client/endpoint.cpp: parse_endpoint (see endpoint.h).
#include "orchestrator/store/client/endpoint.h"

#include <fcntl.h>
#include <signal.h>

#include <charconv>
#include <mutex>

namespace deploylab::store {

StoreResult<Endpoint> parse_endpoint(const std::string& url) {
  const std::string scheme = "http://";
  auto bad = [&](const std::string& why) {
    return StoreError::make(StoreErrc::invalid_argument,
                            "endpoint `" + url + "`: " + why + " (expected http://HOST:PORT)");
  };
  if (url.rfind(scheme, 0) != 0) return bad("not an http:// URL");
  std::string rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  std::size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad("no host:port");
  std::string port_text = rest.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 || port > 65535) {
    return bad("port `" + port_text + "` is not a number from 1 to 65535");
  }
  return Endpoint{rest.substr(0, colon), port};
}

void set_close_on_exec(int socket) { ::fcntl(socket, F_SETFD, FD_CLOEXEC); }

void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace deploylab::store
