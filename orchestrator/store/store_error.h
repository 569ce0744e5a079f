// orchestrator/store/store_error.h: what can go wrong in a store request, in etcd's words.
//
// The store's errors are part of its protocol, not OS failures: a client must be able to tell
// "that revision was compacted" (re-list) from "the lease is gone" (grant a new one). So every
// error has a code with the gRPC status etcd returns for it, and the exact message etcd uses,
// which is what a client of the JSON gateway sees (protocol/json_codec.h turns them into
// {"error": ..., "code": ..., "message": ...} bodies). StoreResult<T> carries a value or one
// of these, like common/result.h does for OS errors.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace deploylab::store {

enum class StoreErrc {
  compacted,          // a read or watch below the compacted revision
  future_revision,    // a read above the current revision
  key_not_found,      // ignore_value/ignore_lease on a missing key
  empty_key,          // no key given
  lease_not_found,
  lease_exists,       // grant with an id already in use
  lease_ttl_too_large,
  too_many_ops,       // more than 128 ops in a transaction (etcd's default)
  duplicate_key,      // two writes to one key in one transaction branch
  request_too_large,  // over 1.5 MiB (etcd's default --max-request-bytes)
  invalid_argument,   // malformed request: bad JSON, bad base64, wrong types
  not_found,          // unknown gateway path
  unavailable,        // the store is closing or its disk failed
  internal,
};

struct StoreError {
  StoreErrc code = StoreErrc::internal;
  std::string message;  // etcd's text, e.g. "etcdserver: mvcc: required revision has been compacted"

  // The error etcd would return for `code`, with etcd's message; `detail` is appended after
  // ": " for our own codes (invalid_argument, internal) so the reader learns what was wrong.
  static StoreError make(StoreErrc code, std::string detail = {});
  int grpc_code() const;    // 11 OutOfRange, 5 NotFound, 3 InvalidArgument, ...
  int http_status() const;  // what the gateway answers with (grpc-gateway's mapping)
  bool operator==(const StoreError&) const = default;
};

// A value or a StoreError.
template <class T>
class [[nodiscard]] StoreResult {
 public:
  StoreResult(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  StoreResult(StoreError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  // The value; throws std::runtime_error with the store's message if there is none (tests, CLIs).
  T& value() & {
    throw_if_error();
    return std::get<T>(state_);
  }
  const T& value() const& {
    throw_if_error();
    return std::get<T>(state_);
  }
  T value() && {
    throw_if_error();
    return std::move(std::get<T>(state_));
  }
  const StoreError& error() const { return std::get<StoreError>(state_); }

 private:
  void throw_if_error() const {
    if (!ok()) throw std::runtime_error(std::get<StoreError>(state_).message);
  }
  std::variant<T, StoreError> state_;
};

}  // namespace deploylab::store
