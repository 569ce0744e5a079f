// containers/net/loopback.cpp: `ip link set lo up`, with the ioctl ip(8) used before netlink
// (see loopback.h).
#include "containers/net/loopback.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/unique_fd.h"

namespace deploylab::ctr {

Result<void> bring_up_loopback() {
  // Any socket of the namespace will do as a handle for interface ioctls.
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return Error::os("socket(AF_INET)", "lo", errno);
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(sock.get(), SIOCGIFFLAGS, &request) != 0) return Error::os("ioctl(SIOCGIFFLAGS)", "lo", errno);
  if ((request.ifr_flags & IFF_UP) != 0) return {};
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
  if (::ioctl(sock.get(), SIOCSIFFLAGS, &request) != 0) {
    return Error::os("ioctl(SIOCSIFFLAGS)", "lo", errno, "bringing lo up needs CAP_NET_ADMIN in the container's network namespace");
  }
  return {};
}

}  // namespace deploylab::ctr
