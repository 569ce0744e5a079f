// orchestrator/store/kv.h: the data model of the store (lab 10), in etcd v3's terms.
//
// The store is one ordered map from byte-string keys to byte-string values, with history. Every
// write moves one store-wide counter, the revision, forward by one; every version of every key
// remembers the revision that created the key, the revision that last changed it, how many
// times it changed since it was created (its version, which starts again at 1 after a delete)
// and the lease it is attached to. The request and response structs mirror etcd's
// etcdserverpb messages field by field, so the JSON gateway (protocol/) is a plain translation
// and the client (client/) speaks to ministore and to a real etcd alike.
//
// Key ranges follow etcd: `range_end` empty means the single key `key`; otherwise the range is
// [key, range_end); a range_end of "\0" (one zero byte) means every key >= key, and key "\0"
// with range_end "\0" means all keys. key_range.h has the helpers (prefix_end, contains).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace deploylab::store {

using Revision = std::int64_t;  // store-wide, starts at 1 for an empty store
using LeaseId = std::int64_t;   // 0 means "no lease"

// One version of one key.
struct KeyValue {
  std::string key;
  std::string value;
  Revision create_revision = 0;  // the revision that created the key (since its last delete)
  Revision mod_revision = 0;     // the revision of this version
  std::int64_t version = 0;      // 1 at creation, +1 per put; a deleted key has none
  LeaseId lease = 0;
  bool operator==(const KeyValue&) const = default;
};

// What a watcher sees. A delete's `kv` has only the key and the mod_revision of the delete,
// as in etcd. `prev_kv` is the version before the change, when the watcher asked for it.
enum class EventType { put, remove };
struct Event {
  EventType type = EventType::put;
  KeyValue kv;
  std::optional<KeyValue> prev_kv;
  bool operator==(const Event&) const = default;
};

// ---- KV requests and responses. `revision` in a response is the header's revision: the
// ---- store's current revision after the request (also for a read of an older revision).

struct RangeRequest {
  std::string key;
  std::string range_end;
  std::int64_t limit = 0;  // 0: no limit
  Revision revision = 0;   // 0 or less: the current revision
  bool keys_only = false;  // values left empty
  bool count_only = false; // no kvs, only count
};
struct RangeResponse {
  Revision revision = 0;
  std::vector<KeyValue> kvs;  // ordered by key
  bool more = false;          // limit cut the answer short
  std::int64_t count = 0;     // keys in the range, whatever the limit
};

struct PutRequest {
  std::string key;
  std::string value;
  LeaseId lease = 0;
  bool prev_kv = false;
  bool ignore_value = false;  // keep the current value (the key must exist)
  bool ignore_lease = false;  // keep the current lease (the key must exist)
};
struct PutResponse {
  Revision revision = 0;
  std::optional<KeyValue> prev_kv;
};

struct DeleteRangeRequest {
  std::string key;
  std::string range_end;
  bool prev_kv = false;
};
struct DeleteRangeResponse {
  Revision revision = 0;
  std::int64_t deleted = 0;
  std::vector<KeyValue> prev_kvs;  // when prev_kv was asked
};

// A condition of a transaction: "<target of key> <result> <operand>". Over a range, it must
// hold for every key in the range. A missing key has version, create and mod revision 0, an
// empty value and lease 0 (so `version == 0` means "absent": create-if-absent).
struct Compare {
  enum class Target { version, create, mod, value, lease };
  enum class Result { equal, greater, less, not_equal };
  Target target = Target::version;
  Result result = Result::equal;
  std::string key;
  std::string range_end;
  std::int64_t number = 0;  // version, create/mod revision or lease
  std::string value;        // for Target::value
};

using RequestOp = std::variant<RangeRequest, PutRequest, DeleteRangeRequest>;
using ResponseOp = std::variant<RangeResponse, PutResponse, DeleteRangeResponse>;

// If every compare holds, `success` runs, otherwise `failure`; atomically, at one revision.
struct TxnRequest {
  std::vector<Compare> compare;
  std::vector<RequestOp> success;
  std::vector<RequestOp> failure;
};
struct TxnResponse {
  Revision revision = 0;
  bool succeeded = false;
  std::vector<ResponseOp> responses;  // one per op of the branch that ran
};

struct CompactionRequest {
  Revision revision = 0;  // history before it is forgotten; reads below it fail
  bool physical = false;  // etcd: wait until it is on disk (ministore always does)
};
struct CompactionResponse {
  Revision revision = 0;
};

// ---- Leases: a TTL in seconds; keys attached to a lease are deleted when it expires or is
// ---- revoked. Keepalive restarts the countdown.

struct LeaseGrantRequest {
  std::int64_t ttl = 0;  // seconds, > 0
  LeaseId id = 0;        // 0: the store picks one
};
struct LeaseGrantResponse {
  Revision revision = 0;
  LeaseId id = 0;
  std::int64_t ttl = 0;
};
struct LeaseRevokeRequest {
  LeaseId id = 0;
};
struct LeaseRevokeResponse {
  Revision revision = 0;
};
struct LeaseKeepAliveRequest {
  LeaseId id = 0;
};
struct LeaseKeepAliveResponse {
  Revision revision = 0;
  LeaseId id = 0;
  std::int64_t ttl = 0;  // the new TTL; 0 or less: the lease is gone
};
struct LeaseTimeToLiveRequest {
  LeaseId id = 0;
  bool keys = false;  // list the attached keys
};
struct LeaseTimeToLiveResponse {
  Revision revision = 0;
  LeaseId id = 0;
  std::int64_t ttl = 0;          // seconds left; -1: no such lease (as etcd)
  std::int64_t granted_ttl = 0;
  std::vector<std::string> keys;
};

// ---- Watch: events on a key or range from `start_revision` (inclusive; 0 = from now on).

struct WatchRequest {
  std::string key;
  std::string range_end;
  Revision start_revision = 0;
  bool prev_kv = false;
  bool no_put = false;     // etcd's NOPUT filter
  bool no_delete = false;  // etcd's NODELETE filter
  bool progress_notify = false;  // accepted; ministore sends no progress messages (etcd: one
                                 // after 10 minutes without events)
};
// One message of a watch stream: the creation, a batch of events (all of one or more whole
// revisions, in order), or the cancellation (with compact_revision when the start revision was
// already compacted: the watcher must re-list and watch again from a newer revision).
struct WatchResponse {
  Revision revision = 0;
  std::int64_t watch_id = 0;
  bool created = false;
  bool canceled = false;
  Revision compact_revision = 0;
  std::string cancel_reason;
  std::vector<Event> events;
};

}  // namespace deploylab::store
