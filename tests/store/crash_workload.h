// tests/store/crash_workload.h: the writers, the watcher and the checks of the crash test
// (store_crash_test.cpp, lab 10).
//
// The crash test's claim is etcd's durability promise: a write the store acknowledged is never
// lost, whatever moment the server dies at. Writers record every acknowledged write (key,
// value, revision); a watcher follows all their keys through every crash, resuming from the
// last revision it saw + 1; afterwards the checks below compare what was acknowledged and what
// was watched with what the store holds. A write that failed (the server died during it) may
// or may not have happened: the checks never count on it either way.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "orchestrator/store/client/store_client.h"
#include "orchestrator/store/kv.h"

namespace deploylab::store::crash {

// One acknowledged write.
struct Ack {
  int writer = 0;
  std::int64_t seq = 0;  // the writer's own counter, in the value "w<writer>:<seq>"
  std::string key;
  std::string value;
  Revision revision = 0;
};

// A writer: its own connection and its own keys under `prefix`w<id>/. Each round is a put of
// one of a few keys, or a create_if_absent of a fresh key; a round that fails with
// `unavailable` (server down) is dropped and the writer goes on after a short pause.
class Writer {
 public:
  Writer(int id, std::string endpoint, std::string prefix, std::uint64_t seed);
  void run(const std::atomic<bool>& stop);

  int id() const { return id_; }
  const std::vector<Ack>& acks() const { return acks_; }
  // Failures other than `unavailable`: each one is a bug.
  const std::vector<std::string>& errors() const { return errors_; }
  std::size_t failed_rounds() const { return failed_rounds_; }

 private:
  // The next round; false when the store was unavailable.
  bool round();
  std::string value(std::int64_t seq) const;

  int id_;
  StoreClient client_;
  std::string prefix_;  // this writer's keys
  std::mt19937_64 random_;
  std::int64_t seq_ = 0;
  std::vector<Ack> acks_;
  std::vector<std::string> errors_;
  std::size_t failed_rounds_ = 0;
};

// Follows every key under `prefix` from `start`, resuming after each break, until it has seen
// revision `until` (set by the test once the writers stopped).
class Watcher {
 public:
  Watcher(std::string endpoint, std::string prefix, Revision start);
  void run(const std::atomic<Revision>& until, const std::atomic<bool>& give_up);

  const std::vector<Event>& events() const { return events_; }
  const std::vector<std::string>& errors() const { return errors_; }
  std::size_t resumes() const { return resumes_; }
  Revision last_seen() const { return last_seen_; }

 private:
  // Reads one stream until it breaks or `until` is reached; false when it broke.
  bool follow(WatchStream& stream, const std::atomic<Revision>& until, const std::atomic<bool>& give_up);

  StoreClient client_;
  std::string prefix_;
  Revision start_;
  Revision last_seen_ = 0;
  std::vector<Event> events_;
  std::vector<std::string> errors_;
  std::size_t resumes_ = 0;
};

// ---- The checks. Each returns what it found wrong, one line per problem (empty: all good).

// Every acknowledged write is in the store's history at its revision, with its value: one
// range at that revision per write, spread over a few connections.
std::vector<std::string> check_acks_in_history(const std::string& endpoint, const std::vector<Ack>& acks);
// Each writer's acknowledged revisions strictly increase, and no two acknowledged writes
// share a revision (each request is its own revision).
std::vector<std::string> check_revisions(const std::vector<std::vector<Ack>>& by_writer);
// Each key under `prefix` holds its writer's last acknowledged value or a later one.
std::vector<std::string> check_current_values(StoreClient& client, const std::string& prefix,
                                              const std::vector<Ack>& acks);
// The resumed watcher saw exactly `history` (one fresh watch over the same range afterwards):
// same events in the same order, so none lost or repeated across the crashes; the history has
// every revision from `start` to `end` (only the writers write, so there is no gap); and among
// the events there is exactly one put for every acknowledged write.
std::vector<std::string> check_watch(const std::vector<Event>& seen, const std::vector<Event>& history,
                                     const std::vector<Ack>& acks, Revision start, Revision end);

}  // namespace deploylab::store::crash
