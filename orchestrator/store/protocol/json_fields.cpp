// orchestrator/store/protocol/json_fields.cpp: Reader's typed reads and the field writers
// (json_fields.h).
#include "orchestrator/store/protocol/json_fields.h"

#include <charconv>
#include <limits>

#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::json {
namespace {

constexpr std::size_t kQuoteLimit = 40;  // characters of a bad value quoted back in a message

// A short rendering of a bad value for a message: `"abc"`, `1.5`, `an object`.
std::string seen(const nlohmann::json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump();
  if (text.size() > kQuoteLimit) text = text.substr(0, kQuoteLimit) + "...";
  return text;
}

// A decimal integer in a string, as Go's ",string" int64 accepts it: digits with an optional
// leading '-', nothing else.
std::optional<std::int64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text == "-") return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string names_list(std::span<const std::string_view> names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

Reader::Reader(const nlohmann::json& object) : Reader(object, "", nullptr) {}

Reader::Reader(const nlohmann::json& value, std::string path, std::optional<StoreError>* error)
    : object_(&value), path_(std::move(path)), error_(error != nullptr ? error : &own_error_) {
  if (value.is_object()) return;
  object_ = nullptr;
  fail_path(path_.empty() ? "body" : path_, "not a JSON object but " + seen(value));
}

const nlohmann::json* Reader::find(std::string_view name) const {
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool Reader::has(std::string_view name) const { return find(name) != nullptr; }

std::string Reader::path_of(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

std::string Reader::array_path(std::string_view name, std::size_t index) const {
  return path_of(name) + "[" + std::to_string(index) + "]";
}

void Reader::fail_path(const std::string& path, std::string_view problem) {
  if (error_->has_value()) return;
  *error_ = StoreError::make(StoreErrc::invalid_argument, path + ": " + std::string(problem));
}

void Reader::fail(std::string_view name, std::string_view problem) { fail_path(path_of(name), problem); }

void Reader::fail_here(std::string_view problem) { fail_path(path_.empty() ? "body" : path_, problem); }

void Reader::fail(StoreError error) {
  if (!error_->has_value()) *error_ = std::move(error);
}

std::string Reader::bytes_value(const nlohmann::json& value, const std::string& path) {
  if (!value.is_string()) {
    fail_path(path, "not a base64 string but " + seen(value));
    return {};
  }
  auto decoded = base64_decode(value.get_ref<const std::string&>());
  if (!decoded) {
    fail_path(path, "not base64");
    return {};
  }
  return std::move(*decoded);
}

std::int64_t Reader::int64_value(const nlohmann::json& value, const std::string& path) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max()) {
    return static_cast<std::int64_t>(value.get<std::uint64_t>());
  }
  if (value.is_string()) {
    if (auto parsed = parse_decimal(value.get_ref<const std::string&>())) return *parsed;
  }
  fail_path(path, "not a 64-bit integer but " + seen(value));
  return 0;
}

int Reader::enumeration_value(const nlohmann::json& value, const std::string& path,
                              std::span<const std::string_view> names) {
  if (value.is_string()) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (value.get_ref<const std::string&>() == names[i]) return static_cast<int>(i);
    }
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
      value.get<std::int64_t>() < static_cast<std::int64_t>(names.size())) {
    return static_cast<int>(value.get<std::int64_t>());
  }
  fail_path(path, "unknown value " + seen(value) + " (one of " + names_list(names) + ")");
  return 0;
}

std::string Reader::bytes(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return {};
  return bytes_value(*value, path_of(name));
}

std::string Reader::string(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return {};
  if (value->is_string()) return value->get<std::string>();
  fail(name, "not a string but " + seen(*value));
  return {};
}

std::int64_t Reader::int64(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return 0;
  return int64_value(*value, path_of(name));
}

bool Reader::boolean(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return false;
  if (value->is_boolean()) return value->get<bool>();
  fail(name, "not true or false but " + seen(*value));
  return false;
}

int Reader::enumeration(std::string_view name, std::span<const std::string_view> names) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return 0;
  return enumeration_value(*value, path_of(name), names);
}

const nlohmann::json* Reader::array(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr || !ok()) return nullptr;
  if (value->is_array()) return value;
  fail(name, "not an array but " + seen(*value));
  return nullptr;
}

std::vector<std::string> Reader::bytes_array(std::string_view name) {
  std::vector<std::string> out;
  const nlohmann::json* elements = array(name);
  if (elements == nullptr) return out;
  for (std::size_t i = 0; i < elements->size() && ok(); ++i) {
    out.push_back(bytes_value((*elements)[i], array_path(name, i)));
  }
  return ok() ? out : std::vector<std::string>{};
}

std::vector<int> Reader::enumeration_array(std::string_view name, std::span<const std::string_view> names) {
  std::vector<int> out;
  const nlohmann::json* elements = array(name);
  if (elements == nullptr) return out;
  for (std::size_t i = 0; i < elements->size() && ok(); ++i) {
    out.push_back(enumeration_value((*elements)[i], array_path(name, i), names));
  }
  return ok() ? out : std::vector<int>{};
}

void put_bytes(nlohmann::json& out, const char* name, std::string_view bytes) {
  if (!bytes.empty()) out[name] = base64_encode(bytes);
}

void put_int64(nlohmann::json& out, const char* name, std::int64_t value) {
  if (value != 0) out[name] = std::to_string(value);
}

void put_bool(nlohmann::json& out, const char* name, bool value) {
  if (value) out[name] = true;
}

nlohmann::json response_header(Revision revision) {
  nlohmann::json header = {{"cluster_id", "1"}, {"member_id", "1"}, {"raft_term", "1"}};
  put_int64(header, "revision", revision);
  return header;
}

Revision read_header_revision(Reader& in) {
  Revision revision = 0;
  in.object("header", [&](Reader& header) { revision = header.int64("revision"); });
  return revision;
}

}  // namespace deploylab::store::json
