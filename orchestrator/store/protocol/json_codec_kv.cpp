// orchestrator/store/protocol/json_codec_kv.cpp: KeyValue and the KV requests and responses
// (range, put, delete range, compaction) in etcd's JSON (json_codec.h, codec_parts.h).
//
// As etcd 3.4 writes them, e.g. a range that found one key of two (limit 1):
//   {"header": {...,"revision": "4"},
//    "kvs": [{"key": "Zm9v", "create_revision": "2", "mod_revision": "3", "version": "2",
//             "value": "YmF6"}],
//    "more": true, "count": "2"}
// Fields at their default are left out: an empty value, lease 0, more false, count 0.
#include "orchestrator/store/protocol/codec_parts.h"

namespace deploylab::store::json::detail {
namespace {

nlohmann::json kv_array(const std::vector<KeyValue>& kvs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& kv : kvs) out.push_back(to_json(kv));
  return out;
}

std::vector<KeyValue> read_kvs(Reader& in, std::string_view name) {
  std::vector<KeyValue> kvs;
  in.objects(name, [&](Reader& element) { read(element, kvs.emplace_back()); });
  return kvs;
}

}  // namespace

nlohmann::json to_json(const KeyValue& kv) {
  nlohmann::json out = nlohmann::json::object();
  put_bytes(out, "key", kv.key);
  put_int64(out, "create_revision", kv.create_revision);
  put_int64(out, "mod_revision", kv.mod_revision);
  put_int64(out, "version", kv.version);
  put_bytes(out, "value", kv.value);
  put_int64(out, "lease", kv.lease);
  return out;
}

void read(Reader& in, KeyValue& kv) {
  kv.key = in.bytes("key");
  kv.create_revision = in.int64("create_revision");
  kv.mod_revision = in.int64("mod_revision");
  kv.version = in.int64("version");
  kv.value = in.bytes("value");
  kv.lease = in.int64("lease");
}

nlohmann::json to_json(const RangeRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_bytes(out, "key", request.key);
  put_bytes(out, "range_end", request.range_end);
  put_int64(out, "limit", request.limit);
  put_int64(out, "revision", request.revision);
  put_bool(out, "keys_only", request.keys_only);
  put_bool(out, "count_only", request.count_only);
  return out;
}

// Range options ministore does not implement. Answering without them would silently give a
// different answer than etcd (another order, keys a filter should have dropped), so a request
// that uses them is refused instead. Ascending by key is the order ministore always returns.
void refuse_unsupported_range_options(Reader& in) {
  static constexpr std::string_view kOrders[] = {"NONE", "ASCEND", "DESCEND"};
  static constexpr std::string_view kTargets[] = {"KEY", "VERSION", "CREATE", "MOD", "VALUE"};
  const int order = in.enumeration("sort_order", kOrders);
  const int target = in.enumeration("sort_target", kTargets);
  if (order == 2 || (order == 1 && target != 0)) {
    in.fail("sort_order", "not supported by ministore (results always come in ascending key order)");
  }
  for (std::string_view filter : {"min_mod_revision", "max_mod_revision", "min_create_revision", "max_create_revision"}) {
    if (in.int64(filter) != 0) in.fail(filter, "not supported by ministore");
  }
}

void read(Reader& in, RangeRequest& request) {
  request.key = in.bytes("key");
  request.range_end = in.bytes("range_end");
  request.limit = in.int64("limit");
  request.revision = in.int64("revision");
  request.keys_only = in.boolean("keys_only");
  request.count_only = in.boolean("count_only");
  refuse_unsupported_range_options(in);
}

nlohmann::json to_json(const RangeResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  if (!response.kvs.empty()) out["kvs"] = kv_array(response.kvs);
  put_bool(out, "more", response.more);
  put_int64(out, "count", response.count);
  return out;
}

void read(Reader& in, RangeResponse& response) {
  response.revision = read_header_revision(in);
  response.kvs = read_kvs(in, "kvs");
  response.more = in.boolean("more");
  response.count = in.int64("count");
}

nlohmann::json to_json(const PutRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_bytes(out, "key", request.key);
  put_bytes(out, "value", request.value);
  put_int64(out, "lease", request.lease);
  put_bool(out, "prev_kv", request.prev_kv);
  put_bool(out, "ignore_value", request.ignore_value);
  put_bool(out, "ignore_lease", request.ignore_lease);
  return out;
}

void read(Reader& in, PutRequest& request) {
  request.key = in.bytes("key");
  request.value = in.bytes("value");
  request.lease = in.int64("lease");
  request.prev_kv = in.boolean("prev_kv");
  request.ignore_value = in.boolean("ignore_value");
  request.ignore_lease = in.boolean("ignore_lease");
}

nlohmann::json to_json(const PutResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  if (response.prev_kv) out["prev_kv"] = to_json(*response.prev_kv);
  return out;
}

void read(Reader& in, PutResponse& response) {
  response.revision = read_header_revision(in);
  in.object("prev_kv", [&](Reader& prev) { read(prev, response.prev_kv.emplace()); });
}

nlohmann::json to_json(const DeleteRangeRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_bytes(out, "key", request.key);
  put_bytes(out, "range_end", request.range_end);
  put_bool(out, "prev_kv", request.prev_kv);
  return out;
}

void read(Reader& in, DeleteRangeRequest& request) {
  request.key = in.bytes("key");
  request.range_end = in.bytes("range_end");
  request.prev_kv = in.boolean("prev_kv");
}

nlohmann::json to_json(const DeleteRangeResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  put_int64(out, "deleted", response.deleted);
  if (!response.prev_kvs.empty()) out["prev_kvs"] = kv_array(response.prev_kvs);
  return out;
}

void read(Reader& in, DeleteRangeResponse& response) {
  response.revision = read_header_revision(in);
  response.deleted = in.int64("deleted");
  response.prev_kvs = read_kvs(in, "prev_kvs");
}

nlohmann::json to_json(const CompactionRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  put_int64(out, "revision", request.revision);
  put_bool(out, "physical", request.physical);
  return out;
}

void read(Reader& in, CompactionRequest& request) {
  request.revision = in.int64("revision");
  request.physical = in.boolean("physical");
}

nlohmann::json to_json(const CompactionResponse& response) {
  return {{"header", response_header(response.revision)}};
}

void read(Reader& in, CompactionResponse& response) { response.revision = read_header_revision(in); }

}  // namespace deploylab::store::json::detail
