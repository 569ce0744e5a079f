// containers/runtime/network_setup.cpp: --net and -p against config.json (see network_setup.h).
#include "containers/runtime/network_setup.h"

#include <algorithm>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

void drop_network_namespace(Spec& spec) {
  auto& all = spec.linux_spec.namespaces;
  all.erase(std::remove_if(all.begin(), all.end(), [](const Namespace& ns) { return ns.type == NamespaceType::network; }),
            all.end());
}

Result<void> require_new_network_namespace(Spec& spec, const std::string& net) {
  const Namespace* existing = spec.linux_spec.find_namespace(NamespaceType::network);
  if (existing == nullptr) {
    spec.linux_spec.namespaces.push_back(Namespace{NamespaceType::network, {}});
    return {};
  }
  if (existing->path.empty()) return {};
  return Error::invalid("--net " + net + " needs a new network namespace, but config.json joins " + existing->path.string(), "",
                        "remove the \"path\" of the network namespace in linux.namespaces, or leave --net out (then "
                        "connect that namespace with minictr network connect NAME ID --netns " + existing->path.string() + ")");
}

}  // namespace

Result<std::optional<std::string>> apply_network_choice(Spec& spec, const CreateRequest& request) {
  const bool named = !request.net.empty() && request.net != "host" && request.net != "none";
  if (!request.publish.empty() && !named) {
    return Error::invalid("-p/--publish needs --net NAME: a port is published to a container's address on a minictr network", "",
                          "minictr network create NAME, then pass --net NAME");
  }
  if (request.net.empty()) return std::optional<std::string>();
  if (request.net == "host") {
    drop_network_namespace(spec);
    return std::optional<std::string>();
  }
  DL_TRY(require_new_network_namespace(spec, request.net));
  if (!named) return std::optional<std::string>();
  return std::optional<std::string>(request.net);
}

}  // namespace deploylab::ctr
