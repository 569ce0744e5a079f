// bench/store/store_workloads.cpp: puts, ranges and watch delivery against one endpoint (see
// store_workloads.h).
#include "bench/store/store_workloads.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>

#include "orchestrator/store/client/store_client.h"
#include "orchestrator/store/key_range.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;
using store::StoreClient;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

Error failed(const std::string& doing, const store::StoreError& error) {
  return Error::invalid(doing + ": " + error.message);
}

StoreClient connect(const std::string& endpoint) {
  StoreClient::Options options;  // the default timeout per request (10 s)
  options.endpoint = endpoint;
  return StoreClient(options);
}

// A value of `bytes` bytes; the content does not matter (neither store compresses).
std::string value_of(int bytes) { return std::string(static_cast<std::size_t>(bytes), 'v'); }

// What one put client did.
struct Tally {
  std::int64_t puts = 0;
  Clock::time_point last{};
  std::vector<double> latency_us;
  std::string failure;
};

// One client's loop: distinct keys PREFIX<n>, one put at a time, until `end` or a stop.
void put_until(StoreClient& client, const std::string& prefix, const std::string& value, Clock::time_point end,
               const std::atomic<bool>& stop, Tally& tally) {
  store::PutRequest put;
  put.value = value;
  for (std::int64_t n = 0; Clock::now() < end && !stop.load(std::memory_order_relaxed); ++n) {
    put.key = prefix + std::to_string(n);
    Clock::time_point before = Clock::now();
    auto done = client.put(put);
    Clock::time_point after = Clock::now();
    if (!done.ok()) {
      tally.failure = "put " + put.key + ": " + done.error().message;
      return;
    }
    ++tally.puts;
    tally.last = after;
    tally.latency_us.push_back(micros(after - before));
  }
}

// Opens every client's connection before the clock starts (a count-only range), so the window
// times puts, not TCP handshakes.
Result<std::vector<StoreClient>> open_clients(const std::string& endpoint, int count, const std::string& prefix) {
  std::vector<StoreClient> clients;
  store::RangeRequest probe;
  probe.key = prefix;
  probe.count_only = true;
  for (int i = 0; i < count; ++i) {
    clients.push_back(connect(endpoint));
    auto ready = clients.back().range(probe);
    if (!ready.ok()) return failed("range " + prefix + " on " + endpoint, ready.error());
  }
  return clients;
}

PutResults merge(std::vector<Tally>& tallies, Clock::time_point start) {
  PutResults results;
  Clock::time_point last = start;
  for (Tally& t : tallies) {
    results.puts += t.puts;
    last = std::max(last, t.last);
    results.latency_us.insert(results.latency_us.end(), t.latency_us.begin(), t.latency_us.end());
  }
  results.seconds = std::chrono::duration<double>(last - start).count();
  return results;
}

// The watcher's side: a thread that reads the stream and stamps the arrival of PREFIX<n> in
// slot n. The destructor stops and joins it.
class EventClock {
 public:
  EventClock(std::unique_ptr<store::WatchStream> stream, std::string prefix, int events)
      : stream_(std::move(stream)), prefix_(std::move(prefix)), arrived_(static_cast<std::size_t>(events)) {
    thread_ = std::thread([this] { read(); });
  }
  ~EventClock() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    thread_.join();
  }

  // When event `n` arrived; nullopt when it did not arrive before `deadline`, or the stream broke
  // (then `failure` says why).
  std::optional<Clock::time_point> wait_for(std::size_t n, Clock::time_point deadline, std::string& failure) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, deadline, [&] { return arrived_[n].has_value() || !failure_.empty(); });
    failure = failure_;
    return arrived_[n];
  }

 private:
  void read() {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (done_) return;
      }
      auto message = stream_->next(std::chrono::milliseconds(50));
      Clock::time_point now = Clock::now();
      if (!message.ok()) return fail("the watch stream broke: " + message.error().message);
      if (!message.value()) continue;
      if (message.value()->canceled) return fail("the watch was canceled: " + message.value()->cancel_reason);
      stamp(message.value()->events, now);
    }
  }
  void stamp(const std::vector<store::Event>& events, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    for (const store::Event& event : events) {
      std::size_t n = 0;
      const char* digits = event.kv.key.data() + std::min(prefix_.size(), event.kv.key.size());
      auto parsed = std::from_chars(digits, event.kv.key.data() + event.kv.key.size(), n);
      if (parsed.ec == std::errc() && n < arrived_.size() && !arrived_[n]) arrived_[n] = now;
    }
    cv_.notify_all();
  }
  void fail(std::string why) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(why);
    cv_.notify_all();
  }

  std::unique_ptr<store::WatchStream> stream_;
  std::string prefix_;
  std::thread thread_;
  std::mutex mutex_;  // guards the fields below
  std::condition_variable cv_;
  std::vector<std::optional<Clock::time_point>> arrived_;
  std::string failure_;
  bool done_ = false;
};

