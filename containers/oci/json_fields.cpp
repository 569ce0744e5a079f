// containers/oci/json_fields.cpp: JsonObject's typed reads (see json_fields.h).
#include "containers/oci/json_fields.h"

namespace deploylab::ctr {
namespace {

constexpr std::size_t kSeenLimit = 40;  // characters of a bad value quoted back in a message

// "line 3, column 7" of the byte at `offset` (0-based) of `text`.
std::string line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    column = text[i] == '\n' ? 1 : column + 1;
    line += text[i] == '\n' ? 1 : 0;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's text after its own "[json.exception...] parse error at line L, column C: " prefix.
std::string syntax_detail(const std::string& what) {
  auto column = what.find("column");
  auto colon = column == std::string::npos ? column : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

Result<Json> parse_json_text(std::string_view text) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte counts from 1 and points just past the character that broke the parse.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return Error::invalid("JSON syntax error at " + line_and_column(text, offset) + " (byte " +
                              std::to_string(offset) + "): " + syntax_detail(e.what()),
                          "", "check the commas, quotes and brackets around that place");
  }
}

Error json_error(std::string_view path, std::string what, std::string hint) {
  Error error = Error::invalid(std::move(what), "", std::move(hint));
  if (!path.empty()) error.with_context(std::string(path));
  return error;
}

std::string json_seen(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump();
  if (text.size() > kSeenLimit) text = text.substr(0, kSeenLimit) + "...";
  return text;
}

bool json_integer_in_range(const Json& value, std::int64_t min, std::uint64_t max) {
  if (value.is_number_unsigned()) {
    auto number = value.get<std::uint64_t>();
    return number <= max && (min <= 0 || number >= static_cast<std::uint64_t>(min));
  }
  if (!value.is_number_integer()) return false;
  auto number = value.get<std::int64_t>();
  return number >= min && (number < 0 || static_cast<std::uint64_t>(number) <= max);
}

Result<JsonObject> JsonObject::from(const Json& node, std::string path) {
  if (!node.is_object()) {
    std::string what = path.empty() ? "the document must be a JSON object" : "must be an object";
    return json_error(path, what + ", not " + json_seen(node));
  }
  return JsonObject(node, std::move(path));
}

std::string JsonObject::path_of(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

const Json* JsonObject::find(std::string_view key) const {
  auto it = node_->find(key);
  if (it == node_->end() || it->is_null()) return nullptr;
  return &*it;
}

Error JsonObject::missing(std::string_view key, std::string_view kind) const {
  return json_error(path_of(key), "is required (" + std::string(kind) + ")");
}

Error JsonObject::integer_error(std::string_view key, const Json& value, std::int64_t min,
                                std::uint64_t max) const {
  return json_error(path_of(key), "must be an integer from " + std::to_string(min) + " to " +
                                      std::to_string(max) + ", not " + json_seen(value));
}

Result<std::string> JsonObject::required_string(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return missing(key, "a string");
  if (!value->is_string()) return json_error(path_of(key), "must be a string, not " + json_seen(*value));
  return value->get<std::string>();
}

Result<std::string> JsonObject::string_or(std::string_view key, std::string fallback) const {
  if (!has(key)) return fallback;
  return required_string(key);
}

Result<bool> JsonObject::bool_or(std::string_view key, bool fallback) const {
  const Json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) return json_error(path_of(key), "must be true or false, not " + json_seen(*value));
  return value->get<bool>();
}

Result<std::vector<std::string>> JsonObject::string_array(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return std::vector<std::string>();
  if (!value->is_array()) return json_error(path_of(key), "must be an array of strings, not " + json_seen(*value));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    if (!item.is_string()) {
      return json_error(path_of(key) + "[" + std::to_string(i) + "]", "must be a string, not " + json_seen(item));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::map<std::string, std::string>> JsonObject::string_map(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return std::map<std::string, std::string>();
  if (!value->is_object()) {
    return json_error(path_of(key), "must be an object of strings, not " + json_seen(*value));
  }
  std::map<std::string, std::string> out;
  for (const auto& [name, item] : value->items()) {
    if (!item.is_string()) {
      return json_error(path_of(key) + "[\"" + name + "\"]", "must be a string, not " + json_seen(item));
    }
    out.emplace(name, item.get<std::string>());
  }
  return out;
}

Result<std::optional<JsonObject>> JsonObject::optional_object(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return std::optional<JsonObject>();
  return std::optional<JsonObject>(DL_TRY(from(*value, path_of(key))));
}

Result<JsonObject> JsonObject::required_object(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return missing(key, "an object");
  return from(*value, path_of(key));
}

Result<std::vector<JsonObject>> JsonObject::object_array(std::string_view key) const {
  const Json* value = find(key);
  if (value == nullptr) return std::vector<JsonObject>();
  if (!value->is_array()) return json_error(path_of(key), "must be an array of objects, not " + json_seen(*value));
  std::vector<JsonObject> out;
  for (std::size_t i = 0; i < value->size(); ++i) {
    out.push_back(DL_TRY(from((*value)[i], path_of(key) + "[" + std::to_string(i) + "]")));
  }
  return out;
}

}  // namespace deploylab::ctr
