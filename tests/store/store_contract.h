// tests/store/store_contract.h: the fixture every contract suite shares (lab 10).
//
// The contract tests say what a store must do, in etcd 3.4's terms, and run unchanged against a
// real etcd and against ministore: each TEST_P runs once per ServerKind. Starting etcd costs
// about a second (it elects itself leader), so a server is started on the first test of a suite
// and shared by all the suite's tests; each test works under its own key prefix so that tests
// never see each other's keys. A machine without the binary skips with the reason.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/temp_dir.h"
#include "orchestrator/store/client/store_client.h"
#include "orchestrator/store/client/store_server.h"
#include "orchestrator/store/kv.h"

namespace deploylab::store::contract {

// A server of one kind with its scratch directory (removed after the server stopped).
struct RunningServer {
  TempDir dir;
  StoreServer server;
};

// Starts a server of `kind` in a new temp dir; throws ErrorException (with the server's log)
// if it does not come up.
std::unique_ptr<RunningServer> start_server(ServerKind kind, std::vector<std::string> extra_args = {});

// Test names end in /etcd or /ministore.
std::string kind_name(const ::testing::TestParamInfo<ServerKind>& info);

class StoreContract : public ::testing::TestWithParam<ServerKind> {
 protected:
  void SetUp() override;
  static void TearDownTestSuite();  // stops the suite's servers

  // A new client (its own connection) to this test's server.
  StoreClient connect() const;
  // The test's own key: "/contract/Stores/<Suite>.<Test>/<kind>/<name>".
  std::string key(const std::string& name) const;
  // The prefix all of this test's keys share (ends in '/').
  std::string prefix() const;
  StoreServer& server() const;
  // The test's connection, for its plain calls.
  StoreClient& client() { return *client_; }

 private:
  std::unique_ptr<StoreClient> client_;
};

// ---- Small helpers over StoreClient; they fail the test (by throwing) when the store errs.

StoreClient connect_to(const std::string& endpoint);

// Puts `value` at `key`; the revision of the put.
Revision put(StoreClient& client, const std::string& key, const std::string& value, LeaseId lease = 0);
// The current version of `key`, or nullopt when it does not exist.
std::optional<KeyValue> get(StoreClient& client, const std::string& key, Revision at = 0);
// Every key under `prefix`, in key order.
std::vector<KeyValue> list(StoreClient& client, const std::string& prefix, Revision at = 0);
Revision current_revision(StoreClient& client);
std::string prefix_range_end(const std::string& prefix);

// Requests with only their key (and value) set, for transaction branches.
PutRequest put_op(const std::string& key, const std::string& value);
RangeRequest range_op(const std::string& key);
DeleteRangeRequest delete_op(const std::string& key);

// Reads messages until `count` events arrived or `timeout` passed; the events in order.
std::vector<Event> collect_events(WatchStream& stream, std::size_t count,
                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
// The next message, failing the test if none comes within `timeout`.
WatchResponse next_message(WatchStream& stream, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
// Opens a watch and consumes its `created` message.
std::unique_ptr<WatchStream> open_watch(StoreClient& client, const WatchRequest& request);

// "PUT /k@5=v" / "DELETE /k@6": events in failure messages.
std::string describe(const Event& event);
std::string describe(const std::vector<Event>& events);

}  // namespace deploylab::store::contract
