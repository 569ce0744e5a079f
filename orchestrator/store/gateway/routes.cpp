// orchestrator/store/gateway/routes.cpp: the gateway's paths and what each one does (routes.h).
#include "orchestrator/store/gateway/routes.h"

#include <array>

#include "orchestrator/store/protocol/json_codec.h"
#include "orchestrator/store/protocol/request_size.h"

namespace deploylab::store::gateway {
namespace {

// Write requests travel through etcd's raft log and are limited by --max-request-bytes there;
// reads are not (request_size.h).
template <class Request>
std::optional<StoreError> check_size(const Request& request, std::size_t limit) {
  if constexpr (requires { request_size(request); }) {
    if (request_size(request) > limit) return StoreError::make(StoreErrc::request_too_large);
  }
  return std::nullopt;
}

// Where the Store and etcd's gateway say the same thing differently, the gateway says it etcd's
// way, so a client cannot tell the two apart:
// a keepalive of an unknown lease is a 200 without a TTL in etcd (it is a stream message), where
// the Store returns lease_not_found.
template <class Request>
std::optional<Reply> etcd_answer_for(const Request&, const StoreError&, const Store&) {
  return std::nullopt;
}

std::optional<Reply> etcd_answer_for(const LeaseKeepAliveRequest& request, const StoreError& error,
                                     const Store& store) {
  if (error.code != StoreErrc::lease_not_found) return std::nullopt;
  LeaseKeepAliveResponse gone{.revision = store.revision(), .id = request.id, .ttl = 0};
  return Reply{200, json::encode(gone).dump() + "\n"};
}

// Keepalive is a stream in etcd: each message is followed by a newline.
std::string body_text(const LeaseKeepAliveResponse& response) { return json::encode(response).dump() + "\n"; }
template <class Response>
std::string body_text(const Response& response) {
  return json::encode(response).dump();
}

// One unary path: decode, check, call the Store, encode. `Call` is the Store's method.
template <class Request, class Response, StoreResult<Response> (Store::*Call)(const Request&)>
Reply unary(Store& store, const nlohmann::json& body, std::size_t max_request_bytes) {
  auto request = json::decode<Request>(body);
  if (!request.ok()) return error_reply(request.error());
  if (auto too_large = check_size(request.value(), max_request_bytes)) return error_reply(*too_large);
  auto response = (store.*Call)(request.value());
  if (response.ok()) return Reply{200, body_text(response.value())};
  if (auto answer = etcd_answer_for(request.value(), response.error(), store)) return *answer;
  return error_reply(response.error());
}

struct Route {
  std::string_view path;
  Reply (*handle)(Store& store, const nlohmann::json& body, std::size_t max_request_bytes);
};

// clang-format off
constexpr std::array kRoutes = {
  Route{"/v3/kv/range", unary<RangeRequest, RangeResponse, &Store::range>},
  Route{"/v3/kv/put", unary<PutRequest, PutResponse, &Store::put>},
  Route{"/v3/kv/deleterange", unary<DeleteRangeRequest, DeleteRangeResponse, &Store::delete_range>},
  Route{"/v3/kv/txn", unary<TxnRequest, TxnResponse, &Store::txn>},
  Route{"/v3/kv/compaction", unary<CompactionRequest, CompactionResponse, &Store::compact>},
  Route{"/v3/lease/grant", unary<LeaseGrantRequest, LeaseGrantResponse, &Store::lease_grant>},
  Route{"/v3/lease/revoke", unary<LeaseRevokeRequest, LeaseRevokeResponse, &Store::lease_revoke>},
  Route{"/v3/kv/lease/revoke", unary<LeaseRevokeRequest, LeaseRevokeResponse, &Store::lease_revoke>},
  Route{"/v3/lease/keepalive", unary<LeaseKeepAliveRequest, LeaseKeepAliveResponse, &Store::lease_keepalive>},
  Route{"/v3/lease/timetolive",
        unary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse, &Store::lease_time_to_live>},
  Route{"/v3/kv/lease/timetolive",
        unary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse, &Store::lease_time_to_live>},
};
// clang-format on

const Route* find_route(std::string_view path) {
  for (const auto& route : kRoutes) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

}  // namespace

Reply error_reply(const StoreError& error) { return Reply{error.http_status(), json::encode_error(error).dump()}; }

bool is_known_path(std::string_view path) { return path == kWatchPath || find_route(path) != nullptr; }

Routes::Routes(Store& store, std::size_t max_request_bytes) : store_(store), max_request_bytes_(max_request_bytes) {}

std::optional<Reply> Routes::call(std::string_view path, std::string_view body) const {
  const Route* route = find_route(path);
  if (route == nullptr) return std::nullopt;
  auto json = json::parse_body(body);
  if (!json.ok()) return error_reply(json.error());
  return route->handle(store_, json.value(), max_request_bytes_);
}

std::variant<std::unique_ptr<Watcher>, Reply> Routes::open_watch(std::string_view body) const {
  auto json = json::parse_body(body);
  if (!json.ok()) return error_reply(json.error());
  auto request = json::decode<WatchRequest>(json.value());
  if (!request.ok()) return error_reply(request.error());
  return store_.watch(request.value());
}

}  // namespace deploylab::store::gateway
