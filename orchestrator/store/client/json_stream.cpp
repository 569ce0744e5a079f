// orchestrator/store/client/json_stream.cpp: JsonStreamSplitter (see json_stream.h).
#include "orchestrator/store/client/json_stream.h"

namespace deploylab::store {

std::vector<std::string> JsonStreamSplitter::feed(std::string_view bytes) {
  std::vector<std::string> messages;
  for (char c : bytes) {
    if (!take(c)) continue;
    messages.push_back(std::move(partial_));
    partial_.clear();
  }
  return messages;
}

bool JsonStreamSplitter::take(char c) {
  // Between messages only an opening brace or bracket starts something; the rest (newlines,
  // spaces) separates messages and is dropped.
  if (depth_ == 0) {
    if (c != '{' && c != '[') return false;
    partial_.push_back(c);
    depth_ = 1;
    return false;
  }
  partial_.push_back(c);
  if (in_string_) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
    return false;
  }
  if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if (c == '}' || c == ']') {
    --depth_;
  }
  return depth_ == 0;
}

}  // namespace deploylab::store
