// orchestrator/store/gateway/gateway_test.cpp: the gateway over real HTTP on loopback, in front
// of a FakeStore: bad input gets etcd-style 4xx bodies and the server stays up, watch streams
// arrive line by line and free their watcher when the client hangs up, and watchers cannot
// starve the other clients (gateway.h).
#include "orchestrator/store/gateway/gateway.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/unique_fd.h"
#include "orchestrator/store/gateway/fake_store.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::gateway {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// A raw HTTP connection, to read a stream as it arrives and to hang up at any moment.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }

  bool connected() const { return connected_; }

  void post(const std::string& path, const std::string& body) {
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    ASSERT_EQ(::send(fd_.get(), request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  }

  // Reads until `needle` was received (true) or `timeout` passed (false).
  bool wait_for(std::string_view needle, milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(needle) == std::string::npos) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd ready{fd_.get(), POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      ssize_t got = ::recv(fd_.get(), buffer, sizeof buffer, 0);
      if (got <= 0) return false;
      received_.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
  }

  const std::string& received() const { return received_; }
  void hang_up() { fd_.reset(); }

 private:
  UniqueFd fd_;
  bool connected_ = false;
  std::string received_;
};

// Waits up to `timeout` for `condition`.
template <class Condition>
bool eventually(Condition condition, milliseconds timeout = milliseconds(3000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override { start(GatewayOptions{}); }

  void start(GatewayOptions options) {
    gateway.reset();
    options.watch_poll = milliseconds(50);
    gateway = std::make_unique<Gateway>(store, options);
    auto started = gateway->start();
    ASSERT_TRUE(started.ok()) << started.error().message();
    ASSERT_GT(gateway->port(), 0);
  }

  httplib::Client client() { return httplib::Client("127.0.0.1", gateway->port()); }

  // POSTs and returns (status, body); status -1 when there was no answer at all.
  std::pair<int, std::string> post(const std::string& path, const std::string& body) {
    auto result = client().Post(path, body, "application/json");
    if (!result) return {-1, httplib::to_string(result.error())};
    return {result->status, result->body};
  }

  void expect_still_serving() {
    auto [status, body] = post("/v3/kv/range", R"({"key":"YQ=="})");
    EXPECT_EQ(status, 200) << "the gateway must keep serving after bad input: " << body;
  }

  // Checks `body` is etcd's error shape with grpc `code`.
  static void expect_error_body(const std::string& body, int code) {
    json parsed = json::parse(body, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << "an error body is JSON: " << body;
    EXPECT_TRUE(parsed.contains("error") && parsed.contains("message")) << body;
    EXPECT_EQ(parsed.value("code", -1), code) << body;
  }

  testing::FakeStore store;
  std::unique_ptr<Gateway> gateway;
};

TEST_F(GatewayTest, AnswersAUnaryRequestWithJson) {
  auto result = client().Post("/v3/kv/range", R"({"key":"Zm9v"})", "application/json");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(result->body)["kvs"][0]["key"], "Zm9v");
}

TEST_F(GatewayTest, UnknownPathsAndMethodsGetErrorBodies) {
  auto [status, body] = post("/v3/kv/nope", "{}");
  EXPECT_EQ(status, 404);
  expect_error_body(body, 5);
  auto get = client().Get("/v3/kv/range");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405) << "a known path with the wrong method";
  expect_error_body(get->body, 3);
  auto root = client().Get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 404);
  expect_error_body(root->body, 5);
  expect_still_serving();
}

TEST_F(GatewayTest, TheContentTypeDoesNotMatter) {
  // curl -d sends application/x-www-form-urlencoded; etcd reads the body as JSON all the same.
  std::string value = store::json::base64_encode(std::string(100000, 'x'));
  auto result = client().Post("/v3/kv/put", R"({"key":"YQ==","value":")" + value + R"("})",
                              "application/x-www-form-urlencoded");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  ASSERT_TRUE(store.last_put.has_value());
  EXPECT_EQ(store.last_put->value.size(), 100000u);
}

TEST_F(GatewayTest, BadJsonIs400AndTheServerStaysUp) {
  auto [status, body] = post("/v3/kv/range", "{bad");
  EXPECT_EQ(status, 400);
  expect_error_body(body, 3);
  expect_still_serving();
}

