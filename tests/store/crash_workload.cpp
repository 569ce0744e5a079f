// tests/store/crash_workload.cpp: writers, watcher and checks of the crash test (see
// crash_workload.h).
#include "tests/store/crash_workload.h"

#include <map>
#include <optional>
#include <set>
#include <thread>

#include "orchestrator/store/key_range.h"

namespace deploylab::store::crash {
namespace {

using namespace std::chrono_literals;

constexpr int kKeysPerWriter = 8;  // the keys a writer puts over and over
constexpr auto kPauseWhenDown = 20ms;

StoreClient connect(const std::string& endpoint) {
  StoreClient::Options options;
  options.endpoint = endpoint;
  options.timeout = 5000ms;
  return StoreClient(options);
}

std::string describe(const Ack& ack) {
  return ack.key + "=" + ack.value + "@" + std::to_string(ack.revision);
}

std::string describe(const Event& event) {
  return std::string(event.type == EventType::put ? "PUT " : "DELETE ") + event.kv.key + "=" + event.kv.value + "@" +
         std::to_string(event.kv.mod_revision);
}

// The seq of a value "w<writer>:<seq>", or -1.
std::int64_t seq_of(const std::string& value) {
  auto colon = value.find(':');
  if (colon == std::string::npos) return -1;
  return std::stoll(value.substr(colon + 1));
}

}  // namespace

Writer::Writer(int id, std::string endpoint, std::string prefix, std::uint64_t seed)
    : id_(id),
      client_(connect(endpoint)),
      prefix_(prefix + "w" + std::to_string(id) + "/"),
      random_(seed + static_cast<std::uint64_t>(id)) {}

std::string Writer::value(std::int64_t seq) const { return "w" + std::to_string(id_) + ":" + std::to_string(seq); }

void Writer::run(const std::atomic<bool>& stop) {
  while (!stop) {
    if (!round()) {
      ++failed_rounds_;
      std::this_thread::sleep_for(kPauseWhenDown);
    }
  }
}

bool Writer::round() {
  std::int64_t seq = ++seq_;
  Ack ack{id_, seq, {}, value(seq), 0};
  StoreError error;
  if (random_() % 3 == 0) {
    ack.key = prefix_ + "c" + std::to_string(seq);  // a fresh key: the create must succeed
    auto created = client_.create_if_absent(ack.key, ack.value);
    if (created.ok() && !created.value()) {
      errors_.push_back("create_if_absent of the fresh key " + ack.key + " found it present");
      return true;
    }
    if (created.ok()) ack.revision = *created.value();
    if (!created.ok()) error = created.error();
  } else {
    ack.key = prefix_ + "k" + std::to_string(random_() % kKeysPerWriter);
    PutRequest put;
    put.key = ack.key;
    put.value = ack.value;
    auto response = client_.put(put);
    if (response.ok()) ack.revision = response.value().revision;
    if (!response.ok()) error = response.error();
  }
  if (ack.revision != 0) {
    acks_.push_back(std::move(ack));
    return true;
  }
  if (error.code != StoreErrc::unavailable) errors_.push_back("writing " + ack.key + ": " + error.message);
  return false;
}

Watcher::Watcher(std::string endpoint, std::string prefix, Revision start)
    : client_(connect(endpoint)), prefix_(std::move(prefix)), start_(start), last_seen_(start - 1) {}

void Watcher::run(const std::atomic<Revision>& until, const std::atomic<bool>& give_up) {
  while (!give_up && last_seen_ < until) {
    WatchRequest request;
    request.key = prefix_;
    request.range_end = prefix_end(prefix_);
    request.start_revision = last_seen_ + 1;
    auto stream = client_.watch(request);
    if (!stream.ok()) {
      if (stream.error().code != StoreErrc::unavailable) errors_.push_back("watch: " + stream.error().message);
      std::this_thread::sleep_for(kPauseWhenDown);
      continue;
    }
    if (!follow(*stream.value(), until, give_up)) ++resumes_;
  }
}

bool Watcher::follow(WatchStream& stream, const std::atomic<Revision>& until, const std::atomic<bool>& give_up) {
  while (!give_up && last_seen_ < until) {
    auto message = stream.next(100ms);
    if (!message.ok()) return false;  // broken: resume from last_seen_ + 1
    if (!message.value()) continue;
    const WatchResponse& response = *message.value();
    if (response.canceled) {
      errors_.push_back("watch canceled from " + std::to_string(last_seen_ + 1) + ": " + response.cancel_reason +
                        " (compact_revision " + std::to_string(response.compact_revision) + ")");
      return false;
    }
    for (const Event& event : response.events) {
      events_.push_back(event);
      last_seen_ = std::max(last_seen_, event.kv.mod_revision);
    }
  }
  return true;
}

namespace {

// Whether `ack` is in the history at its revision; what is wrong if not.
std::optional<std::string> find_in_history(StoreClient& client, const Ack& ack) {
  RangeRequest request;
  request.key = ack.key;
  request.revision = ack.revision;
  auto read = client.range(request);
  if (!read.ok()) return "reading acknowledged " + describe(ack) + ": " + read.error().message;
  if (read.value().kvs.empty()) return "acknowledged " + describe(ack) + " is LOST: no such key at that revision";
  const KeyValue& kv = read.value().kvs[0];
  if (kv.value == ack.value && kv.mod_revision == ack.revision) return std::nullopt;
  return "acknowledged " + describe(ack) + " is LOST: at that revision the key holds " + kv.value + "@" +
         std::to_string(kv.mod_revision);
}

}  // namespace

std::vector<std::string> check_acks_in_history(const std::string& endpoint, const std::vector<Ack>& acks) {
  constexpr std::size_t kReaders = 4;
  std::vector<std::vector<std::string>> found(kReaders);
  std::vector<std::thread> readers;
  for (std::size_t r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      StoreClient client = connect(endpoint);
      for (std::size_t i = r; i < acks.size(); i += kReaders) {
        if (auto problem = find_in_history(client, acks[i])) found[r].push_back(*problem);
      }
    });
  }
  for (auto& reader : readers) reader.join();
  std::vector<std::string> problems;
  for (auto& some : found) problems.insert(problems.end(), some.begin(), some.end());
  return problems;
}

