// orchestrator/store/writer.cpp: the single writer with group commit (writer.h).
#include "orchestrator/store/writer.h"

#include <algorithm>
#include <exception>

namespace deploylab::store {

// The batch in progress: what goes to disk, and the compactions to run once it is there.
struct Writer::Batch {
  WriteBatch disk;
  std::vector<std::pair<std::size_t, Revision>> compactions;  // (answer index, revision)
  std::size_t answers = 0;                                    // answers given so far
};

namespace {

// Appends the events of one applied write; a write that changed something used `next`.
template <class Response>
Response take_events(Applied<Response>&& applied, WriteBatch& disk, Revision& revision) {
  if (!applied.events.empty()) {
    revision = applied.events.back().kv.mod_revision;
    disk.events.insert(disk.events.end(), std::make_move_iterator(applied.events.begin()),
                       std::make_move_iterator(applied.events.end()));
  }
  return std::move(applied.response);
}

StoreError unavailable(const std::string& why) { return StoreError::make(StoreErrc::unavailable, why); }

}  // namespace

Writer::Writer(SqliteBackend& backend, CommittedState& committed, WatchLog& log, LeaseClock& clock, WriterState state,
               Revision revision, Revision compact_revision, WriterLimits limits)
    : backend_(backend),
      committed_(committed),
      log_(log),
      clock_(clock),
      state_(std::move(state)),
      revision_(revision),
      compact_revision_(compact_revision),
      limits_(limits),
      lease_ids_(std::random_device{}()) {
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() { close(); }

void Writer::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Whatever is still queued (nothing, normally: run() drains) is refused.
  std::lock_guard lock(mutex_);
  for (auto& pending : queue_) pending->answer.set_value(unavailable("the store is closing"));
  queue_.clear();
}

StoreResult<WriteResponse> Writer::submit(WriteRequest request) {
  auto pending = std::make_unique<Pending>();
  pending->request = std::move(request);
  std::future<StoreResult<WriteResponse>> answer = pending->answer.get_future();
  {
    std::lock_guard lock(mutex_);
    if (closing_) return unavailable("the store is closing");
    queue_.push_back(std::move(pending));
  }
  queued_.notify_one();
  return answer.get();
}

std::uint64_t Writer::writes() const { return writes_.load(); }
std::uint64_t Writer::commits() const { return commits_.load(); }

void Writer::run() {
  while (true) {
    std::vector<std::unique_ptr<Pending>> pending = take_queue();
    if (pending.empty()) return;  // closing, and nothing left
    process(std::move(pending));
  }
}

// Waits for work, then takes everything queued (up to max_batch): one group commit's worth.
std::vector<std::unique_ptr<Writer::Pending>> Writer::take_queue() {
  std::unique_lock lock(mutex_);
  queued_.wait(lock, [this] { return closing_ || !queue_.empty(); });
  std::vector<std::unique_ptr<Pending>> taken;
  // BEGIN SOLUTION lab 10: group commit: take every request that is waiting
  while (!queue_.empty() && taken.size() < limits_.max_batch) {
    taken.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  // STUB:
  // // One request per commit: correct, but every write waits for an fsync of its own.
  // if (!queue_.empty()) {
  //   taken.push_back(std::move(queue_.front()));
  //   queue_.pop_front();
  // }
  // END SOLUTION
  return taken;
}

void Writer::process(std::vector<std::unique_ptr<Pending>> pending) {
  const Revision committed_revision = revision_;
  Batch batch;
  batch.disk.revision = revision_;
  std::vector<StoreResult<WriteResponse>> answers;
  std::string failure;  // set when the batch must be thrown away
  std::size_t taken = 0;
  for (; taken < pending.size(); ++taken) {
    // A lease granted and revoked (or the other way round) in one batch would replay in the
    // wrong order; such a request waits for the next batch.
    if (touches_batch_lease(pending[taken]->request, batch)) break;
    try {
      answers.push_back(apply(pending[taken]->request, batch));
    } catch (const std::exception& e) {  // a bug, or a student's unfinished lab task
      failure = e.what();
      ++taken;
      break;
    }
    batch.answers = answers.size();
  }
  if (taken < pending.size()) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = pending.size(); i > taken; --i) queue_.push_front(std::move(pending[i - 1]));
    pending.resize(taken);
  }
  writes_ += pending.size();
  batch.disk.revision = revision_;
  const bool wrote = !batch.disk.events.empty() || !batch.disk.leases_granted.empty() ||
                     !batch.disk.leases_revoked.empty();
  if (failure.empty() && wrote) {
    if (Result<void> committed = backend_.commit(batch.disk); !committed.ok()) {
      failure = "committing to disk: " + committed.error().message();
    } else {
      ++commits_;
    }
  }
  if (!failure.empty()) {
    // Nothing of this batch happened: start again from what readers see.
    state_ = committed_.copy();
    revision_ = committed_revision;
    const StoreError error = StoreError::make(StoreErrc::internal, failure);
    for (auto& p : pending) p->answer.set_value(error);
    return;
  }
  publish(batch);
  for (const auto& [index, revision] : batch.compactions) {
    Result<void> compacted = backend_.compact(revision);
    if (!compacted.ok()) {
      answers[index] = StoreError::make(StoreErrc::internal, "compacting: " + compacted.error().message());
      continue;
    }
    compact_revision_ = std::max(compact_revision_, revision);
    committed_.set_compact_revision(compact_revision_);
    (void)backend_.checkpoint();  // best effort: a busy checkpoint is retried after the next one
  }
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i]->answer.set_value(std::move(answers[i]));
}

