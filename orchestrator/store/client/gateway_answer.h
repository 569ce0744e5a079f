// orchestrator/store/client/gateway_answer.h: reading what the JSON gateway answers (lab 10).
//
// An answer is an HTTP status and a body. 200 carries the response message; anything else
// carries an error, normally etcd's {"error", "code", "message"} (json_codec.h decodes it into
// the StoreError the server had), but a gateway also answers some requests on its own, such as
// etcd's plain-text "404 page not found" for an unknown path, and those must still become a
// StoreError that says what happened. Streaming endpoints (/v3/watch, and /v3/lease/keepalive
// on etcd) wrap each message as {"result": {...}} and report a failure inside the stream as
// {"error": {"grpc_code", "http_code", "message", "http_status"}}. Pure functions: the client
// (store_client.cpp) and the watch reader (http_watch_stream.cpp) share them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "orchestrator/store/store_error.h"

namespace deploylab::store {

// The JSON of a 200 answer, or the error that any other answer carries.
StoreResult<nlohmann::json> read_gateway_answer(int http_status, std::string_view body);

// The message inside {"result": {...}}; any other JSON is returned as it is.
const nlohmann::json& unwrap_result(const nlohmann::json& message);

// The error of a stream message {"error": ...}, or nullopt when the message is not one.
std::optional<StoreError> stream_error(const nlohmann::json& message);

// A request that got no answer at all: the server is down, or not where `url` says.
StoreError unreachable(const std::string& url, const std::string& why);

}  // namespace deploylab::store
