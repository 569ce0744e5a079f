// orchestrator/store/protocol/request_size.cpp: protobuf-size estimates of write requests
// (request_size.h).
#include "orchestrator/store/protocol/request_size.h"

#include <cstdint>
#include <string>
#include <variant>

namespace deploylab::store {
namespace {

// What etcd wraps around every request in its log (InternalRaftRequest: a header with the
// request id, the tag and length of the request). An over-estimate by a few bytes is harmless.
constexpr std::size_t kRaftEnvelope = 24;

// Bytes of a protobuf varint holding `value`.
std::size_t varint_size(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// A bytes field: tag, length, the bytes; left out when empty.
std::size_t bytes_field(const std::string& bytes) {
  return bytes.empty() ? 0 : 1 + varint_size(bytes.size()) + bytes.size();
}

// An integer or bool field: tag and varint; left out when 0.
std::size_t int_field(std::int64_t value) {
  return value == 0 ? 0 : 1 + varint_size(static_cast<std::uint64_t>(value));
}

// A nested message field: tag, length, the message.
std::size_t message_field(std::size_t size) { return 1 + varint_size(size) + size; }

std::size_t body_size(const RangeRequest& r) {
  return bytes_field(r.key) + bytes_field(r.range_end) + int_field(r.limit) + int_field(r.revision) +
         int_field(r.keys_only) + int_field(r.count_only);
}

std::size_t body_size(const PutRequest& r) {
  return bytes_field(r.key) + bytes_field(r.value) + int_field(r.lease) + int_field(r.prev_kv) +
         int_field(r.ignore_value) + int_field(r.ignore_lease);
}

std::size_t body_size(const DeleteRangeRequest& r) {
  return bytes_field(r.key) + bytes_field(r.range_end) + int_field(r.prev_kv);
}

std::size_t body_size(const Compare& c) {
  return int_field(static_cast<int>(c.result)) + int_field(static_cast<int>(c.target)) + bytes_field(c.key) +
         bytes_field(c.range_end) + bytes_field(c.value) + int_field(c.number);
}

std::size_t body_size(const TxnRequest& r) {
  std::size_t size = 0;
  for (const auto& compare : r.compare) size += message_field(body_size(compare));
  for (const auto* branch : {&r.success, &r.failure}) {
    for (const auto& op : *branch) {
      // A RequestOp is a message holding one request message.
      size += message_field(message_field(std::visit([](const auto& request) { return body_size(request); }, op)));
    }
  }
  return size;
}

}  // namespace

std::size_t request_size(const PutRequest& request) { return kRaftEnvelope + message_field(body_size(request)); }
std::size_t request_size(const DeleteRangeRequest& request) {
  return kRaftEnvelope + message_field(body_size(request));
}
std::size_t request_size(const TxnRequest& request) { return kRaftEnvelope + message_field(body_size(request)); }

}  // namespace deploylab::store
