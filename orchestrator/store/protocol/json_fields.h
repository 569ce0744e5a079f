// orchestrator/store/protocol/json_fields.h: reading and writing the fields of etcd's JSON, one
// typed field at a time (internal to protocol/; json_codec.h is the interface).
//
// etcd's gateway decodes requests with Go's encoding/json, so a field is read as Go would:
// absent and null both mean the default, members nobody asks for are ignored, 64-bit integers
// come as decimal strings ("5") or as JSON integers (5, never 5.0 or 1e2), bytes as base64,
// enums by name ("NOT_EQUAL") or by number (3), booleans only as true/false.
//
// Reader keeps the FIRST problem it meets, with the path of the field ("compare[1].key: not
// base64"), and from then on every read returns a default. A decoder therefore reads straight
// through, with no error check after each field, and looks at the error once at the end.
// Writers do the reverse and, like etcd, leave out every field that holds its default.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store::json {

class Reader {
 public:
  // Reads the members of `object` (which must outlive the Reader); not an object: an error.
  explicit Reader(const nlohmann::json& object);
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  std::string bytes(std::string_view name);   // base64; absent: ""
  std::string string(std::string_view name);  // plain text; absent: ""
  std::int64_t int64(std::string_view name);  // absent: 0
  bool boolean(std::string_view name);        // absent: false
  // An enum: names[i] is the name of value i; absent: 0.
  int enumeration(std::string_view name, std::span<const std::string_view> names);
  std::vector<std::string> bytes_array(std::string_view name);
  std::vector<int> enumeration_array(std::string_view name, std::span<const std::string_view> names);

  // The object this Reader reads (nullptr when it is not an object).
  const nlohmann::json* document() const { return object_; }
  // Whether the member is there (and not null).
  bool has(std::string_view name) const;
  // Calls read(Reader&) with the object member `name`, when it is there.
  template <class Read>
  void object(std::string_view name, Read&& read);
  // Calls read(Reader&) with each element of the array member `name`, which must be objects.
  template <class Read>
  void objects(std::string_view name, Read&& read);

  // Records a problem with member `name`, or with this object itself (kept only if it is the
  // first problem of the document).
  void fail(std::string_view name, std::string_view problem);
  void fail_here(std::string_view problem);
  // Records an error that is not about the JSON itself (an error the server sent in a stream).
  void fail(StoreError error);
  bool ok() const { return !error_->has_value(); }
  // The first problem, as an invalid_argument StoreError; nullopt when every read went well.
  std::optional<StoreError> error() const { return *error_; }

 private:
  Reader(const nlohmann::json& value, std::string path, std::optional<StoreError>* error);
  const nlohmann::json* find(std::string_view name) const;
  std::string path_of(std::string_view name) const;
  std::string array_path(std::string_view name, std::size_t index) const;
  // The value-level checks, shared by single members and array elements.
  std::string bytes_value(const nlohmann::json& value, const std::string& path);
  std::int64_t int64_value(const nlohmann::json& value, const std::string& path);
  int enumeration_value(const nlohmann::json& value, const std::string& path,
                        std::span<const std::string_view> names);
  void fail_path(const std::string& path, std::string_view problem);
  // Validates that an array member is an array; nullptr when absent or wrong.
  const nlohmann::json* array(std::string_view name);

  const nlohmann::json* object_;       // what this Reader reads; null once it proved not an object
  std::string path_;                   // "" for the document, "compare[1]" for a nested object
  std::optional<StoreError> own_error_;
  std::optional<StoreError>* error_;   // the document's one error slot, shared by nested Readers
};

template <class Read>
void Reader::object(std::string_view name, Read&& read) {
  const nlohmann::json* member = find(name);
  if (member == nullptr || !ok()) return;
  Reader nested(*member, path_of(name), error_);
  if (nested.ok()) read(nested);
}

template <class Read>
void Reader::objects(std::string_view name, Read&& read) {
  const nlohmann::json* elements = array(name);
  if (elements == nullptr) return;
  for (std::size_t i = 0; i < elements->size() && ok(); ++i) {
    Reader nested((*elements)[i], array_path(name, i), error_);
    if (nested.ok()) read(nested);
  }
}

// Writers: each leaves the field out when it holds its default, as etcd does.
void put_bytes(nlohmann::json& out, const char* name, std::string_view bytes);  // base64
void put_int64(nlohmann::json& out, const char* name, std::int64_t value);      // "decimal"
void put_bool(nlohmann::json& out, const char* name, bool value);

// The header every response carries. ministore is one member without raft, so the cluster and
// member ids and the raft term are constants; a revision of 0 is left out (etcd's cancel
// message of a compacted watch has none).
nlohmann::json response_header(Revision revision);
// The revision of a response's "header" (0 when absent).
Revision read_header_revision(Reader& in);

}  // namespace deploylab::store::json