std::vector<std::string> check_revisions(const std::vector<std::vector<Ack>>& by_writer) {
  std::vector<std::string> problems;
  std::map<Revision, const Ack*> owner;
  for (const auto& acks : by_writer) {
    for (std::size_t i = 0; i < acks.size(); ++i) {
      if (i > 0 && acks[i].revision <= acks[i - 1].revision) {
        problems.push_back("writer " + std::to_string(acks[i].writer) + ": " + describe(acks[i]) +
                           " acknowledged after " + describe(acks[i - 1]) + ": revisions must increase");
      }
      auto [it, fresh] = owner.emplace(acks[i].revision, &acks[i]);
      if (!fresh) {
        problems.push_back("two acknowledged writes share revision " + std::to_string(acks[i].revision) + ": " +
                           describe(*it->second) + " and " + describe(acks[i]));
      }
    }
  }
  return problems;
}

std::vector<std::string> check_current_values(StoreClient& client, const std::string& prefix,
                                              const std::vector<Ack>& acks) {
  std::map<std::string, const Ack*> last;  // per key, the latest acknowledged write
  for (const Ack& ack : acks) {
    auto& slot = last[ack.key];
    if (slot == nullptr || slot->seq < ack.seq) slot = &ack;
  }
  RangeRequest request;  // every key at once
  request.key = prefix;
  request.range_end = prefix_end(prefix);
  auto read = client.range(request);
  if (!read.ok()) return {"reading the keys under " + prefix + ": " + read.error().message};
  std::map<std::string, KeyValue> current;
  for (const KeyValue& kv : read.value().kvs) current[kv.key] = kv;
  std::vector<std::string> problems;
  for (const auto& [key, ack] : last) {
    auto found = current.find(key);
    if (found == current.end()) {
      problems.push_back("key " + key + " is gone; last acknowledged " + describe(*ack));
      continue;
    }
    const KeyValue& kv = found->second;
    bool same_writer = kv.value.rfind("w" + std::to_string(ack->writer) + ":", 0) == 0;
    if (!same_writer || seq_of(kv.value) < ack->seq || kv.mod_revision < ack->revision) {
      problems.push_back("key " + key + " holds " + kv.value + "@" + std::to_string(kv.mod_revision) +
                         ", older than the acknowledged " + describe(*ack));
    }
  }
  return problems;
}

std::vector<std::string> check_watch(const std::vector<Event>& seen, const std::vector<Event>& history,
                                     const std::vector<Ack>& acks, Revision start, Revision end) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < std::max(seen.size(), history.size()); ++i) {
    if (i < seen.size() && i < history.size() && seen[i] == history[i]) continue;
    problems.push_back("the resumed watch diverges from the history at event " + std::to_string(i) + ": saw " +
                       (i < seen.size() ? describe(seen[i]) : "nothing") + ", history has " +
                       (i < history.size() ? describe(history[i]) : "nothing"));
    break;  // everything after the first divergence differs too
  }
  std::set<Revision> revisions;
  for (const Event& event : history) revisions.insert(event.kv.mod_revision);
  for (Revision r = start; r <= end; ++r) {
    if (!revisions.contains(r)) problems.push_back("no event at revision " + std::to_string(r) + " in the history");
    if (problems.size() > 20) return problems;
  }
  std::map<std::pair<Revision, std::string>, int> puts;
  for (const Event& event : seen) {
    if (event.type == EventType::put) ++puts[{event.kv.mod_revision, event.kv.key}];
  }
  for (const Ack& ack : acks) {
    int count = puts[{ack.revision, ack.key}];
    if (count != 1) {
      problems.push_back("the watcher saw acknowledged " + describe(ack) + " " + std::to_string(count) +
                         " times, not once");
    }
    if (problems.size() > 20) break;
  }
  return problems;
}

}  // namespace deploylab::store::crash
