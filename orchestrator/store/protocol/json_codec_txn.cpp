// orchestrator/store/protocol/json_codec_txn.cpp: Compare and transactions in etcd's JSON
// (json_codec.h, codec_parts.h).
//
// A compare names its target and result as enums and carries its operand in the field of that
// target (protobuf's "target_union"): "version", "create_revision", "mod_revision", "value"
// (base64) or "lease". The create-if-absent transaction an API server sends looks like
//   {"compare": [{"key": "L3BvZHMvYQ==", "target": "CREATE", "result": "EQUAL", "create_revision": "0"}],
//    "success": [{"request_put": {"key": "L3BvZHMvYQ==", "value": "e30="}}],
//    "failure": [{"request_range": {"key": "L3BvZHMvYQ=="}}]}
// and etcd answers with one response per op of the branch that ran, each with a short header:
//   {"header": {...}, "succeeded": true,
//    "responses": [{"response_put": {"header": {"revision": "9"}}}]}
// (etcd leaves "succeeded" out when it is false, like every other default.)
#include <array>

#include "orchestrator/store/protocol/codec_parts.h"

namespace deploylab::store::json::detail {
namespace {

// In the order of the enums (kv.h), which is etcd's numbering too.
constexpr std::array<std::string_view, 5> kTargets = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"};
constexpr std::array<std::string_view, 4> kResults = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
// The member that holds a compare's operand, per target (VALUE's is bytes, the others numbers).
constexpr std::array<const char*, 5> kOperandFields = {"version", "create_revision", "mod_revision", "value",
                                                       "lease"};

// The names of the members of a RequestOp and a ResponseOp, per alternative of the variants.
constexpr std::array<std::string_view, 3> kRequestOps = {"request_range", "request_put", "request_delete_range"};
constexpr std::array<std::string_view, 3> kResponseOps = {"response_range", "response_put", "response_delete_range"};

nlohmann::json request_op(const RequestOp& op) {
  nlohmann::json inner = std::visit([](const auto& request) { return to_json(request); }, op);
  return {{std::string(kRequestOps[op.index()]), std::move(inner)}};
}

// Inside a transaction etcd gives each response a header that holds only the revision.
nlohmann::json response_op(const ResponseOp& op) {
  nlohmann::json inner = std::visit([](const auto& response) { return to_json(response); }, op);
  Revision revision = std::visit([](const auto& response) { return response.revision; }, op);
  inner["header"] = nlohmann::json::object();
  put_int64(inner["header"], "revision", revision);
  return {{std::string(kResponseOps[op.index()]), std::move(inner)}};
}

// Which of `names` the op object holds: its index, or nullopt after recording why there is not
// exactly one.
std::optional<std::size_t> op_kind(Reader& in, std::span<const std::string_view> names) {
  std::optional<std::size_t> kind;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!in.has(names[i])) continue;
    if (kind) {
      in.fail_here("more than one operation in one op (" + std::string(names[*kind]) + " and " +
                   std::string(names[i]) + ")");
      return std::nullopt;
    }
    kind = i;
  }
  if (!kind) in.fail_here("no operation: expected one of " + std::string(names[0]) + ", " + std::string(names[1]) +
                          " or " + std::string(names[2]));
  return kind;
}

// Reads the alternative `index` of a variant from the member `name` of `in`.
template <class Variant, std::size_t Index = 0>
void read_alternative(Reader& in, std::string_view name, std::size_t index, Variant& out) {
  if constexpr (Index < std::variant_size_v<Variant>) {
    if (Index != index) return read_alternative<Variant, Index + 1>(in, name, index, out);
    auto& value = out.template emplace<Index>();
    in.object(name, [&](Reader& inner) { read(inner, value); });
  }
}

std::vector<RequestOp> read_request_ops(Reader& in, std::string_view name) {
  std::vector<RequestOp> ops;
  in.objects(name, [&](Reader& element) {
    if (element.has("request_txn")) return element.fail("request_txn", "nested transactions are not supported");
    auto kind = op_kind(element, kRequestOps);
    if (kind) read_alternative(element, kRequestOps[*kind], *kind, ops.emplace_back());
  });
  return ops;
}

std::vector<ResponseOp> read_response_ops(Reader& in, std::string_view name) {
  std::vector<ResponseOp> ops;
  in.objects(name, [&](Reader& element) {
    auto kind = op_kind(element, kResponseOps);
    if (kind) read_alternative(element, kResponseOps[*kind], *kind, ops.emplace_back());
  });
  return ops;
}

}  // namespace

nlohmann::json to_json(const Compare& compare) {
  auto target = static_cast<std::size_t>(compare.target);
  nlohmann::json out = {{"target", kTargets[target]}, {"result", kResults[static_cast<std::size_t>(compare.result)]}};
  put_bytes(out, "key", compare.key);
  put_bytes(out, "range_end", compare.range_end);
  // The operand is written even when it is 0: "create_revision": "0" is the whole point of a
  // create-if-absent compare, and a reader should see it.
  if (compare.target == Compare::Target::value) {
    out["value"] = base64_encode(compare.value);
  } else {
    out[kOperandFields[target]] = std::to_string(compare.number);
  }
  return out;
}

void read(Reader& in, Compare& compare) {
  int target = in.enumeration("target", kTargets);
  compare.target = static_cast<Compare::Target>(target);
  compare.result = static_cast<Compare::Result>(in.enumeration("result", kResults));
  compare.key = in.bytes("key");
  compare.range_end = in.bytes("range_end");
  if (compare.target == Compare::Target::value) {
    compare.value = in.bytes("value");
  } else {
    compare.number = in.int64(kOperandFields[static_cast<std::size_t>(target)]);
  }
}

nlohmann::json to_json(const TxnRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& compare : request.compare) out["compare"].push_back(to_json(compare));
  for (const auto& op : request.success) out["success"].push_back(request_op(op));
  for (const auto& op : request.failure) out["failure"].push_back(request_op(op));
  return out;
}

void read(Reader& in, TxnRequest& request) {
  in.objects("compare", [&](Reader& element) { read(element, request.compare.emplace_back()); });
  request.success = read_request_ops(in, "success");
  request.failure = read_request_ops(in, "failure");
}

nlohmann::json to_json(const TxnResponse& response) {
  nlohmann::json out = {{"header", response_header(response.revision)}};
  put_bool(out, "succeeded", response.succeeded);
  for (const auto& op : response.responses) out["responses"].push_back(response_op(op));
  return out;
}

void read(Reader& in, TxnResponse& response) {
  response.revision = read_header_revision(in);
  response.succeeded = in.boolean("succeeded");
  response.responses = read_response_ops(in, "responses");
}

}  // namespace deploylab::store::json::detail
