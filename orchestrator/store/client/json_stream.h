// orchestrator/store/client/json_stream.h: cuts a stream of JSON objects into messages (lab 10).
//
// A watch is one long HTTP response in which the server writes one JSON object per message,
// {"result": {...}} followed by a newline, as etcd's gateway does. TCP delivers that stream in
// chunks that have nothing to do with the messages: one read may end in the middle of a
// message, or hold three. JsonStreamSplitter takes the chunks in order and hands back each
// whole top-level object as soon as its closing brace arrives. It counts braces and brackets,
// skipping those inside strings (a value may well contain "}" or an escaped quote), so it
// does not depend on the newlines. Pure logic, tested in json_stream_test.cpp; the watch stream
// (http_watch_stream.cpp) feeds it from its reader thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace deploylab::store {

class JsonStreamSplitter {
 public:
  // Appends `bytes` and returns the objects they complete, in order (each one's exact text).
  // Bytes between objects (the newlines) are dropped.
  std::vector<std::string> feed(std::string_view bytes);

  // Bytes of an object that has begun but not ended yet.
  std::size_t pending() const { return partial_.size(); }

 private:
  // Takes one byte; true when it closed a top-level object.
  bool take(char c);

  std::string partial_;    // the object being read, from its opening brace
  int depth_ = 0;          // open braces and brackets in partial_
  bool in_string_ = false;  // inside "..."
  bool escaped_ = false;    // the previous byte was a backslash inside a string
};

}  // namespace deploylab::store
