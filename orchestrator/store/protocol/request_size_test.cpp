// orchestrator/store/protocol/request_size_test.cpp: request_size() draws etcd's
// --max-request-bytes line where etcd 3.4 drew it (request_size.h).
#include "orchestrator/store/protocol/request_size.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

TEST(RequestSize, MatchesWhatEtcdAcceptedAndRefused) {
  // etcd 3.4.23, default limit, key "big": a 1,572,000-byte value was stored, a 1,572,864-byte
  // value got "etcdserver: request is too large".
  PutRequest accepted{.key = "big", .value = std::string(1572000, 'x')};
  PutRequest refused{.key = "big", .value = std::string(1572864, 'x')};
  EXPECT_LE(request_size(accepted), kDefaultMaxRequestBytes) << "etcd accepted this put";
  EXPECT_GT(request_size(refused), kDefaultMaxRequestBytes) << "etcd refused this put";
}

TEST(RequestSize, CountsEveryOpOfATransaction) {
  TxnRequest txn;
  Compare compare;
  compare.target = Compare::Target::value;
  compare.key = "a";
  compare.value = std::string(100, 'c');
  txn.compare.push_back(compare);
  std::size_t empty = request_size(txn);
  txn.success.push_back(PutRequest{.key = "a", .value = std::string(1000, 'v')});
  txn.failure.push_back(DeleteRangeRequest{.key = std::string(500, 'k'), .range_end = "", .prev_kv = false});
  EXPECT_GE(request_size(txn), empty + 1500) << "both branches travel in the request";
}

TEST(RequestSize, SmallRequestsAreSmall) {
  EXPECT_LT(request_size(PutRequest{.key = "k", .value = "v"}), 64u);
  EXPECT_LT(request_size(DeleteRangeRequest{.key = "k", .range_end = "", .prev_kv = false}), 64u);
}

}  // namespace
}  // namespace deploylab::store