StoreResult<WriteResponse> Writer::apply(const WriteRequest& request, Batch& batch) {
  const Revision next = revision_ + 1;
  auto wrap = [&](auto&& applied) -> StoreResult<WriteResponse> {
    if (!applied.ok()) return applied.error();
    return WriteResponse(take_events(std::move(applied).value(), batch.disk, revision_));
  };
  if (const auto* put = std::get_if<PutRequest>(&request)) return wrap(apply_put(state_, *put, next));
  if (const auto* del = std::get_if<DeleteRangeRequest>(&request)) return wrap(apply_delete_range(state_, *del, next));
  if (const auto* txn = std::get_if<TxnRequest>(&request)) return wrap(apply_txn(state_, *txn, next));
  if (const auto* grant = std::get_if<LeaseGrantRequest>(&request)) return apply_grant(*grant, batch);
  if (const auto* revoke = std::get_if<LeaseRevokeRequest>(&request)) return apply_revoke(*revoke, batch);
  return check_compaction(std::get<CompactionRequest>(request), batch);
}

StoreResult<WriteResponse> Writer::apply_grant(const LeaseGrantRequest& request, Batch& batch) {
  if (request.ttl > limits_.max_lease_ttl) return StoreError::make(StoreErrc::lease_ttl_too_large);
  if (request.id < 0) return StoreError::make(StoreErrc::invalid_argument, "lease ID must be positive");
  if (request.id != 0 && state_.leases.contains(request.id)) return StoreError::make(StoreErrc::lease_exists);
  LeaseId id = request.id;
  while (id == 0 || state_.leases.contains(id)) {
    id = static_cast<LeaseId>(lease_ids_() >> 1);  // positive 63-bit, as etcd's ids are
  }
  const std::int64_t ttl = std::max(request.ttl, limits_.min_lease_ttl);
  state_.leases.grant(id, ttl);
  batch.disk.leases_granted.emplace_back(id, ttl);
  return WriteResponse(LeaseGrantResponse{revision_, id, ttl});
}

StoreResult<WriteResponse> Writer::apply_revoke(const LeaseRevokeRequest& request, Batch& batch) {
  auto applied = apply_lease_revoke(state_, request.id, revision_ + 1);
  if (!applied.ok()) return applied.error();
  batch.disk.leases_revoked.push_back(request.id);
  return WriteResponse(take_events(std::move(applied).value(), batch.disk, revision_));
}

StoreResult<WriteResponse> Writer::check_compaction(const CompactionRequest& request, Batch& batch) {
  if (request.revision > revision_) return StoreError::make(StoreErrc::future_revision);
  if (request.revision <= compact_revision_) return StoreError::make(StoreErrc::compacted);
  for (const auto& [index, revision] : batch.compactions) {
    if (revision >= request.revision) return StoreError::make(StoreErrc::compacted);
  }
  batch.compactions.emplace_back(batch.answers, request.revision);
  return WriteResponse(CompactionResponse{revision_});
}

bool Writer::touches_batch_lease(const WriteRequest& request, const Batch& batch) const {
  LeaseId id = 0;
  if (const auto* grant = std::get_if<LeaseGrantRequest>(&request)) id = grant->id;
  if (const auto* revoke = std::get_if<LeaseRevokeRequest>(&request)) id = revoke->id;
  if (id == 0) return false;
  const auto& granted = batch.disk.leases_granted;
  const auto& revoked = batch.disk.leases_revoked;
  return std::any_of(granted.begin(), granted.end(), [&](const auto& g) { return g.first == id; }) ||
         std::find(revoked.begin(), revoked.end(), id) != revoked.end();
}

void Writer::publish(Batch& batch) {
  CommittedBatch committed{&batch.disk.events, &batch.disk.leases_granted, &batch.disk.leases_revoked,
                           batch.disk.revision};
  committed_.apply(committed);  // readers first, so a watcher that saw an event can read it
  const auto now = LeaseClock::Clock::now();
  for (const auto& [id, ttl] : batch.disk.leases_granted) clock_.start(id, ttl, now);
  for (LeaseId id : batch.disk.leases_revoked) clock_.forget(id);
  log_.publish(std::move(batch.disk.events), batch.disk.revision);
}

}  // namespace deploylab::store
