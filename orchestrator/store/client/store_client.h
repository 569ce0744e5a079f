// orchestrator/store/client/store_client.h: a C++ client for the etcd v3 JSON gateway (lab 10).
//
// The orchestrator's API server talks to its store only through this class, so it runs on the
// embedded ministore or on a real etcd 3.4 cluster (Debian's etcd-server) by changing an
// endpoint. It speaks HTTP/1.1 with keep-alive to `endpoint` (http://HOST:PORT) and sends the
// JSON of protocol/json_codec.h. One StoreClient is one connection: calls from several threads
// are serialised, so give each thread its own client for concurrency. Watches get their own
// connection each (a streaming POST /v3/watch read by a thread); after a `canceled` message the
// stream stays open until the WatchStream is destroyed.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store {

// A running watch. Messages arrive in order; the first is `created` (or a cancellation with
// compact_revision). The destructor closes the stream.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // The next message, or nullopt after `timeout`; an error when the stream broke (the server
  // went away): resume with a new watch from the last revision seen + 1.
  virtual StoreResult<std::optional<WatchResponse>> next(std::chrono::milliseconds timeout) = 0;
};

class StoreClient {
 public:
  struct Options {
    std::string endpoint;  // "http://127.0.0.1:2379"
    std::chrono::milliseconds timeout{10000};  // per request
  };
  explicit StoreClient(Options options);
  ~StoreClient();
  StoreClient(StoreClient&&) noexcept;
  StoreClient& operator=(StoreClient&&) noexcept;

  StoreResult<RangeResponse> range(const RangeRequest& request);
  StoreResult<PutResponse> put(const PutRequest& request);
  StoreResult<DeleteRangeResponse> delete_range(const DeleteRangeRequest& request);
  StoreResult<TxnResponse> txn(const TxnRequest& request);
  StoreResult<CompactionResponse> compact(const CompactionRequest& request);
  StoreResult<LeaseGrantResponse> lease_grant(const LeaseGrantRequest& request);
  StoreResult<LeaseRevokeResponse> lease_revoke(const LeaseRevokeRequest& request);
  StoreResult<LeaseKeepAliveResponse> lease_keepalive(const LeaseKeepAliveRequest& request);
  StoreResult<LeaseTimeToLiveResponse> lease_time_to_live(const LeaseTimeToLiveRequest& request);
  StoreResult<std::unique_ptr<WatchStream>> watch(const WatchRequest& request);

  // The two transactions an API server lives on, each one round trip:
  // create `key` only if it does not exist (compare version == 0); the new revision, or
  // nullopt when the key was already there.
  StoreResult<std::optional<Revision>> create_if_absent(const std::string& key, const std::string& value,
                                                        LeaseId lease = 0);
  // replace `key` only if its mod_revision is still `expected` (optimistic concurrency, the
  // resourceVersion check); the new revision, or nullopt when someone changed it first.
  StoreResult<std::optional<Revision>> update_if_unchanged(const std::string& key, const std::string& value,
                                                           Revision expected);

  // Sends raw bytes to a path and returns (HTTP status, body): for tests of bad input.
  StoreResult<std::pair<int, std::string>> post_raw(const std::string& path, const std::string& body);

  const std::string& endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace deploylab::store
