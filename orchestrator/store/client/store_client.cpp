// orchestrator/store/client/store_client.cpp: StoreClient over cpp-httplib (see store_client.h).
//
// Every unary call is the same three steps: encode the request (protocol/json_codec.h), POST it
// on the kept-alive connection, read the answer (gateway_answer.h: the response, or the error
// the server sent, or `unavailable` when nobody answered). Watches open their own connection
// (http_watch_stream.h).
#include "orchestrator/store/client/store_client.h"

#include <httplib.h>

#include "orchestrator/store/client/endpoint.h"
#include "orchestrator/store/client/gateway_answer.h"
#include "orchestrator/store/client/http_watch_stream.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store {

struct StoreClient::Impl {
  explicit Impl(Options options_in) : options(std::move(options_in)), endpoint(parse_endpoint(options.endpoint)) {
    if (!endpoint.ok()) return;
    ignore_sigpipe();
    http = std::make_unique<httplib::Client>(endpoint.value().host, endpoint.value().port);
    http->set_keep_alive(true);
    http->set_tcp_nodelay(true);  // a request is two writes (headers, body): no Nagle delay
    http->set_socket_options(set_close_on_exec);
    http->set_connection_timeout(options.timeout);
    http->set_read_timeout(options.timeout);
    http->set_write_timeout(options.timeout);
  }

  // POSTs `body` to `path`: (status, body), or unavailable when no answer came.
  //
  // The body is collected through a receiver rather than taken from the response, because of
  // how etcd answers errors: its gateway (grpc-gateway 1.x) ends a chunked error body with HTTP
  // trailers, which cpp-httplib 0.11 cannot parse, so the request "fails" with a read error
  // after the whole body arrived. An answer whose status line came and whose body is complete
  // JSON is an answer, whatever went wrong after it.
  StoreResult<std::pair<int, std::string>> post(const std::string& path, const std::string& body) {
    if (!endpoint.ok()) return endpoint.error();
    httplib::Request request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    request.set_header("Content-Type", "application/json");
    int status = 0;
    std::string received;
    request.response_handler = [&status](const httplib::Response& response) {
      status = response.status;
      return true;
    };
    request.content_receiver = [&received](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      received.append(data, size);
      return true;
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    bool answered = http->send(request, response, error);
    if (!answered && !(status != 0 && nlohmann::json::accept(received))) {
      return unreachable(options.endpoint + path, httplib::to_string(error));
    }
    return std::pair<int, std::string>(status, std::move(received));
  }

  // One unary call: Request encoded, Response decoded (or the server's error).
  template <class Response, class Request>
  StoreResult<Response> call(const std::string& path, const Request& request) {
    auto answer = post(path, json::encode(request).dump());
    if (!answer.ok()) return answer.error();
    auto message = read_gateway_answer(answer.value().first, answer.value().second);
    if (!message.ok()) return message.error();
    // etcd serves lease keepalive as a stream: its one answer comes as {"result": {...}}.
    return json::decode<Response>(unwrap_result(message.value()));
  }

  Options options;
  StoreResult<Endpoint> endpoint;
  std::unique_ptr<httplib::Client> http;  // null when the endpoint is malformed
};

StoreClient::StoreClient(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
StoreClient::~StoreClient() = default;
StoreClient::StoreClient(StoreClient&&) noexcept = default;
StoreClient& StoreClient::operator=(StoreClient&&) noexcept = default;

const std::string& StoreClient::endpoint() const { return impl_->options.endpoint; }

StoreResult<RangeResponse> StoreClient::range(const RangeRequest& request) {
  return impl_->call<RangeResponse>("/v3/kv/range", request);
}

StoreResult<PutResponse> StoreClient::put(const PutRequest& request) {
  return impl_->call<PutResponse>("/v3/kv/put", request);
}

StoreResult<DeleteRangeResponse> StoreClient::delete_range(const DeleteRangeRequest& request) {
  return impl_->call<DeleteRangeResponse>("/v3/kv/deleterange", request);
}

StoreResult<TxnResponse> StoreClient::txn(const TxnRequest& request) {
  return impl_->call<TxnResponse>("/v3/kv/txn", request);
}

StoreResult<CompactionResponse> StoreClient::compact(const CompactionRequest& request) {
  return impl_->call<CompactionResponse>("/v3/kv/compaction", request);
}

StoreResult<LeaseGrantResponse> StoreClient::lease_grant(const LeaseGrantRequest& request) {
  return impl_->call<LeaseGrantResponse>("/v3/lease/grant", request);
}

StoreResult<LeaseRevokeResponse> StoreClient::lease_revoke(const LeaseRevokeRequest& request) {
  return impl_->call<LeaseRevokeResponse>("/v3/lease/revoke", request);
}

StoreResult<LeaseKeepAliveResponse> StoreClient::lease_keepalive(const LeaseKeepAliveRequest& request) {
  return impl_->call<LeaseKeepAliveResponse>("/v3/lease/keepalive", request);
}

StoreResult<LeaseTimeToLiveResponse> StoreClient::lease_time_to_live(const LeaseTimeToLiveRequest& request) {
  return impl_->call<LeaseTimeToLiveResponse>("/v3/lease/timetolive", request);
}

StoreResult<std::unique_ptr<WatchStream>> StoreClient::watch(const WatchRequest& request) {
  if (!impl_->endpoint.ok()) return impl_->endpoint.error();
  return open_http_watch(impl_->endpoint.value(), impl_->options.endpoint, request, impl_->options.timeout);
}

namespace {

// A transaction of one compare on `key` and one put of it, the shape of both helpers below:
// put `value` if `key`'s `target` equals `number`.
TxnRequest put_if(Compare::Target target, std::int64_t number, const std::string& key, const std::string& value,
                  LeaseId lease) {
  Compare compare;
  compare.target = target;
  compare.result = Compare::Result::equal;
  compare.key = key;
  compare.number = number;
  PutRequest put;
  put.key = key;
  put.value = value;
  put.lease = lease;
  TxnRequest txn;
  txn.compare.push_back(std::move(compare));
  txn.success.push_back(std::move(put));
  return txn;
}

// The revision the put made, or nullopt when the compare failed.
std::optional<Revision> revision_if_succeeded(const TxnResponse& response) {
  if (!response.succeeded) return std::nullopt;
  return response.revision;
}

}  // namespace

StoreResult<std::optional<Revision>> StoreClient::create_if_absent(const std::string& key, const std::string& value,
                                                                   LeaseId lease) {
  // A missing key has version 0, so "version == 0" is "absent".
  auto response = txn(put_if(Compare::Target::version, 0, key, value, lease));
  if (!response.ok()) return response.error();
  return revision_if_succeeded(response.value());
}

StoreResult<std::optional<Revision>> StoreClient::update_if_unchanged(const std::string& key, const std::string& value,
                                                                      Revision expected) {
  auto response = txn(put_if(Compare::Target::mod, expected, key, value, /*lease=*/0));
  if (!response.ok()) return response.error();
  return revision_if_succeeded(response.value());
}

StoreResult<std::pair<int, std::string>> StoreClient::post_raw(const std::string& path, const std::string& body) {
  return impl_->post(path, body);
}

}  // namespace deploylab::store
