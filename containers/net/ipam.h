// containers/net/ipam.h: IP address management for one network, kept on disk like CNI's
// host-local plugin.
//
//   ROOT/networks/NAME/ipam/
//     lock               flock(2)ed by whoever allocates or releases (file_lock.h)
//     last_reserved_ip   the address handed out last: the next search starts after it
//     10.88.0.2          one file per address in use, holding the container id
//     10.88.0.3
//
// Why files: minictr is not a daemon. Each `minictr run` is a new process that must see what
// the ones before it gave out (it survives restarts of minictr, and /run survives until reboot,
// as the containers do), and two processes at once must not give out one address twice (the lock).
// Why round-robin (last_reserved_ip): an address freed by a deleted container is not handed out
// again at once, so a client still talking to the old container does not reach a new one.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"
#include "containers/net/ipv4.h"

namespace deploylab::ctr {

// The address to give out: the first assignable one of `subnet` after `last` (or after the
// gateway) that is not in `used`, wrapping round; nullopt when every one is used. Pure.
std::optional<Ipv4Address> choose_free_address(const Subnet& subnet, const std::set<Ipv4Address>& used,
                                               std::optional<Ipv4Address> last);

class Ipam {
 public:
  // `network` names the pool in errors; `dir` is its ipam/ directory.
  Ipam(std::string network, Subnet subnet, std::filesystem::path dir)
      : network_(std::move(network)), subnet_(subnet), dir_(std::move(dir)) {}

  // An address for `container_id`: the one it already has, or a free one (recorded on disk
  // before this returns). A full pool is an error saying how many are in use.
  Result<Ipv4Address> allocate(std::string_view container_id);
  // Frees the container's address; the address freed, or nullopt when it had none.
  Result<std::optional<Ipv4Address>> release(std::string_view container_id);
  // Every address in use and its container.
  Result<std::map<Ipv4Address, std::string>> in_use() const;

 private:
  Result<std::map<Ipv4Address, std::string>> read_allocations() const;

  std::string network_;
  Subnet subnet_;
  std::filesystem::path dir_;
};

}  // namespace deploylab::ctr
