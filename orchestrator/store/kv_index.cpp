// orchestrator/store/kv_index.cpp: the live keys in key order (kv_index.h), an ordered map.
//
// A range is a walk from the first key >= range.key while the key stays inside the range, so
// a range costs O(log n + k) for k keys, and a single key O(log n). (etcd keeps a B-tree of
// keys to revisions and reads the values from bbolt; holding the latest version itself in the
// map lets reads at the current revision skip the disk entirely.)
#include "orchestrator/store/kv_index.h"

#include <utility>

namespace deploylab::store {

std::optional<KeyValue> KvIndex::get(std::string_view key) const {
  const KeyValue* kv = find(key);
  if (kv == nullptr) return std::nullopt;
  return *kv;
}

const KeyValue* KvIndex::find(std::string_view key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

void KvIndex::for_each(const KeyRange& range, const std::function<bool(const KeyValue&)>& visit) const {
  if (range.is_single_key()) {
    if (const KeyValue* kv = find(range.key)) visit(*kv);
    return;
  }
  for (auto it = keys_.lower_bound(range.key); it != keys_.end() && contains(range, it->first); ++it) {
    if (!visit(it->second)) return;
  }
}

std::vector<KeyValue> KvIndex::range(const KeyRange& range, std::int64_t limit) const {
  std::vector<KeyValue> found;
  for_each(range, [&](const KeyValue& kv) {
    found.push_back(kv);
    return limit <= 0 || static_cast<std::int64_t>(found.size()) < limit;
  });
  return found;
}

std::int64_t KvIndex::count(const KeyRange& range) const {
  std::int64_t n = 0;
  for_each(range, [&](const KeyValue&) {
    ++n;
    return true;
  });
  return n;
}

void KvIndex::put(KeyValue kv) {
  std::string key = kv.key;
  keys_.insert_or_assign(std::move(key), std::move(kv));
}

void KvIndex::erase(std::string_view key) {
  auto it = keys_.find(key);
  if (it != keys_.end()) keys_.erase(it);
}

}  // namespace deploylab::store
