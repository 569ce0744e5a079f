// orchestrator/store/protocol/json_codec_lease.cpp: the lease requests and responses in etcd's
// JSON (json_codec.h, codec_parts.h).
//
// The lease messages break the snake_case rule of the others: the id is "ID", the TTL "TTL"
// and time-to-live's granted TTL "grantedTTL". What etcd 3.4 answered when we asked:
//   grant {"TTL": "60", "ID": "12345"}  ->  {"header": {...}, "ID": "12345", "TTL": "60"}
//   timetolive {"ID": "12345", "keys": true}
//     -> {"header": {...}, "ID": "12345", "TTL": "59", "grantedTTL": "60", "keys": ["bGVhc2Vk"]}
//   timetolive of an unknown lease -> 200 with {"header": {...}, "ID": "999", "TTL": "-1"}
//   keepalive is a gRPC stream, so its one answer comes wrapped and followed by a newline:
//     {"result": {"header": {...}, "ID": "12345", "TTL": "60"}}
//   and for an unknown lease the answer is the same without "TTL" (0: the lease is gone).
#include "orchestrator/store/protocol/codec_parts.h"

namespace deploylab::store::json::detail {

nlohmann::json to_json(const LeaseGrantRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_int64(out, "TTL", request.ttl);
  put_int64(out, "ID", request.id);
  return out;
}

void read(Reader& in, LeaseGrantRequest& request) {
  request.ttl = in.int64("TTL");
  request.id = in.int64("ID");
}

nlohmann::json to_json(const LeaseGrantResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  put_int64(out, "ID", response.id);
  put_int64(out, "TTL", response.ttl);
  return out;
}

void read(Reader& in, LeaseGrantResponse& response) {
  response.revision = read_header_revision(in);
  response.id = in.int64("ID");
  response.ttl = in.int64("TTL");
}

nlohmann::json to_json(const LeaseRevokeRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_int64(out, "ID", request.id);
  return out;
}

void read(Reader& in, LeaseRevokeRequest& request) { request.id = in.int64("ID"); }

nlohmann::json to_json(const LeaseRevokeResponse& response) {
  return {{"header", response_header(response.revision)}};
}

void read(Reader& in, LeaseRevokeResponse& response) { response.revision = read_header_revision(in); }

nlohmann::json to_json(const LeaseKeepAliveRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_int64(out, "ID", request.id);
  return out;
}

void read(Reader& in, LeaseKeepAliveRequest& request) { request.id = in.int64("ID"); }

nlohmann::json to_json(const LeaseKeepAliveResponse& response) {
  nlohmann::json result = {{"header", response_header(response.revision)}};
  put_int64(result, "ID", response.id);
  put_int64(result, "TTL", response.ttl);
  return {{"result", std::move(result)}};
}

void read(Reader& in, LeaseKeepAliveResponse& response) {
  read_stream_message(in, [&](Reader& result) {
    response.revision = read_header_revision(result);
    response.id = result.int64("ID");
    response.ttl = result.int64("TTL");
  });
}

nlohmann::json to_json(const LeaseTimeToLiveRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_int64(out, "ID", request.id);
  put_bool(out, "keys", request.keys);
  return out;
}

void read(Reader& in, LeaseTimeToLiveRequest& request) {
  request.id = in.int64("ID");
  request.keys = in.boolean("keys");
}

nlohmann::json to_json(const LeaseTimeToLiveResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  put_int64(out, "ID", response.id);
  put_int64(out, "TTL", response.ttl);
  put_int64(out, "grantedTTL", response.granted_ttl);
  for (const auto& key : response.keys) out["keys"].push_back(base64_encode(key));
  return out;
}

void read(Reader& in, LeaseTimeToLiveResponse& response) {
  response.revision = read_header_revision(in);
  response.id = in.int64("ID");
  response.ttl = in.int64("TTL");
  response.granted_ttl = in.int64("grantedTTL");
  response.keys = in.bytes_array("keys");
}

}  // namespace deploylab::store::json::detail
