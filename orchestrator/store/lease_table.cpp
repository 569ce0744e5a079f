// orchestrator/store/lease_table.cpp: leases and the keys attached to them (lease_table.h).
//
// Each key is attached to at most one lease, and the KeyValue of the key (in the KvIndex) says
// which: the table's key sets are the reverse index, kept in step by the writer as it applies
// puts and deletes (txn_apply.cpp), so a revoke finds its keys without scanning the store.
#include "orchestrator/store/lease_table.h"

#include <iterator>
#include <utility>

namespace deploylab::store {

const Lease* LeaseTable::find(LeaseId id) const {
  auto it = leases_.find(id);
  return it == leases_.end() ? nullptr : &it->second;
}

void LeaseTable::grant(LeaseId id, std::int64_t ttl) {
  // try_emplace leaves an existing lease (and its keys) alone; the caller refuses such a grant.
  leases_.try_emplace(id, Lease{.id = id, .ttl = ttl, .keys = {}});
}

std::vector<std::string> LeaseTable::revoke(LeaseId id) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return {};
  std::set<std::string>& keys = it->second.keys;
  // A std::set is ordered: the keys come out in key order, the order etcd deletes them in.
  std::vector<std::string> attached(std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
  leases_.erase(it);
  return attached;
}

void LeaseTable::attach(std::string_view key, LeaseId old_lease, LeaseId new_lease) {
  detach(key, old_lease);
  if (new_lease == 0) return;
  auto it = leases_.find(new_lease);
  if (it != leases_.end()) it->second.keys.emplace(key);
}

void LeaseTable::detach(std::string_view key, LeaseId lease) {
  if (lease == 0) return;
  auto it = leases_.find(lease);
  if (it != leases_.end()) it->second.keys.erase(std::string(key));
}

std::vector<LeaseId> LeaseTable::ids() const {
  std::vector<LeaseId> ids;
  ids.reserve(leases_.size());
  for (const auto& [id, lease] : leases_) ids.push_back(id);
  return ids;
}

}  // namespace deploylab::store
