// orchestrator/store/lease_clock.h: when each lease runs out (lab 10).
//
// The lease table (lease_table.h) says which leases exist; this says when each one expires.
// Deadlines are not written to disk: a keepalive would otherwise cost an fsync. After a
// restart every lease starts again with its full TTL (etcd does the same when a new leader
// takes over), so a lease granted before a crash still expires, at most one TTL later.
// Thread-safe; the time is passed in, so tests need no sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "orchestrator/store/kv.h"

namespace deploylab::store {

class LeaseClock {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts (or restarts) the countdown of `id`: it expires `ttl` seconds after `now`.
  void start(LeaseId id, std::int64_t ttl, Clock::time_point now);
  // A keepalive: restarts the countdown and returns the TTL; nullopt when the lease is unknown
  // or already past its deadline (it is being revoked; the holder must grant a new one).
  std::optional<std::int64_t> renew(LeaseId id, Clock::time_point now);
  // Whole seconds left (rounded down, as etcd reports them); nullopt when unknown.
  std::optional<std::int64_t> remaining(LeaseId id, Clock::time_point now) const;
  // Leases past their deadline that have not been handed out by expired() before. The caller
  // revokes them and then calls forget().
  std::vector<LeaseId> expired(Clock::time_point now);
  void forget(LeaseId id);

 private:
  struct Countdown {
    std::int64_t ttl = 0;
    Clock::time_point deadline;
  };
  mutable std::mutex mutex_;
  std::map<LeaseId, Countdown> leases_;
  std::set<LeaseId> expiring_;  // handed out by expired(), not yet forgotten
};

}  // namespace deploylab::store
