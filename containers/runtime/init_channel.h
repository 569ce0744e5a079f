// containers/runtime/init_channel.h: the conversation between `minictr create` and the
// container's init while the container is being built.
//
// The init is a child of `create`, already inside its new namespaces, and some steps need the
// parent, which is still outside them: only the parent can write the init's uid/gid maps (a
// process cannot map itself), and only from outside can the init be put into its cgroup before
// it makes its cgroup namespace. So they take turns over a socket pair (SOCK_SEQPACKET: every
// send is one message):
//
//   parent -> init   "go"             maps written, init is in its cgroup: set yourself up
//   init -> parent   "ready"          namespaces, mounts, limits and user done; waiting on the
//                                     exec fifo for `start` (exec_fifo.h)
//   init -> parent   "error: TEXT"    a step failed; the parent reports TEXT and cleans up
//
// A channel that closes without a word means the init died: the parent says so.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::ctr {

class InitChannel {
 public:
  // Two connected ends: the parent keeps the first, the init the second.
  static Result<std::pair<InitChannel, InitChannel>> make_pair();

  Result<void> send(std::string_view message);
  // The next message; "" when the other end closed. An error after `timeout`.
  Result<std::string> receive(std::chrono::milliseconds timeout);

  void close() { fd_.reset(); }
  int fd() const { return fd_.get(); }

 private:
  explicit InitChannel(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

// What the init sends when a step fails, and what the parent makes of it.
std::string init_error_message(const Error& error);
std::optional<std::string> parse_init_error(std::string_view message);

}  // namespace deploylab::ctr
