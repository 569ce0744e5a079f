// containers/runtime/create.cpp: `minictr create` (see runtime.h and creation.h): from a bundle
// to an init waiting on its exec fifo, in named steps.
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "common/file_io.h"
#include "containers/cgroups/layout.h"
#include "containers/runtime/console.h"
#include "containers/runtime/creation.h"
#include "containers/runtime/exec_fifo.h"
#include "containers/runtime/init_plan.h"
#include "containers/runtime/network_setup.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

// The end of the terminal socket the init gets, and (for `run`) the end we keep.
struct TerminalSockets {
  UniqueFd for_init;
  UniqueFd for_us;
};

Result<TerminalSockets> terminal_sockets(const Spec& spec, const CreateRequest& request, TerminalTo to) {
  TerminalSockets sockets;
  if (!spec.process.terminal) {
    if (!request.console_socket.empty()) return Error::invalid("--console-socket given, but process.terminal is false in config.json");
    return sockets;
  }
  if (to == TerminalTo::console_socket) {
    if (request.console_socket.empty()) {
      return Error::invalid("process.terminal is true but no --console-socket was given", "",
                            "a created container needs someone to hold its terminal: pass --console-socket, set "
                            "\"terminal\": false in config.json, or use `minictr run`");
    }
    sockets.for_init = DL_TRY(connect_console_socket(request.console_socket));
    return sockets;
  }
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return Error::os("socketpair", "the terminal", errno);
  sockets.for_us = UniqueFd(fds[0]);
  sockets.for_init = UniqueFd(fds[1]);
  return sockets;
}

ContainerState first_state(const Spec& spec, const CreateRequest& request) {
  ContainerState state;
  state.id = request.id;
  state.status = Status::creating;
  state.bundle = fs::absolute(request.bundle).lexically_normal();
  state.created = rfc3339_now();
  state.annotations = spec.annotations;
  state.owner = "root";
  return state;
}

// The callback launch_init runs before "go": connect the init's new network namespace to the
// network and keep the attachment in `network` (undone if the create fails later) and the state.
std::function<Result<void>(pid_t)> connect_network(StateStore& store, const std::optional<std::string>& name,
                                                   const CreateRequest& request, ContainerState& state,
                                                   std::optional<AttachmentGuard>& network) {
  if (!name) return nullptr;
  return [&store, name = *name, &request, &state, &network](pid_t pid) -> Result<void> {
    NetworkStore networks(store.root());
    NetnsHandle netns = DL_TRY(NetnsHandle::open_pid(pid));
    NetworkRecord record = DL_TRY(connect_container(networks, {name, request.id, request.publish}, netns).context("--net " + name));
    network.emplace(networks, record);
    state.network = record;
    return {};
  };
}

Result<void> write_pid_file(const fs::path& file, int pid) {
  if (file.empty()) return {};
  return write_file_atomic(file, std::to_string(pid), Durability::unsynced).context("--pid-file");
}

}  // namespace

std::string cgroup_path_for(const Spec& spec, std::string_view id) {
  if (!spec.linux_spec.cgroups_path.empty()) return spec.linux_spec.cgroups_path;
  return "minictr/" + std::string(id);
}

Result<Creation> create_container(StateStore& store, const CreateRequest& request, TerminalTo terminal_to) {
  // 1. The bundle: config.json, checked, with its root made absolute.
  DL_TRY(validate_container_id(request.id));
  Spec spec = DL_TRY(load_spec(request.bundle));
  std::optional<std::string> network_name = DL_TRY(apply_network_choice(spec, request));
  TerminalSockets sockets = DL_TRY(terminal_sockets(spec, request, terminal_to));
  // 2. The state directory: claims the id (a duplicate fails here) and holds the exec fifo.
  ContainerState state = first_state(spec, request);
  DL_TRY(store.create(state));
  StateDirGuard state_dir(store, request.id);
  // 2b. An image instead of the bundle's rootfs: its layers under a writable one, mounted before
  // the clone so the container's mount namespace starts with it.
  std::optional<ContainerRootfs> image_rootfs;
  if (!request.image.empty()) {
    ImageStore images(request.image_root.empty() ? ImageStore::default_root() : request.image_root);
    image_rootfs = DL_TRY(images.create_container_rootfs(request.image, request.id).context("--image " + request.image));
    spec.root.path = image_rootfs->merged;
    state.rootfs_mount = image_rootfs->merged;
  }
  StateLock lock = DL_TRY(store.lock(request.id));
  fs::path fifo = store.dir(request.id) / "exec.fifo";
  DL_TRY(ExecFifo::make(fifo));
  // 3. The cgroup, with its limits.
  InitPlan plan = DL_TRY(plan_init(spec, fifo));
  CgroupLayout layout = DL_TRY(discover_layout());
  state.cgroup_path = cgroup_path_for(spec, request.id);
  Cgroup cgroup = DL_TRY(Cgroup::create(layout, state.cgroup_path, spec.linux_spec.resources).context("linux.resources"));
  for (const auto& dir : cgroup.directories()) state.cgroup_paths.push_back(dir.string());
  // 4. The init, in its namespaces and cgroup, on its network, set up and waiting for `start`.
  std::optional<AttachmentGuard> network;
  LaunchRequest launch{&plan, &cgroup, &state, &spec.hooks.create_runtime, sockets.for_init.get(),
                       connect_network(store, network_name, request, state, network)};
  InitProcess init = DL_TRY(launch_init(launch));
  sockets.for_init.reset();
  UniqueFd terminal;
  if (sockets.for_us.valid()) terminal = DL_TRY(receive_fd(sockets.for_us.get()));
  // 5. Recorded: created.
  state.status = Status::created;
  DL_TRY(store.save(state));
  DL_TRY(write_pid_file(request.pid_file, state.pid));
  return Creation{std::move(state_dir), std::move(image_rootfs), std::move(spec), std::move(state), std::move(network),
                  std::move(cgroup), std::move(init), std::move(terminal)};
}

Result<void> remove_image_rootfs(const ContainerState& state) {
  if (state.rootfs_mount.empty()) return {};
  // rootfs_mount is IMAGE_ROOT/containers/ID/merged (image_store.h).
  ImageStore images(state.rootfs_mount.parent_path().parent_path().parent_path());
  return images.remove_container_rootfs(state.id);
}

Result<ContainerState> Runtime::create(const CreateRequest& request) {
  Creation creation = DL_TRY(create_container(store_, request, TerminalTo::console_socket));
  creation.release();
  return creation.state;
}

}  // namespace deploylab::ctr
