// containers/net/network_store.h: where minictr keeps its networks, under the state root
// (--root, default /run/minictr), beside the containers:
//
//   ROOT/networks/
//     lock                        flock(2)ed by every command that changes a network (file_lock.h)
//     web/network.json            the definition (network_config.h)
//     web/ipam/                   its addresses (ipam.h)
//     web/attachments/ID.json     one per connected container: address, host veth, ports
//
// The attachments are also the registry of published ports: a new -p is checked against every
// attachment of every network, under the lock, before anything is changed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/net/file_lock.h"
#include "containers/net/ipam.h"
#include "containers/net/network_config.h"
#include "containers/oci/state.h"

namespace deploylab::ctr {

class NetworkStore {
 public:
  explicit NetworkStore(const std::filesystem::path& state_root) : dir_(state_root / "networks") {}

  // Held while a command reads, decides and changes networks.
  Result<FileLock> lock() const { return FileLock::acquire(dir_ / "lock"); }

  Result<std::vector<NetworkConfig>> list() const;
  // The network NAME; a clear error naming the known ones when there is none.
  Result<NetworkConfig> load(std::string_view name) const;
  Result<void> save(const NetworkConfig& config) const;
  // Removes the network's directory (its IPAM and attachments with it).
  Result<void> remove(std::string_view name) const;
  Ipam ipam(const NetworkConfig& config) const;

  Result<std::vector<NetworkRecord>> attachments(std::string_view network) const;
  Result<std::optional<NetworkRecord>> attachment(std::string_view network, std::string_view container_id) const;
  Result<void> save_attachment(const NetworkRecord& record) const;
  Result<void> remove_attachment(std::string_view network, std::string_view container_id) const;

 private:
  std::filesystem::path network_dir(std::string_view name) const { return dir_ / std::string(name); }
  std::filesystem::path attachment_path(std::string_view network, std::string_view id) const {
    return network_dir(network) / "attachments" / (std::string(id) + ".json");
  }
  std::filesystem::path dir_;
};

}  // namespace deploylab::ctr
