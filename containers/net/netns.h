// containers/net/netns.h: a handle on a network namespace, and netlink sockets inside one.
//
// A network namespace is named by a file: /proc/PID/ns/net of a process in it, or a file that
// `ip netns add` bind-mounted under /run/netns. An open fd on that file keeps the namespace
// alive and is what setns(2) and netlink's IFLA_NET_NS_FD take.
//
// A netlink socket belongs to the namespace of the thread that created it, for its whole life.
// setns(fd, CLONE_NEWNET) moves only the calling thread, so socket_in() makes the socket from a
// short-lived thread that enters the namespace first: minictr itself never leaves the host's.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "common/result.h"
#include "common/unique_fd.h"
#include "containers/net/netlink.h"

namespace deploylab::ctr {

class NetnsHandle {
 public:
  static Result<NetnsHandle> open_path(const std::filesystem::path& path);
  static Result<NetnsHandle> open_pid(pid_t pid);  // /proc/PID/ns/net
  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }  // for messages

 private:
  NetnsHandle(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}
  UniqueFd fd_;
  std::string name_;
};

// A route netlink socket that speaks to the namespace `netns`.
Result<NetlinkSocket> netlink_socket_in(const NetnsHandle& netns);

}  // namespace deploylab::ctr
