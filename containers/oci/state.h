// containers/oci/state.h: what minictr knows about one container between two commands.
//
// An OCI runtime is not a daemon: `minictr create web` starts the container's init and exits,
// and a later `minictr start web`, `kill`, `state` or `delete` must find it again. So each
// command leaves a record in the state directory (state_store.h) and the next one reads it.
// ContainerState is that record: the OCI fields every runtime must report (`minictr state` prints
// exactly those, see oci_state_json) plus our own bookkeeping (cgroups and mounts to clean up).
//
// The stored status can be out of date: a container's process may exit or be killed while no
// minictr runs. So the status a command acts on is observed, not stored: observed_status()
// combines the record with whether its pid is still alive and still the same process (pids are
// recycled; the start time in /proc/PID/stat tells a new process from ours).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/oci/proc_stat.h"  // process_alive, process_start_time

namespace deploylab::ctr {

// The life cycle of runtime-spec runtime.md: creating -> created (init waits before exec) ->
// running (after `start`) -> stopped (the process ended). paused is runc's extra (freezer).
enum class Status { creating, created, running, stopped, paused };

std::string_view to_string(Status status);
std::optional<Status> status_from_string(std::string_view name);

// A container's place on a minictr network (containers/net): what `delete` must undo (the
// address to release, the host veth to remove, the published ports whose rules go) and what
// `minictr state` shows under "network".
struct NetworkRecord {
  std::string name;                            // the network ("web")
  std::string container_id;
  std::string address;                         // "10.88.0.2"
  int prefix = 0;                              // 24
  std::string gateway;                         // "10.88.0.1"
  std::string host_veth;                       // the host's end of the veth pair
  std::vector<std::string> ports;              // "8080:80/tcp", as -p wrote them (normalised)
  bool operator==(const NetworkRecord&) const = default;
};

struct ContainerState {
  // The OCI state (runtime-spec runtime.md#state).
  std::string id;
  Status status = Status::creating;
  int pid = 0;                                 // the container's init, as the host sees it
  std::uint64_t pid_start_time = 0;            // field 22 of /proc/PID/stat: spots a recycled pid
  std::filesystem::path bundle;                // absolute
  std::string created;                         // RFC 3339, UTC
  std::map<std::string, std::string> annotations;
  // minictr's own bookkeeping, never shown by `minictr state`.
  std::string cgroup_path;                     // as Cgroup::open takes it ("minictr/web")
  std::vector<std::string> cgroup_paths;       // absolute cgroup directories we created
  std::filesystem::path rootfs_mount;          // overlay mount we own; empty if none
  bool oom_killed = false;
  std::optional<int> exit_code;
  std::string owner;                           // who created it ("" or a user name, as runc)
  std::optional<NetworkRecord> network;        // --net NAME: the attachment to undo on delete
};

// The OCI state document, pretty-printed as `runc state` prints it: the spec's fields (ociVersion,
// id, status, pid, bundle, annotations when there are any), then, as runc adds its own, created,
// and oomKilled and exitCode when known, and "network" (name, address, prefix, gateway, ports)
// when the container was attached to a minictr network.
std::string oci_state_json(const ContainerState& state);

// A network attachment on its own (containers/net keeps one per container and network).
std::string to_json_text(const NetworkRecord& record);
Result<NetworkRecord> parse_network_record(std::string_view json, std::string_view origin);

// Our persisted record: every field, with "format": 1 so a later minictr can read or refuse it.
std::string to_record_json(const ContainerState& state);
// Reads a record; `origin` (the file) is named in every error.
Result<ContainerState> parse_record_json(std::string_view json, std::string_view origin);

// "2026-11-26T23:37:41.252781430Z": RFC 3339 in UTC with nanoseconds, as runc writes `created`.
std::string rfc3339(std::chrono::system_clock::time_point when);
std::string rfc3339_now();

// The status to report and act on. A created, running or paused container whose process has
// died, or whose pid now belongs to another process, is stopped; every other status stands.
Status observed_status(Status stored, bool process_alive, bool start_time_matches);

}  // namespace deploylab::ctr
