// orchestrator/store/gateway/listen_address.h: the HOST:PORT of `ministore serve --listen`.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::store::gateway {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "localhost", "::1" (written [::1]:PORT)
  int port = 0;      // 0: any free port
};

// Parses "HOST:PORT", "[IPV6]:PORT" or etcd's URL form "http://HOST:PORT"; the error says what
// was wrong and what a good one looks like.
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace deploylab::store::gateway
