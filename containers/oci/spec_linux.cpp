// containers/oci/spec_linux.cpp: config.json's "linux" object (see spec.h): namespaces, user-id
// mappings, cgroup resources, devices, sysctls and the paths to mask or make read-only.
#include <map>

#include "containers/oci/spec_sections.h"

namespace deploylab::ctr {
namespace {

Result<Namespace> parse_namespace(const JsonObject& entry) {
  Namespace ns;
  auto type = DL_TRY(entry.required_string("type"));
  auto known = namespace_type_from_oci_name(type);
  if (!known) {
    return json_error(entry.path_of("type"),
                      "unknown namespace type \"" + type + "\" (known: " + known_namespace_names() + ")");
  }
  ns.type = *known;
  auto path = DL_TRY(entry.string_or("path", ""));
  if (!path.empty() && !is_absolute_path(path)) {
    return json_error(entry.path_of("path"), "must be an absolute path, not \"" + path + "\"",
                      "a namespace file to join, e.g. /proc/1234/ns/net or a bind mount of one");
  }
  ns.path = path;
  return ns;
}

// A type may appear once: a process is in exactly one namespace of each type.
Result<std::vector<Namespace>> parse_namespaces(const JsonObject& linux_object) {
  std::vector<Namespace> out;
  std::map<NamespaceType, std::string> first_seen;
  for (const auto& entry : DL_TRY(linux_object.object_array("namespaces"))) {
    auto ns = DL_TRY(parse_namespace(entry));
    auto [it, inserted] = first_seen.emplace(ns.type, entry.path());
    if (!inserted) {
      return json_error(entry.path_of("type"), "duplicate namespace type \"" + std::string(oci_name(ns.type)) +
                                                   "\" (already at " + it->second + ")");
    }
    out.push_back(std::move(ns));
  }
  return out;
}

Result<IdMapping> parse_mapping(const JsonObject& entry) {
  IdMapping mapping;
  mapping.container_id = DL_TRY(entry.required_integer<std::uint32_t>("containerID"));
  mapping.host_id = DL_TRY(entry.required_integer<std::uint32_t>("hostID"));
  const Json* size = entry.find("size");
  if (size == nullptr || !json_integer_in_range(*size, 1, UINT32_MAX)) {
    std::string seen = size == nullptr ? "it is missing" : "not " + json_seen(*size);
    return json_error(entry.path_of("size"), "must be a positive integer, " + seen,
                      "the number of ids mapped, e.g. 65536");
  }
  mapping.size = size->get<std::uint32_t>();
  return mapping;
}

Result<std::vector<IdMapping>> parse_mappings(const JsonObject& linux_object, std::string_view key) {
  std::vector<IdMapping> out;
  for (const auto& entry : DL_TRY(linux_object.object_array(key))) out.push_back(DL_TRY(parse_mapping(entry)));
  return out;
}

// A new user namespace starts with no ids mapped, so a process in it would run as the overflow
// id 65534 and could not even setuid(0); mappings are what make it useful. Without a user
// namespace there is nothing to write them to, so runc refuses both mistakes. A joined user
// namespace (with a path) already has its mappings.
Result<void> check_user_namespace(const LinuxSpec& spec, const JsonObject& linux_object) {
  const Namespace* user = spec.find_namespace(NamespaceType::user);
  const bool has_mappings = !spec.uid_mappings.empty() || !spec.gid_mappings.empty();
  if (user == nullptr && has_mappings) {
    auto key = spec.uid_mappings.empty() ? "gidMappings" : "uidMappings";
    return json_error(linux_object.path_of(key), "is set, but there is no user namespace to apply it to",
                      "add {\"type\": \"user\"} to linux.namespaces, or remove the mappings");
  }
  if (user == nullptr || !user->path.empty()) return {};
  auto required = [&](std::string_view key) {
    return json_error(linux_object.path_of(key), "is required with a new user namespace",
                      "e.g. [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]");
  };
  if (spec.uid_mappings.empty()) return required("uidMappings");
  if (spec.gid_mappings.empty()) return required("gidMappings");
  return {};
}

// linux.resources: memory, cpu and pids, the limits containers/cgroups applies. The other kinds
// (devices, blockIO, hugepageLimits, network, rdma, unified) are skipped unread, like unknown
// fields, so a config.json that sets them (runc spec's default devices rule does) still loads.
Result<Resources> parse_resources(const JsonObject& linux_object) {
  Resources out;
  auto resources = DL_TRY(linux_object.optional_object("resources"));
  if (!resources) return out;
  if (auto memory = DL_TRY(resources->optional_object("memory"))) {
    out.memory.limit = DL_TRY(memory->optional_integer<std::int64_t>("limit"));
    out.memory.reservation = DL_TRY(memory->optional_integer<std::int64_t>("reservation"));
    out.memory.swap = DL_TRY(memory->optional_integer<std::int64_t>("swap"));
  }
  if (auto cpu = DL_TRY(resources->optional_object("cpu"))) {
    out.cpu.shares = DL_TRY(cpu->optional_integer<std::uint64_t>("shares"));
    out.cpu.quota = DL_TRY(cpu->optional_integer<std::int64_t>("quota"));
    out.cpu.period = DL_TRY(cpu->optional_integer<std::uint64_t>("period"));
  }
  if (auto pids = DL_TRY(resources->optional_object("pids"))) {
    out.pids.limit = DL_TRY(pids->optional_integer<std::int64_t>("limit"));
  }
  return out;
}

Result<Device> parse_device(const JsonObject& entry) {
  Device device;
  device.type = DL_TRY(entry.required_string("type"));
  if (device.type != "c" && device.type != "b" && device.type != "u" && device.type != "p") {
    return json_error(entry.path_of("type"), "unknown device type \"" + device.type + "\"",
                      "c (character), b (block), u (unbuffered character) or p (FIFO)");
  }
  device.path = DL_TRY(entry.required_string("path"));
  if (!is_absolute_path(device.path)) {
    return json_error(entry.path_of("path"), "must be an absolute path, not \"" + device.path + "\"");
  }
  // A FIFO has no device numbers; every other node is nothing without them.
  if (device.type != "p") {
    device.major = DL_TRY(entry.required_integer<std::int64_t>("major"));
    device.minor = DL_TRY(entry.required_integer<std::int64_t>("minor"));
  }
  device.file_mode = DL_TRY(entry.optional_integer<std::uint32_t>("fileMode"));
  device.uid = DL_TRY(entry.optional_integer<std::uint32_t>("uid"));
  device.gid = DL_TRY(entry.optional_integer<std::uint32_t>("gid"));
  return device;
}

Result<std::vector<Device>> parse_devices(const JsonObject& linux_object) {
  std::vector<Device> out;
  for (const auto& entry : DL_TRY(linux_object.object_array("devices"))) out.push_back(DL_TRY(parse_device(entry)));
  return out;
}

// Kept as raw JSON: containers/security compiles it into a BPF filter with libseccomp.
Result<Json> parse_seccomp(const JsonObject& linux_object) {
  const Json* seccomp = linux_object.find("seccomp");
  if (seccomp == nullptr) return Json();
  DL_TRY(JsonObject::from(*seccomp, linux_object.path_of("seccomp")));
  return *seccomp;
}

}  // namespace

const Namespace* LinuxSpec::find_namespace(NamespaceType type) const {
  for (const auto& ns : namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

Result<LinuxSpec> parse_linux(const JsonObject& linux_object) {
  LinuxSpec out;
  out.namespaces = DL_TRY(parse_namespaces(linux_object));
  out.uid_mappings = DL_TRY(parse_mappings(linux_object, "uidMappings"));
  out.gid_mappings = DL_TRY(parse_mappings(linux_object, "gidMappings"));
  DL_TRY(check_user_namespace(out, linux_object));
  out.resources = DL_TRY(parse_resources(linux_object));
  out.cgroups_path = DL_TRY(linux_object.string_or("cgroupsPath", ""));
  out.sysctl = DL_TRY(linux_object.string_map("sysctl"));
  out.masked_paths = DL_TRY(linux_object.string_array("maskedPaths"));
  out.readonly_paths = DL_TRY(linux_object.string_array("readonlyPaths"));
  out.seccomp = DL_TRY(parse_seccomp(linux_object));
  out.devices = DL_TRY(parse_devices(linux_object));
  return out;
}

}  // namespace deploylab::ctr
