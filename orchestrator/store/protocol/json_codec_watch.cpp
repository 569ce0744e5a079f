// orchestrator/store/protocol/json_codec_watch.cpp: the watch stream in etcd's JSON
// (json_codec.h, codec_parts.h).
//
// A client opens a watch by POSTing one create request to /v3/watch:
//   {"create_request": {"key": "dw==", "range_end": "eA==", "start_revision": "14",
//                       "prev_kv": true, "filters": ["NODELETE"]}}
// and reads newline-separated messages, each wrapped in "result":
//   {"result": {"header": {..., "revision": "13"}, "created": true}}
//   {"result": {"header": {..., "revision": "17"},
//               "events": [{"type": "DELETE", "kv": {"key": "dzE=", "mod_revision": "17"},
//                           "prev_kv": {...}}]}}
// A put event has no "type" (PUT is the enum's default). A watch whose start revision was
// compacted gets "created" and then
//   {"result": {"header": {...}, "canceled": true, "compact_revision": "3"}}
// (without a header revision). The first watch of a stream has watch_id 0, so none is written.
#include <array>

#include "orchestrator/store/protocol/codec_parts.h"

namespace deploylab::store::json::detail {
namespace {

constexpr std::array<std::string_view, 2> kEventTypes = {"PUT", "DELETE"};
constexpr std::array<std::string_view, 2> kFilters = {"NOPUT", "NODELETE"};
constexpr int kNoPut = 0;
constexpr int kNoDelete = 1;

nlohmann::json create_request(const WatchRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_bytes(out, "key", request.key);
  put_bytes(out, "range_end", request.range_end);
  put_int64(out, "start_revision", request.start_revision);
  put_bool(out, "progress_notify", request.progress_notify);
  if (request.no_put) out["filters"].push_back(kFilters[kNoPut]);
  if (request.no_delete) out["filters"].push_back(kFilters[kNoDelete]);
  put_bool(out, "prev_kv", request.prev_kv);
  return out;
}

void read_create_request(Reader& in, WatchRequest& request) {
  request.key = in.bytes("key");
  request.range_end = in.bytes("range_end");
  request.start_revision = in.int64("start_revision");
  request.progress_notify = in.boolean("progress_notify");
  for (int filter : in.enumeration_array("filters", kFilters)) {
    request.no_put = request.no_put || filter == kNoPut;
    request.no_delete = request.no_delete || filter == kNoDelete;
  }
  request.prev_kv = in.boolean("prev_kv");
}

void read_result(Reader& in, WatchResponse& response) {
  response.revision = read_header_revision(in);
  response.watch_id = in.int64("watch_id");
  response.created = in.boolean("created");
  response.canceled = in.boolean("canceled");
  response.compact_revision = in.int64("compact_revision");
  response.cancel_reason = in.string("cancel_reason");
  response.events.clear();
  in.objects("events", [&](Reader& element) { read(element, response.events.emplace_back()); });
}

}  // namespace

nlohmann::json to_json(const Event& event) {
  nlohmann::json out = {{"kv", to_json(event.kv)}};
  if (event.type == EventType::remove) out["type"] = kEventTypes[1];
  if (event.prev_kv) out["prev_kv"] = to_json(*event.prev_kv);
  return out;
}

void read(Reader& in, Event& event) {
  event.type = in.enumeration("type", kEventTypes) == 1 ? EventType::remove : EventType::put;
  in.object("kv", [&](Reader& kv) { read(kv, event.kv); });
  in.object("prev_kv", [&](Reader& prev) { read(prev, event.prev_kv.emplace()); });
}

nlohmann::json to_json(const WatchRequest& request) { return {{"create_request", create_request(request)}}; }

void read(Reader& in, WatchRequest& request) {
  if (!in.has("create_request")) {
    return in.fail("create_request", "missing: a watch stream takes one create_request (cancel_request and "
                                     "progress_request are not supported)");
  }
  in.object("create_request", [&](Reader& create) { read_create_request(create, request); });
}

nlohmann::json to_json(const WatchResponse& response) {
  nlohmann::json result = {{"header", response_header(response.revision)}};
  put_int64(result, "watch_id", response.watch_id);
  put_bool(result, "created", response.created);
  put_bool(result, "canceled", response.canceled);
  put_int64(result, "compact_revision", response.compact_revision);
  if (!response.cancel_reason.empty()) result["cancel_reason"] = response.cancel_reason;
  for (const auto& event : response.events) result["events"].push_back(to_json(event));
  return {{"result", std::move(result)}};
}

void read(Reader& in, WatchResponse& response) {
  read_stream_message(in, [&](Reader& result) { read_result(result, response); });
}

}  // namespace deploylab::store::json::detail
