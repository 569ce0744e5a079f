// containers/oci/spec.h: the part of the OCI runtime spec's config.json that minictr supports,
// and its parser.
//
// An OCI bundle is a directory holding config.json and (usually) the root filesystem. config.json
// says everything a runtime needs to start the container: the process (argv, env, user, limits,
// capabilities), the root filesystem, the mounts, the hooks and, under "linux", the namespaces,
// id mappings, cgroup limits and paths to hide. runc, crun and minictr read the same file, so one
// bundle runs on each of them (runtime-spec v1.0, https://github.com/opencontainers/runtime-spec).
//
// What parse_spec() checks goes beyond JSON types, because a mistake caught here is a clear
// message instead of a failure half-way through creating namespaces. It follows runc's rules:
//   - ociVersion must be 1.x; process.args non-empty; process.cwd and mount destinations absolute;
//   - a namespace type appears at most once; hostname/domainname need a uts namespace;
//   - a new user namespace needs uidMappings and gidMappings; mappings need a user namespace;
//   - rlimit types are RLIMIT_* names the kernel knows.
// Members it does not know are ignored, as runc and crun ignore them: config.json files are
// written by newer tools (containerd, podman) for newer versions of the spec, and a runtime that
// refused them would refuse every bundle the day the spec grew a field it does not use.
// Errors name the file and the JSON path: `config.json: process.args: must be a non-empty array
// of strings`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "containers/cgroups/resources.h"
#include "containers/oci/namespace_type.h"

namespace deploylab::ctr {

// process.user: who the process runs as, in the container's user namespace.
struct User {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> additional_gids;
  std::optional<std::uint32_t> umask;  // unset: keep the runtime's umask
};

// process.capabilities: five sets of "CAP_*" names (capabilities(7)); absent sets are empty.
struct Capabilities {
  std::vector<std::string> bounding, effective, inheritable, permitted, ambient;
};

// One entry of process.rlimits, with its name already mapped to setrlimit's number.
struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE"
  int resource = 0;  // RLIMIT_NOFILE (rlimit_type.h)
  std::uint64_t hard = 0;
  std::uint64_t soft = 0;
};

struct Process {
  bool terminal = false;                 // give the process a pseudo-terminal
  User user;
  std::vector<std::string> args;         // argv; args[0] is looked up on the container's PATH
  std::vector<std::string> env;          // "NAME=value"
  std::string cwd;                       // absolute, inside the container
  Capabilities capabilities;
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;        // PR_SET_NO_NEW_PRIVS: setuid binaries gain nothing
  std::optional<int> oom_score_adj;      // -1000..1000
};

struct Root {
  std::filesystem::path path;            // as written by parse_spec; absolute after load_spec
  bool readonly = false;
};

struct Mount {
  std::string destination;               // absolute, inside the container
  std::string type;                      // "proc", "tmpfs", "bind" or empty for a bind mount
  std::string source;
  std::vector<std::string> options;      // mount(8) options: "nosuid", "ro", "rbind", "size=64k"
};

struct Hook {
  std::string path;                      // absolute, on the host
  std::vector<std::string> args;         // argv, args[0] included
  std::vector<std::string> env;
  std::optional<int> timeout;            // seconds; > 0
};

// The points of a container's life at which hooks run (runtime-spec config.md#posix-platform-hooks).
// The deprecated "prestart" hooks run at the same point as createRuntime and before them, as in
// runc, so they are put at the front of create_runtime.
struct Hooks {
  std::vector<Hook> create_runtime;      // runtime namespace, after the namespaces exist
  std::vector<Hook> create_container;    // container namespace, before pivot_root
  std::vector<Hook> start_container;     // container namespace, just before exec
  std::vector<Hook> poststart;           // runtime namespace, after the process started
  std::vector<Hook> poststop;            // runtime namespace, after the container is deleted
};

struct Namespace {
  NamespaceType type = NamespaceType::pid;
  std::filesystem::path path;            // empty: create a new one; else join this one (setns)
};

// One line of /proc/PID/uid_map or gid_map: container ids [container_id, container_id + size)
// are host ids [host_id, host_id + size).
struct IdMapping {
  std::uint32_t container_id = 0;
  std::uint32_t host_id = 0;
  std::uint32_t size = 0;
};

// linux.devices: a device node to create in the container's /dev.
struct Device {
  std::string type;                      // "c" (char), "b" (block), "u" (unbuffered char), "p" (fifo)
  std::string path;                      // absolute, inside the container
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::optional<std::uint32_t> file_mode;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
};

// config.json's "linux" object. (The field of Spec is `linux_spec`: `linux` is a predefined
// macro in GNU C++.)
struct LinuxSpec {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;
  Resources resources;                   // memory, cpu and pids; other kinds are ignored
  std::string cgroups_path;              // empty: the runtime picks one
  std::map<std::string, std::string> sysctl;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  nlohmann::json seccomp;                // raw; null when absent (containers/security reads it)
  std::vector<Device> devices;

  // The entry of that type, or nullptr when the container shares the runtime's namespace.
  const Namespace* find_namespace(NamespaceType type) const;
  bool has_namespace(NamespaceType type) const { return find_namespace(type) != nullptr; }
};

struct Spec {
  std::string oci_version;
  Process process;
  Root root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  Hooks hooks;
  LinuxSpec linux_spec;
  std::map<std::string, std::string> annotations;
};

// Parses and checks a config.json document. `origin` names it in errors ("config.json" or the
// file's path). root.path is left as written (often the relative "rootfs").
Result<Spec> parse_spec(std::string_view json, std::string_view origin);

// Reads BUNDLE/config.json, parses it, makes root.path absolute (a relative one is relative to
// the bundle, not to the caller's working directory) and checks that the root directory exists.
Result<Spec> load_spec(const std::filesystem::path& bundle);

}  // namespace deploylab::ctr
