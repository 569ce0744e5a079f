// orchestrator/store/gateway/routes.h: what each /v3/... path of the JSON gateway does, with
// the HTTP taken out (lab 10).
//
// A request is a path and a body; the answer is a status and a JSON body. Routes decodes the
// body (protocol/json_codec.h), checks the size etcd would check (protocol/request_size.h),
// calls the Store and encodes what it says, success or StoreError, exactly as etcd's gateway
// would. gateway.cpp only moves bytes between HTTP and this class, so every rule of the
// protocol is tested here without a socket (routes_test.cpp).
//
// The paths are etcd 3.4's: /v3/kv/{range,put,deleterange,txn,compaction},
// /v3/lease/{grant,revoke,keepalive,timetolive}, the older aliases /v3/kv/lease/{revoke,
// timetolive} that etcd 3.4 still serves, and /v3/watch (a stream: see watch_lines.h).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "orchestrator/store/store.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store::gateway {

inline constexpr std::string_view kWatchPath = "/v3/watch";

// One HTTP answer.
struct Reply {
  int status = 200;
  std::string body;  // JSON text
};

// The answer etcd gives for `error`: its HTTP status and {"error", "code", "message"}.
Reply error_reply(const StoreError& error);

// Whether `path` is one the gateway serves (the unary ones and /v3/watch).
bool is_known_path(std::string_view path);

class Routes {
 public:
  // `max_request_bytes`: etcd's --max-request-bytes, the limit on a decoded write request.
  Routes(Store& store, std::size_t max_request_bytes);

  // Answers a unary request: every known path but /v3/watch. nullopt for any other path.
  std::optional<Reply> call(std::string_view path, std::string_view body) const;

  // Decodes a /v3/watch body and opens the watch it asks for; a Reply when the body is bad.
  std::variant<std::unique_ptr<Watcher>, Reply> open_watch(std::string_view body) const;

 private:
  Store& store_;
  std::size_t max_request_bytes_;
};

}  // namespace deploylab::store::gateway
