// orchestrator/store/lease_clock.cpp: lease deadlines (lease_clock.h).
#include "orchestrator/store/lease_clock.h"

namespace deploylab::store {

void LeaseClock::start(LeaseId id, std::int64_t ttl, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  leases_[id] = Countdown{ttl, now + std::chrono::seconds(ttl)};
  expiring_.erase(id);
}

std::optional<std::int64_t> LeaseClock::renew(LeaseId id, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = leases_.find(id);
  if (it == leases_.end() || expiring_.count(id) != 0 || it->second.deadline <= now) return std::nullopt;
  it->second.deadline = now + std::chrono::seconds(it->second.ttl);
  return it->second.ttl;
}

std::optional<std::int64_t> LeaseClock::remaining(LeaseId id, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  auto it = leases_.find(id);
  if (it == leases_.end()) return std::nullopt;
  if (it->second.deadline <= now) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(it->second.deadline - now).count();
}

std::vector<LeaseId> LeaseClock::expired(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::vector<LeaseId> ids;
  for (const auto& [id, countdown] : leases_) {
    if (countdown.deadline <= now && expiring_.insert(id).second) ids.push_back(id);
  }
  return ids;
}

void LeaseClock::forget(LeaseId id) {
  std::lock_guard lock(mutex_);
  leases_.erase(id);
  expiring_.erase(id);
}

}  // namespace deploylab::store
