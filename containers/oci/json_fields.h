// containers/oci/json_fields.h: typed reads of a JSON object whose errors name the JSON path.
//
// config.json and our state records are JSON documents written by people and other tools, so
// every field is read through JsonObject, which checks its type and range and, when something is
// wrong, says where and what in the same shape a compiler would:
//
//   linux.uidMappings[0].size: must be an integer from 0 to 4294967295, not "65536"
//
// The path is the Error's innermost context layer (see common/error.h); the caller adds the file.
// JSON null counts as absent, as in Go's encoding/json that runc and containerd use: tools write
// `"options": null` for an empty list. Members the caller never asks for are ignored, which is how
// OCI runtimes stay forward-compatible with newer config.json files (see spec.h).
// This is an internal helper of containers/oci.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace deploylab::ctr {

using Json = nlohmann::json;

// Parses a JSON text; a syntax error says where: "JSON syntax error at line 3, column 7 (byte 41): ...".
Result<Json> parse_json_text(std::string_view text);
// An error about the value at `path`: message "<path>: <what> (hint: <hint>)". The path of the
// whole document is "".
Error json_error(std::string_view path, std::string what, std::string hint = {});
// A short rendering of a JSON value for "not ..." in messages: `"root"`, `12`, `an object`.
std::string json_seen(const Json& value);
// Whether `value` is a JSON integer in [min, max] (1.0 is not an integer: Go would refuse it too).
bool json_integer_in_range(const Json& value, std::int64_t min, std::uint64_t max);

// One JSON object and where it sits in its document ("process.user"). It points into the parsed
// document, which must outlive it.
class JsonObject {
 public:
  // The object at `path`; an error if `node` is not an object.
  static Result<JsonObject> from(const Json& node, std::string path);

  const std::string& path() const { return path_; }
  // The path of a member: "process" + "args" -> "process.args"; "" + "root" -> "root".
  std::string path_of(std::string_view key) const;
  // The member, or nullptr when it is absent or null.
  const Json* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  Result<std::string> required_string(std::string_view key) const;
  Result<std::string> string_or(std::string_view key, std::string fallback) const;
  Result<bool> bool_or(std::string_view key, bool fallback) const;
  // An integer that must fit in Int (its whole range, or [min, max] when given).
  template <class Int>
  Result<std::optional<Int>> optional_integer(std::string_view key, Int min = std::numeric_limits<Int>::min(),
                                              Int max = std::numeric_limits<Int>::max()) const;
  template <class Int>
  Result<Int> required_integer(std::string_view key, Int min = std::numeric_limits<Int>::min(),
                               Int max = std::numeric_limits<Int>::max()) const;
  // An array of strings; absent: empty.
  Result<std::vector<std::string>> string_array(std::string_view key) const;
  // An object whose values are all strings ("annotations", "sysctl"); absent: empty.
  Result<std::map<std::string, std::string>> string_map(std::string_view key) const;
  Result<std::optional<JsonObject>> optional_object(std::string_view key) const;
  Result<JsonObject> required_object(std::string_view key) const;
  // An array of objects, each with its path "key[i]"; absent: empty.
  Result<std::vector<JsonObject>> object_array(std::string_view key) const;

 private:
  JsonObject(const Json& node, std::string path) : node_(&node), path_(std::move(path)) {}
  Error missing(std::string_view key, std::string_view kind) const;
  Error integer_error(std::string_view key, const Json& value, std::int64_t min, std::uint64_t max) const;

  const Json* node_;
  std::string path_;
};

template <class Int>
Result<std::optional<Int>> JsonObject::optional_integer(std::string_view key, Int min, Int max) const {
  const Json* value = find(key);
  if (value == nullptr) return std::optional<Int>();
  auto low = static_cast<std::int64_t>(min);
  auto high = static_cast<std::uint64_t>(max);
  if (!json_integer_in_range(*value, low, high)) return integer_error(key, *value, low, high);
  return std::optional<Int>(value->get<Int>());
}

template <class Int>
Result<Int> JsonObject::required_integer(std::string_view key, Int min, Int max) const {
  auto value = DL_TRY(optional_integer<Int>(key, min, max));
  if (!value) return missing(key, "an integer");
  return *value;
}

}  // namespace deploylab::ctr
