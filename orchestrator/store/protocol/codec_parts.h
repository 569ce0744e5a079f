// orchestrator/store/protocol/codec_parts.h: the per-message encoders and decoders behind
// json::encode<T> and json::decode<T> (internal to protocol/).
//
// Each message has a `to_json` overload that writes it and a `read` overload that fills it from
// a Reader (json_fields.h). json_codec.cpp turns each pair into the encode<T>/decode<T> the
// header promises, so adding a message means two overloads here and one line there.
// The files: json_codec_kv.cpp (KeyValue and the KV requests), json_codec_txn.cpp (Compare and
// Txn), json_codec_lease.cpp (leases), json_codec_watch.cpp (Event and the watch stream).
#pragma once

#include <nlohmann/json.hpp>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/protocol/json_codec.h"
#include "orchestrator/store/protocol/json_fields.h"

namespace deploylab::store::json::detail {

nlohmann::json to_json(const KeyValue& kv);
void read(Reader& in, KeyValue& kv);

nlohmann::json to_json(const RangeRequest& request);
void read(Reader& in, RangeRequest& request);
nlohmann::json to_json(const RangeResponse& response);
void read(Reader& in, RangeResponse& response);

nlohmann::json to_json(const PutRequest& request);
void read(Reader& in, PutRequest& request);
nlohmann::json to_json(const PutResponse& response);
void read(Reader& in, PutResponse& response);

nlohmann::json to_json(const DeleteRangeRequest& request);
void read(Reader& in, DeleteRangeRequest& request);
nlohmann::json to_json(const DeleteRangeResponse& response);
void read(Reader& in, DeleteRangeResponse& response);

nlohmann::json to_json(const CompactionRequest& request);
void read(Reader& in, CompactionRequest& request);
nlohmann::json to_json(const CompactionResponse& response);
void read(Reader& in, CompactionResponse& response);

nlohmann::json to_json(const Compare& compare);
void read(Reader& in, Compare& compare);
nlohmann::json to_json(const TxnRequest& request);
void read(Reader& in, TxnRequest& request);
nlohmann::json to_json(const TxnResponse& response);
void read(Reader& in, TxnResponse& response);

nlohmann::json to_json(const LeaseGrantRequest& request);
void read(Reader& in, LeaseGrantRequest& request);
nlohmann::json to_json(const LeaseGrantResponse& response);
void read(Reader& in, LeaseGrantResponse& response);
nlohmann::json to_json(const LeaseRevokeRequest& request);
void read(Reader& in, LeaseRevokeRequest& request);
nlohmann::json to_json(const LeaseRevokeResponse& response);
void read(Reader& in, LeaseRevokeResponse& response);
nlohmann::json to_json(const LeaseKeepAliveRequest& request);
void read(Reader& in, LeaseKeepAliveRequest& request);
nlohmann::json to_json(const LeaseKeepAliveResponse& response);  // {"result": {...}}
void read(Reader& in, LeaseKeepAliveResponse& response);
nlohmann::json to_json(const LeaseTimeToLiveRequest& request);
void read(Reader& in, LeaseTimeToLiveRequest& request);
nlohmann::json to_json(const LeaseTimeToLiveResponse& response);
void read(Reader& in, LeaseTimeToLiveResponse& response);

nlohmann::json to_json(const Event& event);
void read(Reader& in, Event& event);
nlohmann::json to_json(const WatchRequest& request);  // {"create_request": {...}}
void read(Reader& in, WatchRequest& request);
nlohmann::json to_json(const WatchResponse& response);  // {"result": {...}}
void read(Reader& in, WatchResponse& response);

// A message of a gRPC stream relayed by the gateway (keepalive, watch) comes wrapped:
// {"result": {...}} normally, {"error": {"grpc_code", "http_code", "message", ...}} when the
// stream failed. Calls read_result with the inner object, or records the error in `in`.
// A bare object (no wrapper) is read as the result itself.
template <class ReadResult>
void read_stream_message(Reader& in, ReadResult&& read_result);
void read_stream_error(Reader& in);

template <class ReadResult>
void read_stream_message(Reader& in, ReadResult&& read_result) {
  if (in.has("result")) return in.object("result", read_result);
  if (in.has("error")) return read_stream_error(in);
  read_result(in);
}

}  // namespace deploylab::store::json::detail
