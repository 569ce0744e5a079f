// orchestrator/store/protocol/json_codec.cpp: encode<T>/decode<T> for every message, request
// bodies and error bodies (json_codec.h). The messages themselves are in json_codec_kv.cpp,
// json_codec_txn.cpp, json_codec_lease.cpp and json_codec_watch.cpp (codec_parts.h).
//
// Errors, as etcd 3.4's gateway sends them (HTTP status from the gRPC code, see store_error.cpp):
//   400 {"error": "etcdserver: mvcc: required revision has been compacted",
//        "message": "etcdserver: mvcc: required revision has been compacted", "code": 11}
//   400 {"error": "illegal base64 data at input byte 0", "message": "...", "code": 3}
//   404 Not Found                       (plain text, for a path it does not serve)
//   200 {"error": {"grpc_code": 14, "http_code": 503, "message": "...", "http_status": "..."}}
//                                       (inside a stream that failed after it started)
// decode_error() accepts all three shapes.
#include <array>

#include "orchestrator/store/protocol/codec_parts.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::json {
namespace {

// Every StoreErrc, to find the one whose etcd message a client received.
constexpr std::array kAllCodes = {
    StoreErrc::compacted,       StoreErrc::future_revision,     StoreErrc::key_not_found,
    StoreErrc::empty_key,       StoreErrc::lease_not_found,     StoreErrc::lease_exists,
    StoreErrc::lease_ttl_too_large, StoreErrc::too_many_ops,    StoreErrc::duplicate_key,
    StoreErrc::request_too_large, StoreErrc::invalid_argument,  StoreErrc::not_found,
    StoreErrc::unavailable,     StoreErrc::internal,
};

// The code whose etcd message `message` is (exactly, or followed by ": detail").
std::optional<StoreErrc> code_of_message(const std::string& message) {
  for (StoreErrc code : kAllCodes) {
    std::string known = StoreError::make(code).message;
    if (message == known || message.starts_with(known + ": ")) return code;
  }
  return std::nullopt;
}

// For messages we do not know (etcd's own wording of a bad request, a gRPC transport error):
// the closest code by gRPC code, else by HTTP status.
StoreErrc code_of_status(int grpc_code, int http_status) {
  switch (grpc_code) {
    case 3: return StoreErrc::invalid_argument;
    case 5: return StoreErrc::not_found;
    case 8: return StoreErrc::request_too_large;  // "grpc: received message larger than max"
    case 14: return StoreErrc::unavailable;
    default: break;
  }
  switch (http_status) {
    case 400: return StoreErrc::invalid_argument;
    case 404: return StoreErrc::not_found;
    case 413: return StoreErrc::request_too_large;
    case 503: return StoreErrc::unavailable;
    default: return StoreErrc::internal;
  }
}

// The message and gRPC code of an error body, in whichever shape it came (see the top).
std::pair<std::string, int> message_and_code(const nlohmann::json& body, int http_status) {
  if (body.is_string()) return {body.get<std::string>(), -1};
  const nlohmann::json* error = body.is_object() && body.contains("error") ? &body["error"] : nullptr;
  if (error != nullptr && error->is_string()) {
    auto code = body.contains("code") && body["code"].is_number_integer() ? body["code"].get<int>() : -1;
    auto message = body.contains("message") && body["message"].is_string() ? body["message"] : *error;
    return {message.get<std::string>(), code};
  }
  if (error != nullptr && error->is_object()) {
    auto code = error->contains("grpc_code") && (*error)["grpc_code"].is_number_integer()
                    ? (*error)["grpc_code"].get<int>()
                    : -1;
    auto message = error->contains("message") && (*error)["message"].is_string()
                       ? (*error)["message"].get<std::string>()
                       : std::string("stream error");
    return {message, code};
  }
  return {"HTTP " + std::to_string(http_status), -1};
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 9: " prefix; the byte offset is reported separately.
std::string syntax_detail(const std::string& what) {
  auto column = what.find("column");
  auto colon = column == std::string::npos ? column : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

template <class T>
nlohmann::json encode(const T& message) {
  return detail::to_json(message);
}

template <class T>
StoreResult<T> decode(const nlohmann::json& json) {
  Reader in(json);
  T message{};
  if (in.ok()) detail::read(in, message);
  if (auto error = in.error()) return *error;
  return message;
}

// The messages json_codec.h promises, each instantiated here once for every user.
#define DEPLOYLAB_STORE_JSON_MESSAGE(T)              \
  template nlohmann::json encode<T>(const T& message); \
  template StoreResult<T> decode<T>(const nlohmann::json& json);

DEPLOYLAB_STORE_JSON_MESSAGE(KeyValue)
DEPLOYLAB_STORE_JSON_MESSAGE(Event)
DEPLOYLAB_STORE_JSON_MESSAGE(Compare)
DEPLOYLAB_STORE_JSON_MESSAGE(RangeRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(RangeResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(PutRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(PutResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(DeleteRangeRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(DeleteRangeResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(TxnRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(TxnResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(CompactionRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(CompactionResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseGrantRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseGrantResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseRevokeRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseRevokeResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseKeepAliveRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseKeepAliveResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseTimeToLiveRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(LeaseTimeToLiveResponse)
DEPLOYLAB_STORE_JSON_MESSAGE(WatchRequest)
DEPLOYLAB_STORE_JSON_MESSAGE(WatchResponse)

#undef DEPLOYLAB_STORE_JSON_MESSAGE

StoreResult<nlohmann::json> parse_body(std::string_view body) {
  // An empty body is an empty request, as etcd reads it ("key is not provided" follows for a range).
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return nlohmann::json::object();
  try {
    nlohmann::json json = nlohmann::json::parse(body);
    if (json.is_object()) return json;
    std::string seen = json.is_array() ? "an array" : json.type_name();
    return StoreError::make(StoreErrc::invalid_argument, "body: not a JSON object but " + seen);
  } catch (const nlohmann::json::parse_error& e) {
    return StoreError::make(StoreErrc::invalid_argument, "body: malformed JSON at byte " +
                                                             std::to_string(e.byte) + ": " + syntax_detail(e.what()));
  }
}

nlohmann::json encode_error(const StoreError& error) {
  return {{"error", error.message}, {"code", error.grpc_code()}, {"message", error.message}};
}

StoreError decode_error(const nlohmann::json& body, int http_status) {
  auto [message, grpc_code] = message_and_code(body, http_status);
  StoreErrc code = code_of_message(message).value_or(code_of_status(grpc_code, http_status));
  return StoreError{code, std::move(message)};
}

namespace detail {

void read_stream_error(Reader& in) {
  // The whole object is an error body in one of decode_error's shapes.
  in.fail(decode_error(*in.document(), 200));
}

}  // namespace detail

}  // namespace deploylab::store::json
