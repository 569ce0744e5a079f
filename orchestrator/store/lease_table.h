// orchestrator/store/lease_table.h: which leases exist, their TTLs and their keys (lab 10).
//
// A lease is a promise with a deadline: a kubelet grants one, attaches its node's heartbeat
// key to it and keeps it alive; when the kubelet dies the keepalives stop, the lease expires
// and the store deletes the key, which is how the control plane learns the node is gone.
// This table is the bookkeeping only (pure; no clock): leases and the keys attached to them.
// The deadlines live with the store (store.cpp), which revokes a lease through the writer
// when its deadline passes, so an expiry is an ordinary, durable, watched delete.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/store/kv.h"

namespace deploylab::store {

struct Lease {
  LeaseId id = 0;
  std::int64_t ttl = 0;  // granted TTL, seconds
  std::set<std::string> keys;
};

class LeaseTable {
 public:
  bool contains(LeaseId id) const { return leases_.count(id) != 0; }
  const Lease* find(LeaseId id) const;

  // Adds a lease (the caller checked the id is free and ttl > 0).
  void grant(LeaseId id, std::int64_t ttl);
  // Removes the lease and returns the keys that were attached to it (to be deleted).
  std::vector<std::string> revoke(LeaseId id);

  // Key bookkeeping, called as puts and deletes are applied: a key moves from `old_lease` to
  // `new_lease` (either may be 0).
  void attach(std::string_view key, LeaseId old_lease, LeaseId new_lease);
  void detach(std::string_view key, LeaseId lease);

  std::vector<LeaseId> ids() const;
  std::size_t size() const { return leases_.size(); }

 private:
  std::map<LeaseId, Lease> leases_;
};

}  // namespace deploylab::store
