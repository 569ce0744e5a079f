// orchestrator/store/client/gateway_answer.cpp: reading the gateway's answers (see
// gateway_answer.h).
#include "orchestrator/store/client/gateway_answer.h"

#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store {

StoreResult<nlohmann::json> read_gateway_answer(int http_status, std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  bool is_json = !parsed.is_discarded();
  if (http_status == 200 && is_json) return parsed;
  if (http_status == 200) {
    return StoreError::make(StoreErrc::internal, "the server answered 200 with a body that is not JSON: " +
                                                     std::string(body.substr(0, 200)));
  }
  if (is_json && parsed.is_object()) return json::decode_error(parsed, http_status);
  // Not an etcd error body: the gateway's own answer (etcd: "404 page not found").
  StoreErrc code = http_status == 404 ? StoreErrc::not_found : StoreErrc::internal;
  return StoreError::make(code, "HTTP " + std::to_string(http_status) + ": " + std::string(body.substr(0, 200)));
}

const nlohmann::json& unwrap_result(const nlohmann::json& message) {
  if (message.is_object() && message.contains("result") && message["result"].is_object()) {
    return message["result"];
  }
  return message;
}

std::optional<StoreError> stream_error(const nlohmann::json& message) {
  if (!message.is_object() || !message.contains("error")) return std::nullopt;
  const nlohmann::json& error = message["error"];
  if (!error.is_object()) return json::decode_error(message, 200);
  // grpc-gateway's stream error: {"grpc_code": 11, "http_code": 400, "message": "...", ...}
  std::string text = error.value("message", std::string("watch stream error"));
  nlohmann::json body = {{"error", text}, {"message", text}, {"code", error.value("grpc_code", 2)}};
  return json::decode_error(body, error.value("http_code", 500));
}

StoreError unreachable(const std::string& url, const std::string& why) {
  return StoreError::make(StoreErrc::unavailable,
                          "no answer from " + url + ": " + why +
                              " (hint: is the store running and listening there? start it with "
                              "`ministore serve --listen ...` or etcd --listen-client-urls ...)");
}

}  // namespace deploylab::store
