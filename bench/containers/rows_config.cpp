// bench/containers/rows_config.cpp: config.json edits for container-rows' bundles (rows_config.h).
#include "bench/containers/rows_config.h"

namespace deploylab::bench {

nlohmann::json rows_config(nlohmann::json spec, const std::filesystem::path& rootfs, RootAccess access,
                           const std::vector<std::string>& args) {
  spec["process"]["terminal"] = false;
  spec["process"]["args"] = args;
  spec["root"]["path"] = rootfs.string();
  spec["root"]["readonly"] = access == RootAccess::read_only;
  return spec;
}

nlohmann::json with_bind_mount(nlohmann::json config, const std::filesystem::path& source,
                               const std::string& destination) {
  nlohmann::json mount = {{"destination", destination},
                          {"type", "bind"},
                          {"source", source.string()},
                          {"options", {"rbind", "ro", "nosuid", "nodev"}}};
  config["mounts"].push_back(std::move(mount));
  return config;
}

nlohmann::json with_cgroups_path(nlohmann::json config, const std::string& path) {
  config["linux"]["cgroupsPath"] = path;
  return config;
}

}  // namespace deploylab::bench
