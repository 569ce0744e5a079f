// orchestrator/store/kv_index.h: the latest version of every live key, in key order (lab 10).
//
// The store keeps the current state in memory (etcd keeps its index in memory too): reads at
// the current revision and the compares of transactions look here; older revisions come from
// the history on disk (sqlite_backend.h). The writer owns one KvIndex it changes as it applies
// requests; readers see a second one that follows only committed batches (store.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchestrator/store/key_range.h"
#include "orchestrator/store/kv.h"

namespace deploylab::store {

class KvIndex {
 public:
  // The live version of `key`, if any.
  std::optional<KeyValue> get(std::string_view key) const;
  const KeyValue* find(std::string_view key) const;

  // Calls `visit` for each live key in `range`, in key order, until it returns false.
  void for_each(const KeyRange& range, const std::function<bool(const KeyValue&)>& visit) const;

  // Live keys in `range`, in order; at most `limit` of them when limit > 0.
  std::vector<KeyValue> range(const KeyRange& range, std::int64_t limit = 0) const;
  std::int64_t count(const KeyRange& range) const;

  void put(KeyValue kv);            // insert or replace kv.key
  void erase(std::string_view key);
  std::size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, KeyValue, std::less<>> keys_;
};

}  // namespace deploylab::store
