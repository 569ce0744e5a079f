// containers/net/rollback.h: undo steps for a multi-step change, run in reverse unless the
// change went through.
//
// Connecting a container takes several steps (an address, a veth, addresses and routes inside,
// iptables rules). If step 4 fails, steps 1-3 must be undone, or the host keeps half a
// configuration nobody owns. Each step that succeeds pushes its undo; commit() at the end keeps
// everything; any early return runs the undos, newest first.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace deploylab::ctr {

class Rollback {
 public:
  Rollback() = default;
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback() {
    for (auto undo = undos_.rbegin(); undo != undos_.rend(); ++undo) (*undo)();
  }
  void push(std::function<void()> undo) { undos_.push_back(std::move(undo)); }
  void commit() { undos_.clear(); }

 private:
  std::vector<std::function<void()>> undos_;
};

}  // namespace deploylab::ctr
