// containers/net/netns.cpp: network namespace handles and netlink sockets inside them (see
// netns.h).
#include "containers/net/netns.h"

#include <fcntl.h>
#include <sched.h>

#include <cerrno>
#include <thread>

#include "common/error.h"
#include "common/file_io.h"

namespace deploylab::ctr {

Result<NetnsHandle> NetnsHandle::open_path(const std::filesystem::path& path) {
  UniqueFd fd = DL_TRY(open_file(path, O_RDONLY | O_CLOEXEC, 0, "is it a network namespace file (ip netns add NAME, or /proc/PID/ns/net)?"));
  return NetnsHandle(std::move(fd), path.string());
}

Result<NetnsHandle> NetnsHandle::open_pid(pid_t pid) {
  return open_path("/proc/" + std::to_string(pid) + "/ns/net").context("the network namespace of pid " + std::to_string(pid));
}

Result<NetlinkSocket> netlink_socket_in(const NetnsHandle& netns) {
  Result<NetlinkSocket> made = Error::invalid("no socket made");
  // The thread enters the namespace, makes the socket and ends; the socket stays in the namespace.
  std::thread maker([&] {
    if (::setns(netns.fd(), CLONE_NEWNET) != 0) {
      made = Error::os("setns(CLONE_NEWNET)", netns.name(), errno, "is it a network namespace?");
      return;
    }
    made = NetlinkSocket::connect();
  });
  maker.join();
  return made;
}

}  // namespace deploylab::ctr
