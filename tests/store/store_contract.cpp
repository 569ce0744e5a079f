// tests/store/store_contract.cpp: the shared fixture and helpers of the contract suites (see
// store_contract.h).
#include "tests/store/store_contract.h"

#include "orchestrator/store/key_range.h"

namespace deploylab::store::contract {
namespace {

// The servers of the running suite, by kind; emptied when the suite ends.
std::map<ServerKind, std::unique_ptr<RunningServer>>& suite_servers() {
  static std::map<ServerKind, std::unique_ptr<RunningServer>> servers;
  return servers;
}

std::string event_type(EventType type) { return type == EventType::put ? "PUT" : "DELETE"; }

}  // namespace

std::unique_ptr<RunningServer> start_server(ServerKind kind, std::vector<std::string> extra_args) {
  TempDir dir = TempDir::create("deploylab-test-" + to_string(kind) + "-").value();
  StoreServerOptions options;
  options.kind = kind;
  options.data_dir = dir.path();
  options.extra_args = std::move(extra_args);
  StoreServer server = StoreServer::start(options).value();
  return std::make_unique<RunningServer>(RunningServer{std::move(dir), std::move(server)});
}

std::string kind_name(const ::testing::TestParamInfo<ServerKind>& info) { return to_string(info.param); }

void StoreContract::SetUp() {
  if (auto why = server_unavailable(GetParam())) GTEST_SKIP() << *why;
  auto& servers = suite_servers();
  if (!servers.contains(GetParam())) servers[GetParam()] = start_server(GetParam());
  client_ = std::make_unique<StoreClient>(connect());
}

void StoreContract::TearDownTestSuite() { suite_servers().clear(); }

StoreClient StoreContract::connect() const { return connect_to(server().endpoint()); }

StoreClient connect_to(const std::string& endpoint) {
  StoreClient::Options options;
  options.endpoint = endpoint;
  return StoreClient(options);
}

StoreServer& StoreContract::server() const { return suite_servers().at(GetParam())->server; }

std::string StoreContract::prefix() const {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return "/contract/" + std::string(test->test_suite_name()) + "." + test->name() + "/";
}

std::string StoreContract::key(const std::string& name) const { return prefix() + name; }

Revision put(StoreClient& client, const std::string& key, const std::string& value, LeaseId lease) {
  PutRequest request;
  request.key = key;
  request.value = value;
  request.lease = lease;
  return client.put(request).value().revision;
}

std::optional<KeyValue> get(StoreClient& client, const std::string& key, Revision at) {
  RangeRequest request;
  request.key = key;
  request.revision = at;
  RangeResponse response = client.range(request).value();
  if (response.kvs.empty()) return std::nullopt;
  return response.kvs.front();
}

std::vector<KeyValue> list(StoreClient& client, const std::string& prefix, Revision at) {
  RangeRequest request;
  request.key = prefix;
  request.range_end = prefix_range_end(prefix);
  request.revision = at;
  return client.range(request).value().kvs;
}

Revision current_revision(StoreClient& client) {
  RangeRequest request;
  request.key = std::string(1, '\0');
  request.count_only = true;
  return client.range(request).value().revision;
}

std::string prefix_range_end(const std::string& prefix) { return prefix_end(prefix); }

PutRequest put_op(const std::string& key, const std::string& value) {
  PutRequest request;
  request.key = key;
  request.value = value;
  return request;
}

RangeRequest range_op(const std::string& key) {
  RangeRequest request;
  request.key = key;
  return request;
}

DeleteRangeRequest delete_op(const std::string& key) {
  DeleteRangeRequest request;
  request.key = key;
  return request;
}

std::vector<Event> collect_events(WatchStream& stream, std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<Event> events;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events.size() < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto message = stream.next(left).value();
    if (!message) break;
    if (message->canceled) {
      ADD_FAILURE() << "the watch was canceled: " << message->cancel_reason;
      break;
    }
    for (auto& event : message->events) events.push_back(std::move(event));
  }
  return events;
}

WatchResponse next_message(WatchStream& stream, std::chrono::milliseconds timeout) {
  auto message = stream.next(timeout).value();
  if (!message) throw std::runtime_error("no watch message within " + std::to_string(timeout.count()) + " ms");
  return *message;
}

std::unique_ptr<WatchStream> open_watch(StoreClient& client, const WatchRequest& request) {
  std::unique_ptr<WatchStream> stream = client.watch(request).value();
  WatchResponse first = next_message(*stream);
  if (!first.created) {
    throw std::runtime_error("the first message of a watch should be `created`; got canceled=" +
                             std::to_string(first.canceled) + " with " + std::to_string(first.events.size()) +
                             " events");
  }
  return stream;
}

std::string describe(const Event& event) {
  std::string text = event_type(event.type) + " " + event.kv.key + "@" + std::to_string(event.kv.mod_revision);
  if (event.type == EventType::put) text += "=" + event.kv.value;
  if (event.prev_kv) text += " (prev " + event.prev_kv->value + "@" + std::to_string(event.prev_kv->mod_revision) + ")";
  return text;
}

std::string describe(const std::vector<Event>& events) {
  std::string text = "[";
  for (const Event& event : events) text += (text.size() > 1 ? ", " : "") + describe(event);
  return text + "]";
}

}  // namespace deploylab::store::contract