TEST_F(GatewayTest, ABodyTooLargeToReadIsRefusedAndTheServerStaysUp) {
  std::string huge(max_body_bytes(kDefaultMaxRequestBytes) + 1, ' ');
  auto [status, body] = post("/v3/kv/put", huge);
  EXPECT_EQ(status, 413) << body.substr(0, 200);
  expect_error_body(body, 3);
  EXPECT_NE(body.find("etcdserver: request is too large"), std::string::npos) << body;
  EXPECT_FALSE(store.last_put.has_value());
  expect_still_serving();

  // The same keep-alive connection must not read the rest of the refused body as a request.
  httplib::Client same = client();
  same.set_keep_alive(true);
  auto refused = same.Post("/v3/kv/put", huge, "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  auto next = same.Post("/v3/kv/range", R"({"key":"YQ=="})", "application/json");
  ASSERT_TRUE(next) << httplib::to_string(next.error());
  EXPECT_EQ(next->status, 200) << next->body;
}

class ThrowingStore : public testing::FakeStore {
 public:
  StoreResult<RangeResponse> range(const RangeRequest&) override { throw std::runtime_error("a bug"); }
};

TEST(GatewayExceptions, AStoreThatThrowsGives500AndTheServerStaysUp) {
  ThrowingStore store;
  Gateway gateway(store, GatewayOptions{});
  ASSERT_TRUE(gateway.start().ok());
  httplib::Client client("127.0.0.1", gateway.port());
  auto result = client.Post("/v3/kv/range", R"({"key":"YQ=="})", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 500);
  EXPECT_NE(result->body.find("a bug"), std::string::npos) << result->body;
  auto after = client.Post("/v3/kv/put", R"({"key":"YQ=="})", "application/json");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(GatewayTest, AWatchStreamsLinesAndStaysOpen) {
  RawConnection watch(gateway->port());
  ASSERT_TRUE(watch.connected());
  watch.post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
  WatchResponse created;
  created.revision = 7;
  created.created = true;
  store.watch_script.push(created);
  ASSERT_TRUE(watch.wait_for("\"created\":true", milliseconds(3000))) << watch.received();
  EXPECT_NE(watch.received().find("Transfer-Encoding: chunked"), std::string::npos) << watch.received();
  EXPECT_EQ(store.last_watch->key, "w");

  WatchResponse event;
  event.revision = 8;
  event.events.push_back(Event{.type = EventType::put, .kv = KeyValue{}, .prev_kv = std::nullopt});
  event.events[0].kv.key = "w";
  store.watch_script.push(event);
  ASSERT_TRUE(watch.wait_for("\"events\"", milliseconds(3000))) << watch.received();
  EXPECT_NE(watch.received().find("}}\n"), std::string::npos) << "each message ends with a newline";
}

TEST_F(GatewayTest, AClientThatHangsUpFreesItsWatcherAndThread) {
  {
    RawConnection watch(gateway->port());
    watch.post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
    ASSERT_TRUE(eventually([&] { return store.watch_script.alive == 1; })) << "the watch did not open";
    watch.hang_up();
  }
  EXPECT_TRUE(eventually([&] { return store.watch_script.alive == 0; }))
      << "the watcher of a client that went away must be freed";
  EXPECT_EQ(store.watch_script.canceled, 1);
  expect_still_serving();
}

TEST_F(GatewayTest, StopEndsOpenWatchStreams) {
  RawConnection watch(gateway->port());
  watch.post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
  ASSERT_TRUE(eventually([&] { return store.watch_script.alive == 1; }));
  auto started = std::chrono::steady_clock::now();
  gateway->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3)) << "stop() waited too long";
  EXPECT_EQ(store.watch_script.alive, 0);
}

TEST_F(GatewayTest, WatchersBeyondTheLimitGet503) {
  GatewayOptions options;
  options.threads = 8;
  options.max_watches = 2;
  start(options);
  std::vector<std::unique_ptr<RawConnection>> watches;
  for (int i = 0; i < 2; ++i) {
    watches.push_back(std::make_unique<RawConnection>(gateway->port()));
    watches.back()->post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
  }
  ASSERT_TRUE(eventually([&] { return store.watch_script.alive == 2; }));
  auto [status, body] = post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
  EXPECT_EQ(status, 503) << body;
  expect_error_body(body, 14);
  expect_still_serving();
}

TEST_F(GatewayTest, SixtyFourWatchersDoNotStarveSixteenClients) {
  std::vector<std::unique_ptr<RawConnection>> watches;
  for (int i = 0; i < 64; ++i) {
    watches.push_back(std::make_unique<RawConnection>(gateway->port()));
    watches.back()->post("/v3/watch", R"({"create_request":{"key":"dw=="}})");
  }
  ASSERT_TRUE(eventually([&] { return store.watch_script.alive == 64; }, milliseconds(10000)))
      << store.watch_script.alive << " of 64 watches opened";
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&] {
      httplib::Client http("127.0.0.1", gateway->port());
      for (int request = 0; request < 20; ++request) {
        auto result = http.Post("/v3/kv/put", R"({"key":"YQ==","value":"Yg=="})", "application/json");
        if (result && result->status == 200) ++answered;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(answered, 16 * 20) << "every client request is answered while 64 watches are open";
}

TEST(GatewayStart, APortInUseIsAnErrorThatNamesIt) {
  testing::FakeStore store;
  Gateway first(store, GatewayOptions{});
  ASSERT_TRUE(first.start().ok());
  GatewayOptions same;
  same.port = first.port();
  Gateway second(store, same);
  auto started = second.start();
  ASSERT_FALSE(started.ok()) << "two gateways on one port";
  EXPECT_NE(started.error().message().find(std::to_string(first.port())), std::string::npos)
      << started.error().message();
}

}  // namespace
}  // namespace deploylab::store::gateway
