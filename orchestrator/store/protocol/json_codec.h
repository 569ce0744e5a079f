// orchestrator/store/protocol/json_codec.h: the etcd v3 JSON gateway's encoding (lab 10).
//
// etcd serves its gRPC API as JSON too (grpc-gateway, at /v3/...), and that is the protocol
// ministore speaks and the client (client/) uses, so the same client talks to either store.
// The encoding, as etcd 3.4 writes it: field names as in the .proto (snake_case, e.g.
// "range_end", "prev_kv"; except the lease messages' "ID" and "TTL"), keys and values as
// base64 strings, 64-bit integers as decimal strings ("revision": "5") but accepted as numbers
// too, enums by name ("DELETE", "MOD", "NOT_EQUAL"), fields with their default value left out,
// and every response with a "header" {cluster_id, member_id, revision, raft_term}. Errors are
// {"error": message, "code": grpc code, "message": message}. Watch streams send one object
// per message, {"result": {...}}, each followed by a newline.
//
// Both directions are here: the server decodes requests and encodes responses, the client
// encodes requests and decodes responses. decode<T> checks types and base64 and says which
// field is wrong (StoreErrc::invalid_argument), so a bad request gets a 400, never a crash.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store::json {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt: not base64

// Encodes a request or a response. Responses get a "header" built from their `revision`.
// Implemented for: RangeRequest/Response, PutRequest/Response, DeleteRangeRequest/Response,
// TxnRequest/Response, CompactionRequest/Response, LeaseGrant*/LeaseRevoke*/
// LeaseKeepAlive*/LeaseTimeToLive* requests and responses, WatchRequest (as
// {"create_request": {...}}), WatchResponse (as {"result": {...}}), KeyValue, Event, Compare.
// LeaseKeepAliveResponse is a stream message in etcd too, so it is also wrapped in "result"; the
// decoders of both stream messages accept them wrapped or bare, and turn a stream's
// {"error": {...}} into the StoreError it carries. README.md shows what etcd 3.4 sends.
template <class T>
nlohmann::json encode(const T& message);

// Decodes what encode<T> writes (and what etcd writes). Unknown fields are ignored, as the
// gateway does; a field of the wrong type or bad base64 is an invalid_argument error that
// names the field ("range_end: not base64").
template <class T>
StoreResult<T> decode(const nlohmann::json& json);

// Parses a request body (size already checked); malformed JSON is invalid_argument.
StoreResult<nlohmann::json> parse_body(std::string_view body);

// The body of an error response, {"error", "code", "message"}, and back.
nlohmann::json encode_error(const StoreError& error);
StoreError decode_error(const nlohmann::json& body, int http_status);

}  // namespace deploylab::store::json
