// orchestrator/store/client/endpoint.h: where the server is, and what talking to it over HTTP
// needs from the process (lab 10).
//
// The client is configured with one URL, as etcdctl's --endpoints are; the HTTP library wants
// the host and the port separately. Only plain http is accepted: the store listens on loopback
// and TLS is out of the lab's scope.
#pragma once

#include <string>

#include "orchestrator/store/store_error.h"

namespace deploylab::store {

struct Endpoint {
  std::string host;
  int port = 0;
};

// "http://127.0.0.1:2379" -> {"127.0.0.1", 2379}; anything else is invalid_argument saying why.
StoreResult<Endpoint> parse_endpoint(const std::string& url);

// Writing to a connection whose server just died raises SIGPIPE, which kills the whole process
// unless it is ignored, and Debian's cpp-httplib sends without MSG_NOSIGNAL. So everything here
// that opens a connection calls this first (it acts once per process): the write then fails
// with EPIPE and the request with `unavailable`, which a client can retry.
void ignore_sigpipe();

// Marks a client socket close-on-exec. The HTTP library opens its sockets without it, and a
// process that spawns servers (the tests, the benchmark) would hand a copy of every open
// connection to each server it starts, keeping connections alive after the client closed them.
void set_close_on_exec(int socket);

}  // namespace deploylab::store
