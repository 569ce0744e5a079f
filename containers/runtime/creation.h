// containers/runtime/creation.h: what `create` builds, held together until it is handed over.
// Runtime::create() releases it to live on its own (a created container outlives `minictr
// create`); Runtime::run() keeps it to wait for the init and clean up after. Internal to
// containers/runtime.
#pragma once

#include <optional>

#include "common/unique_fd.h"
#include "containers/cgroups/cgroup.h"
#include "containers/net/attach.h"
#include "containers/oci/spec.h"
#include "containers/oci/state.h"
#include "containers/oci/state_store.h"
#include "containers/rootfs/image_store.h"
#include "containers/runtime/launcher.h"
#include "containers/runtime/runtime.h"

namespace deploylab::ctr {

// Removes a half-made container's state directory unless the creation went through.
class StateDirGuard {
 public:
  StateDirGuard(StateStore& store, std::string id) : store_(&store), id_(std::move(id)) {}
  ~StateDirGuard() {
    if (store_ != nullptr) (void)store_->remove(id_);
  }
  StateDirGuard(StateDirGuard&& other) noexcept : store_(std::exchange(other.store_, nullptr)), id_(std::move(other.id_)) {}
  StateDirGuard(const StateDirGuard&) = delete;
  StateDirGuard& operator=(const StateDirGuard&) = delete;
  void release() { store_ = nullptr; }

 private:
  StateStore* store_;
  std::string id_;
};

enum class TerminalTo { console_socket, caller };  // who receives the terminal's master

// Member order is destruction order in reverse: on failure the init dies first, then its
// cgroup goes, then its network attachment (address, veth, rules), then the image's overlay is
// unmounted, then the state directory goes.
struct Creation {
  StateDirGuard state_dir;
  std::optional<ContainerRootfs> image_rootfs;  // the overlay, when the root comes from an image
  Spec spec;
  ContainerState state;
  std::optional<AttachmentGuard> network;  // --net NAME
  Cgroup cgroup;
  InitProcess init;
  UniqueFd terminal;  // the master, when TerminalTo::caller and process.terminal

  // Hands everything over to the container itself.
  void release() {
    state_dir.release();
    if (image_rootfs) image_rootfs->mount.release();
    if (network) network->release();
    cgroup.release();
    init.release();
  }
};

Result<Creation> create_container(StateStore& store, const CreateRequest& request, TerminalTo terminal_to);

// Removes a container's writable layer and overlay (ImageStore), when it has one.
Result<void> remove_image_rootfs(const ContainerState& state);

// The cgroup a container uses: config.json's linux.cgroupsPath, else minictr/ID.
std::string cgroup_path_for(const Spec& spec, std::string_view id);

}  // namespace deploylab::ctr
