// containers/net/network_config.cpp: planning a network and its network.json (see
// network_config.h).
#include "containers/net/network_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "containers/net/link_names.h"

namespace deploylab::ctr {
namespace {

Result<void> check_unused(const NetworkConfig& config, const std::vector<NetworkConfig>& existing) {
  for (const NetworkConfig& other : existing) {
    if (other.name == config.name) {
      return Error::invalid("network \"" + config.name + "\" already exists", "", "minictr network ls shows the networks");
    }
    if (other.bridge == config.bridge) {
      return Error::invalid("bridge \"" + config.bridge + "\" already belongs to network \"" + other.name + "\"", "",
                            "choose another --bridge");
    }
    if (other.subnet.overlaps(config.subnet)) {
      return Error::invalid("subnet " + to_string(config.subnet) + " overlaps " + to_string(other.subnet) + " of network \"" +
                                other.name + "\"",
                            "", "choose another --subnet, or leave it out to get a free 10.88.N.0/24");
    }
  }
  return {};
}

}  // namespace

Result<Subnet> first_free_subnet(const std::vector<NetworkConfig>& existing) {
  for (std::uint32_t n = 0; n < 256; ++n) {
    Subnet candidate{{(10u << 24) | (88u << 16) | (n << 8)}, 24};
    bool taken = false;
    for (const NetworkConfig& other : existing) taken = taken || other.subnet.overlaps(candidate);
    if (!taken) return candidate;
  }
  return Error::invalid("every 10.88.N.0/24 is taken by a network", "", "give the new network a --subnet of its own");
}

Result<NetworkConfig> plan_network(const NetworkRequest& request, const std::vector<NetworkConfig>& existing) {
  DL_TRY(validate_network_name(request.name));
  NetworkConfig config;
  config.name = request.name;
  config.bridge = request.bridge.empty() ? default_bridge_name(request.name) : request.bridge;
  DL_TRY(validate_interface_name(config.bridge).context("--bridge"));
  config.subnet = request.subnet ? *request.subnet : DL_TRY(first_free_subnet(existing));
  DL_TRY(check_unused(config, existing));
  return config;
}

std::string to_json_text(const NetworkConfig& config) {
  nlohmann::ordered_json doc{{"name", config.name}, {"bridge", config.bridge}, {"subnet", to_string(config.subnet)}};
  return doc.dump(2) + "\n";
}

Result<NetworkConfig> parse_network_config(std::string_view json, std::string_view origin) {
  const std::string where = "network definition " + std::string(origin);
  auto doc = nlohmann::json::parse(json, nullptr, false);
  bool shaped = doc.is_object() && doc.contains("name") && doc["name"].is_string() && doc.contains("bridge") &&
                doc["bridge"].is_string() && doc.contains("subnet") && doc["subnet"].is_string();
  if (!shaped) return Error::invalid(where + " is not {\"name\", \"bridge\", \"subnet\"}", "", "remove it, or fix it by hand");
  NetworkConfig config;
  config.name = doc["name"].get<std::string>();
  config.bridge = doc["bridge"].get<std::string>();
  config.subnet = DL_TRY(parse_subnet(doc["subnet"].get<std::string>()).context(where));
  return config;
}

}  // namespace deploylab::ctr
