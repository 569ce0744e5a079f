// containers/minictr/network_command.cpp: `minictr network create|ls|rm|connect|disconnect`:
// container networks (containers/net). create/ls/rm manage a network's bridge, subnet and rules;
// connect/disconnect attach a network namespace someone else made (a kubelet's pod sandbox, `ip
// netns add`) as `run --net NAME` attaches a container's own.
//
//   minictr network create NAME [--subnet CIDR] [--bridge IFNAME]
//   minictr network ls [--json]
//   minictr network rm NAME
//   minictr network connect NAME ID (--netns PATH | --pid PID) [-p [HOSTIP:]HOSTPORT:CPORT[/PROTO]]...
//   minictr network disconnect NAME ID
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "containers/minictr/commands.h"
#include "containers/net/attach.h"
#include "containers/net/network.h"

namespace deploylab::ctr::minictr {
namespace {

NetworkStore store_from(const po::variables_map& vm) { return NetworkStore(vm["root"].as<std::string>()); }

int create(const po::variables_map& vm) {
  NetworkRequest request;
  request.name = vm["name"].as<std::string>();
  request.bridge = vm["bridge"].as<std::string>();
  if (!vm["subnet"].as<std::string>().empty()) request.subnet = parse_subnet(vm["subnet"].as<std::string>()).value();
  NetworkConfig config = create_network(store_from(vm), request).value();
  std::cout << config.name << " " << to_string(config.subnet) << " gateway " << to_string(config.gateway()) << " bridge "
            << config.bridge << "\n";
  return 0;
}

nlohmann::ordered_json usage_json(const NetworkUsage& usage) {
  nlohmann::ordered_json addresses = nlohmann::ordered_json::object();
  for (const auto& [address, id] : usage.in_use) addresses[to_string(address)] = id;
  return {{"name", usage.config.name},
          {"bridge", usage.config.bridge},
          {"subnet", to_string(usage.config.subnet)},
          {"gateway", to_string(usage.config.gateway())},
          {"addresses", addresses}};
}

int list(const po::variables_map& vm) {
  auto networks = list_networks(store_from(vm)).value();
  if (vm["json"].as<bool>()) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const NetworkUsage& usage : networks) all.push_back(usage_json(usage));
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  std::printf("%-16s %-15s %-18s %-15s %s\n", "NAME", "BRIDGE", "SUBNET", "GATEWAY", "IN USE");
  for (const NetworkUsage& u : networks) {
    std::printf("%-16s %-15s %-18s %-15s %zu\n", u.config.name.c_str(), u.config.bridge.c_str(), to_string(u.config.subnet).c_str(),
                to_string(u.config.gateway()).c_str(), u.in_use.size());
  }
  return 0;
}

Result<NetnsHandle> netns_from(const po::variables_map& vm) {
  bool by_path = !vm["netns"].as<std::string>().empty();
  bool by_pid = vm["pid"].as<int>() > 0;
  if (by_path == by_pid) {
    return Error::invalid("name the network namespace to connect with exactly one of --netns PATH and --pid PID", "",
                          "e.g. --netns /run/netns/pod1 (ip netns add pod1), or --pid of a process in it");
  }
  return by_path ? NetnsHandle::open_path(vm["netns"].as<std::string>()) : NetnsHandle::open_pid(vm["pid"].as<int>());
}

int connect(const po::variables_map& vm) {
  ConnectRequest request{vm["name"].as<std::string>(), vm["id"].as<std::string>(), {}};
  request.ports = parse_port_mappings(vm["publish"].as<std::vector<std::string>>()).value();
  NetnsHandle netns = netns_from(vm).value();
  NetworkRecord record = connect_container(store_from(vm), request, netns).value();
  std::cout << record.address << "/" << record.prefix << "\n";
  return 0;
}

std::string required_word(const po::variables_map& vm, const char* key, const char* what) {
  if (vm.count(key) == 0 || vm[key].as<std::string>().empty()) {
    throw ErrorException(Error::invalid(std::string("minictr network ") + vm["action"].as<std::string>() + " needs " + what, "",
                                        "minictr network --help shows the syntax"));
  }
  return vm[key].as<std::string>();
}

int network_main(const po::variables_map& vm) {
  const std::string action = vm["action"].as<std::string>();
  if (action != "create" && action != "ls" && action != "rm" && action != "connect" && action != "disconnect") {
    throw ErrorException(Error::invalid("unknown network action", action, "use create, ls, rm, connect or disconnect"));
  }
  if (action == "ls") return list(vm);
  std::string name = required_word(vm, "name", "a network NAME");
  if (action == "create") return create(vm);
  if (action == "rm") {
    remove_network(store_from(vm), name).value();
    return 0;
  }
  std::string id = required_word(vm, "id", "a container ID after the network NAME");
  if (action == "connect") return connect(vm);
  disconnect_container(store_from(vm), name, id).value();
  return 0;
}

}  // namespace

cli::Command network_command() {
  return {"network", "container networks: create, ls, rm, connect, disconnect (a bridge, a subnet, NAT)",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("action", po::value<std::string>()->required(), "create, ls, rm, connect or disconnect")
                ("name", po::value<std::string>(), "the network's name")
                ("id", po::value<std::string>(), "connect/disconnect: the container's id")
                ("subnet", po::value<std::string>()->default_value(""), "create: CIDR, e.g. 10.88.5.0/24 (default: the first free 10.88.N.0/24)")
                ("bridge", po::value<std::string>()->default_value(""), "create: the bridge's name (default: mctr-NAME)")
                ("json", po::bool_switch(), "ls: print JSON")
                ("netns", po::value<std::string>()->default_value(""), "connect: the namespace's file (/run/netns/NAME)")
                ("pid", po::value<int>()->default_value(0), "connect: a process in the namespace")
                ("publish,p", po::value<std::vector<std::string>>()->default_value({}, ""),
                 "connect: publish [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp] (repeatable)");
            positional.add("action", 1).add("name", 1).add("id", 1);
          },
          network_main};
}

}  // namespace deploylab::ctr::minictr
