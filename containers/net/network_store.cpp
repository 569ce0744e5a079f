// containers/net/network_store.cpp: networks and attachments on disk (see network_store.h).
#include "containers/net/network_store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "common/error.h"
#include "common/file_io.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

Result<void> make_dirs(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return Error::os("mkdir", dir.string(), error.value());
  return {};
}

}  // namespace

Result<std::vector<NetworkConfig>> NetworkStore::list() const {
  std::vector<NetworkConfig> networks;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_, error)) {
    fs::path file = entry.path() / "network.json";
    if (!entry.is_directory() || !fs::exists(file)) continue;
    networks.push_back(DL_TRY(parse_network_config(DL_TRY(read_file(file)), file.string())));
  }
  if (error && error != std::errc::no_such_file_or_directory) return Error::os("opendir", dir_.string(), error.value());
  std::sort(networks.begin(), networks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return networks;
}

Result<NetworkConfig> NetworkStore::load(std::string_view name) const {
  fs::path file = network_dir(name) / "network.json";
  if (!fs::exists(file)) {
    return Error::invalid("network \"" + std::string(name) + "\" does not exist", "",
                          "minictr network ls shows the networks; minictr network create " + std::string(name) + " makes it");
  }
  return parse_network_config(DL_TRY(read_file(file)), file.string());
}

Result<void> NetworkStore::save(const NetworkConfig& config) const {
  DL_TRY(make_dirs(network_dir(config.name)));
  return write_file_atomic(network_dir(config.name) / "network.json", to_json_text(config));
}

Result<void> NetworkStore::remove(std::string_view name) const {
  std::error_code error;
  fs::remove_all(network_dir(name), error);
  if (error) return Error::os("rm -r", network_dir(name).string(), error.value());
  return {};
}

Ipam NetworkStore::ipam(const NetworkConfig& config) const { return Ipam(config.name, config.subnet, network_dir(config.name) / "ipam"); }

Result<std::vector<NetworkRecord>> NetworkStore::attachments(std::string_view network) const {
  std::vector<NetworkRecord> records;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(network_dir(network) / "attachments", error)) {
    if (entry.path().extension() != ".json") continue;
    records.push_back(DL_TRY(parse_network_record(DL_TRY(read_file(entry.path())), entry.path().string())));
  }
  if (error && error != std::errc::no_such_file_or_directory) return Error::os("opendir", network_dir(network).string(), error.value());
  return records;
}

Result<std::optional<NetworkRecord>> NetworkStore::attachment(std::string_view network, std::string_view id) const {
  fs::path file = attachment_path(network, id);
  if (!fs::exists(file)) return std::optional<NetworkRecord>();
  return std::optional<NetworkRecord>(DL_TRY(parse_network_record(DL_TRY(read_file(file)), file.string())));
}

Result<void> NetworkStore::save_attachment(const NetworkRecord& record) const {
  fs::path file = attachment_path(record.name, record.container_id);
  DL_TRY(make_dirs(file.parent_path()));
  return write_file_atomic(file, to_json_text(record));
}

Result<void> NetworkStore::remove_attachment(std::string_view network, std::string_view id) const {
  fs::path file = attachment_path(network, id);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) return Error::os("unlink", file.string(), errno);
  return {};
}

}  // namespace deploylab::ctr
