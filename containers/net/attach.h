// containers/net/attach.h: putting a container on a network, and taking it off again. This is
// what a CNI "bridge" plugin does for a Kubernetes pod, and what `minictr run --net NAME` and
// `minictr network connect` do:
//
//   connect:  an address from IPAM -> a veth pair, host end on the bridge, container end made
//             inside the container's namespace as eth0 -> inside: address, up, default route
//             via the gateway -> host end up -> DNAT rules for published ports -> the record.
//   disconnect: the rules go, the host veth goes (its peer eth0 with it), the address is
//             released, the record is removed. Running it twice is harmless.
//
// A connect that fails half-way undoes what it did (rollback.h): no address stays allocated, no
// veth or rule stays behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/net/netns.h"
#include "containers/net/network_store.h"
#include "containers/net/port_mapping.h"
#include "containers/oci/state.h"

namespace deploylab::ctr {

struct ConnectRequest {
  std::string network;
  std::string container_id;
  std::vector<PortMapping> ports;
};

Result<NetworkRecord> connect_container(const NetworkStore& store, const ConnectRequest& request, const NetnsHandle& netns);
Result<void> disconnect_container(const NetworkStore& store, std::string_view network, std::string_view container_id);

// Disconnects the container when dropped, unless released: a create that fails after the
// connect must not leave the attachment behind.
class AttachmentGuard {
 public:
  AttachmentGuard(const NetworkStore& store, NetworkRecord record) : store_(store), record_(std::move(record)) {}
  AttachmentGuard(AttachmentGuard&& other) noexcept
      : store_(other.store_), record_(std::move(other.record_)), armed_(std::exchange(other.armed_, false)) {}
  AttachmentGuard(const AttachmentGuard&) = delete;
  AttachmentGuard& operator=(const AttachmentGuard&) = delete;
  ~AttachmentGuard() {
    if (armed_) (void)disconnect_container(store_, record_.name, record_.container_id);
  }
  const NetworkRecord& record() const { return record_; }
  void release() { armed_ = false; }
  // Disconnects now, with the error if any.
  Result<void> disconnect() {
    armed_ = false;
    return disconnect_container(store_, record_.name, record_.container_id);
  }

 private:
  NetworkStore store_;
  NetworkRecord record_;
  bool armed_ = true;
};

}  // namespace deploylab::ctr