// A watch on `prefix` from now on, once the store has confirmed it (the `created` message).
Result<std::unique_ptr<store::WatchStream>> open_watch(StoreClient& client, const std::string& prefix) {
  store::WatchRequest request;
  request.key = prefix;
  request.range_end = store::prefix_end(prefix);
  auto stream = client.watch(request);
  if (!stream.ok()) return failed("watch " + prefix, stream.error());
  auto first = stream.value()->next(std::chrono::seconds(10));
  if (!first.ok()) return failed("waiting for the watch on " + prefix + " to start", first.error());
  if (!first.value() || !first.value()->created) {
    return Error::invalid("the watch on " + prefix + " did not start within 10 s (no `created` message)");
  }
  return std::move(stream).value();
}

}  // namespace

Result<PutResults> measure_puts(const PutWorkload& work, const std::atomic<bool>& stop) {
  std::vector<StoreClient> clients = DL_TRY(open_clients(work.endpoint, work.clients, work.prefix));
  std::vector<Tally> tallies(clients.size());
  const std::string value = value_of(work.value_bytes);
  std::latch go(1);
  Clock::time_point start, end;  // written before go opens, read after
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    threads.emplace_back([&, i] {
      go.wait();
      put_until(clients[i], work.prefix + std::to_string(i) + "/", value, end, stop, tallies[i]);
    });
  }
  start = Clock::now();
  end = start + std::chrono::duration_cast<Clock::duration>(work.window);
  go.count_down();
  for (std::thread& t : threads) t.join();
  for (const Tally& t : tallies) {
    if (!t.failure.empty()) return Error::invalid(t.failure);
  }
  return merge(tallies, start);
}

std::string numbered_key(const std::string& prefix, int n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", n);
  return prefix + digits;
}

Result<void> preload_keys(const std::string& endpoint, const std::string& prefix, int keys, int value_bytes) {
  StoreClient client = connect(endpoint);
  const std::string value = value_of(value_bytes);
  for (int first = 0; first < keys; first += 100) {
    store::TxnRequest txn;
    for (int i = first; i < std::min(keys, first + 100); ++i) {
      store::PutRequest put;
      put.key = numbered_key(prefix, i);
      put.value = value;
      txn.success.push_back(put);
    }
    auto done = client.txn(txn);
    if (!done.ok()) return failed("preloading " + prefix + " on " + endpoint, done.error());
  }
  return {};
}

Result<std::vector<double>> measure_ranges(const std::string& endpoint, const store::RangeRequest& request,
                                           int count, std::int64_t expect_keys, const std::atomic<bool>& stop) {
  StoreClient client = connect(endpoint);
  std::vector<double> latency_us;
  for (int i = 0; i < count && !stop.load(std::memory_order_relaxed); ++i) {
    Clock::time_point before = Clock::now();
    auto answer = client.range(request);
    Clock::time_point after = Clock::now();
    if (!answer.ok()) return failed("range " + request.key, answer.error());
    auto got = static_cast<std::int64_t>(answer.value().kvs.size());
    if (got != expect_keys) {
      return Error::invalid("range " + request.key + " returned " + std::to_string(got) + " keys, expected " +
                            std::to_string(expect_keys));
    }
    if (i > 0) latency_us.push_back(micros(after - before));  // the first one opened the connection
  }
  return latency_us;
}

Result<WatchResults> measure_watch(const WatchWorkload& work, const std::atomic<bool>& stop) {
  StoreClient watcher = connect(work.endpoint), writer = connect(work.endpoint);
  EventClock events(DL_TRY(open_watch(watcher, work.prefix)), work.prefix, work.events);
  WatchResults results;
  store::PutRequest put;
  put.value = value_of(work.value_bytes);
  for (int n = 0; n < work.events && !stop.load(std::memory_order_relaxed); ++n) {
    put.key = work.prefix + std::to_string(n);
    Clock::time_point sent = Clock::now();
    auto done = writer.put(put);
    Clock::time_point acked = Clock::now();
    if (!done.ok()) return failed("put " + put.key, done.error());
    std::string failure;
    auto arrived = events.wait_for(static_cast<std::size_t>(n), acked + work.deadline, failure);
    if (!arrived) {
      return Error::invalid("the event of " + put.key + " did not reach the watcher within " +
                            std::to_string(work.deadline.count()) + " ms" + (failure.empty() ? "" : ": " + failure));
    }
    results.sent_us.push_back(micros(*arrived - sent));
    results.acked_us.push_back(micros(*arrived - acked));
  }
  return results;
}

}  // namespace deploylab::bench
