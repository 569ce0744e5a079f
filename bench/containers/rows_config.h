// bench/containers/rows_config.h: the config.json of each container-rows bundle, made from
// `minictr spec`'s default (the same as `runc spec`) by small edits. Pure: JSON in, JSON out.
//
// Every container-rows bundle is a directory holding only config.json; root.path is absolute and
// points at one shared copy of the busybox rootfs (read-only, so containers cannot change it for
// each other), or, for the disk row, at an overlay mount over that copy (writable). So making a
// bundle costs one small file, even for the density row's hundreds of containers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deploylab::bench {

enum class RootAccess { read_only, writable };

// `spec` with the terminal off (the runtimes then pass their own stdout through to the
// container), root.path = `rootfs` (absolute) and root.readonly as asked, running `args`.
nlohmann::json rows_config(nlohmann::json spec, const std::filesystem::path& rootfs, RootAccess access,
                           const std::vector<std::string>& args);

// Adds a read-only bind mount of the host file `source` at `destination` in the container
// (a static workload binary: /compute-kernel, /io-probe).
nlohmann::json with_bind_mount(nlohmann::json config, const std::filesystem::path& source,
                               const std::string& destination);

// Sets linux.cgroupsPath: the runtimes make the container's cgroups at this path in every
// hierarchy ("/deploylab-bench-density-42-crun/ID": under the density row's parent cgroup).
nlohmann::json with_cgroups_path(nlohmann::json config, const std::string& path);

}  // namespace deploylab::bench
