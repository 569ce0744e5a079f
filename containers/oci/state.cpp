// containers/oci/state.cpp: the OCI state document, our state record and the observed status
// (see state.h).
#include "containers/oci/state.h"

#include <time.h>

#include <array>

#include <nlohmann/json.hpp>

#include "containers/oci/json_fields.h"

namespace deploylab::ctr {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr int kRecordFormat = 1;
constexpr const char* kOciVersion = "1.0.2";  // the runtime-spec version whose state we report

constexpr std::array<std::pair<Status, std::string_view>, 5> kStatusNames = {{
    {Status::creating, "creating"},
    {Status::created, "created"},
    {Status::running, "running"},
    {Status::stopped, "stopped"},
    {Status::paused, "paused"},
}};

// Whether the state has a process to report. Once the container has stopped, its pid is free for
// the kernel to give to any new process; printing it would invite a caller to signal a stranger,
// so runc leaves it out, and the spec requires it only for created and running containers.
bool reports_pid(const ContainerState& state) {
  return state.status != Status::stopped && state.pid > 0;
}

Result<Status> parse_status(const JsonObject& record) {
  auto name = DL_TRY(record.required_string("status"));
  auto status = status_from_string(name);
  if (!status) return json_error("status", "unknown container status \"" + name + "\"");
  return *status;
}

Result<void> check_format(const JsonObject& record) {
  auto format = DL_TRY(record.required_integer<int>("format"));
  if (format == kRecordFormat) return {};
  return json_error("format", "record format " + std::to_string(format) + " is not format " +
                                  std::to_string(kRecordFormat) + ", the one this minictr reads",
                    "was it written by a newer minictr?");
}

OrderedJson network_json(const NetworkRecord& r) {
  return OrderedJson{{"name", r.name},       {"container", r.container_id}, {"address", r.address},
                     {"prefix", r.prefix},   {"gateway", r.gateway},        {"hostVeth", r.host_veth},
                     {"ports", r.ports}};
}

Result<NetworkRecord> parse_network(const JsonObject& object) {
  NetworkRecord r;
  r.name = DL_TRY(object.required_string("name"));
  r.container_id = DL_TRY(object.string_or("container", ""));
  r.address = DL_TRY(object.required_string("address"));
  r.prefix = DL_TRY(object.required_integer<int>("prefix"));
  r.gateway = DL_TRY(object.string_or("gateway", ""));
  r.host_veth = DL_TRY(object.string_or("hostVeth", ""));
  r.ports = DL_TRY(object.string_array("ports"));
  return r;
}

Result<std::optional<NetworkRecord>> parse_optional_network(const JsonObject& record) {
  auto object = DL_TRY(record.optional_object("network"));
  if (!object) return std::optional<NetworkRecord>();
  return std::optional<NetworkRecord>(DL_TRY(parse_network(*object)));
}

Result<ContainerState> parse_record(const JsonObject& record) {
  DL_TRY(check_format(record));
  ContainerState state;
  state.id = DL_TRY(record.required_string("id"));
  state.status = DL_TRY(parse_status(record));
  state.pid = DL_TRY(record.optional_integer<int>("pid")).value_or(0);
  state.pid_start_time = DL_TRY(record.optional_integer<std::uint64_t>("pid_start_time")).value_or(0);
  state.bundle = DL_TRY(record.required_string("bundle"));
  state.created = DL_TRY(record.string_or("created", ""));
  state.annotations = DL_TRY(record.string_map("annotations"));
  state.cgroup_path = DL_TRY(record.string_or("cgroup_path", ""));
  state.cgroup_paths = DL_TRY(record.string_array("cgroup_paths"));
  state.rootfs_mount = DL_TRY(record.string_or("rootfs_mount", ""));
  state.oom_killed = DL_TRY(record.bool_or("oom_killed", false));
  state.exit_code = DL_TRY(record.optional_integer<int>("exit_code"));
  state.owner = DL_TRY(record.string_or("owner", ""));
  state.network = DL_TRY(parse_optional_network(record));
  return state;
}

}  // namespace

std::string_view to_string(Status status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<Status> status_from_string(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string oci_state_json(const ContainerState& state) {
  OrderedJson doc{{"ociVersion", kOciVersion}, {"id", state.id}, {"status", to_string(state.status)}};
  if (reports_pid(state)) doc["pid"] = state.pid;
  doc["bundle"] = state.bundle.string();
  // Optional in the spec and omitted when empty, as runc's Go struct does (`omitempty`).
  if (!state.annotations.empty()) doc["annotations"] = state.annotations;
  // Beyond the spec, as runc adds "created" and "owner": what Kubernetes reports as the reason
  // a container ended ("OOMKilled") and its exit code, when minictr knows them.
  doc["created"] = state.created;
  if (state.oom_killed) doc["oomKilled"] = true;
  if (state.exit_code) doc["exitCode"] = *state.exit_code;
  if (state.network) {
    const NetworkRecord& n = *state.network;
    doc["network"] = OrderedJson{{"name", n.name}, {"address", n.address}, {"prefix", n.prefix}, {"gateway", n.gateway}, {"ports", n.ports}};
  }
  return doc.dump(2) + "\n";
}

std::string to_record_json(const ContainerState& state) {
  OrderedJson doc{
      {"format", kRecordFormat},
      {"id", state.id},
      {"status", to_string(state.status)},
      {"pid", state.pid},
      {"pid_start_time", state.pid_start_time},
      {"bundle", state.bundle.string()},
      {"created", state.created},
      {"annotations", state.annotations},
      {"cgroup_path", state.cgroup_path},
      {"cgroup_paths", state.cgroup_paths},
      {"rootfs_mount", state.rootfs_mount.string()},
      {"oom_killed", state.oom_killed},
      {"exit_code", state.exit_code ? OrderedJson(*state.exit_code) : OrderedJson()},
      {"owner", state.owner},
      {"network", state.network ? network_json(*state.network) : OrderedJson()},
  };
  return doc.dump(2) + "\n";
}

Result<ContainerState> parse_record_json(std::string_view json, std::string_view origin) {
  const std::string where = "corrupt state record " + std::string(origin);
  auto document = DL_TRY(parse_json_text(json).context(where));
  auto record = DL_TRY(JsonObject::from(document, "").context(where));
  return parse_record(record).context(where);
}

std::string to_json_text(const NetworkRecord& record) { return network_json(record).dump(2) + "\n"; }

Result<NetworkRecord> parse_network_record(std::string_view json, std::string_view origin) {
  const std::string where = "corrupt network attachment " + std::string(origin);
  auto document = DL_TRY(parse_json_text(json).context(where));
  auto object = DL_TRY(JsonObject::from(document, "").context(where));
  return parse_network(object).context(where);
}

std::string rfc3339(std::chrono::system_clock::time_point when) {
  auto since_epoch = when.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  std::time_t time = seconds.count();
  std::tm utc{};
  gmtime_r(&time, &utc);
  std::array<char, 64> text{};
  std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::array<char, 16> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%09lld", static_cast<long long>(nanoseconds.count()));
  return std::string(text.data(), length) + fraction.data() + "Z";
}

std::string rfc3339_now() { return rfc3339(std::chrono::system_clock::now()); }

Status observed_status(Status stored, bool process_alive, bool start_time_matches) {
  // creating: the creating minictr still owns the record. stopped stays stopped.
  const bool has_process = stored == Status::created || stored == Status::running || stored == Status::paused;
  if (has_process && (!process_alive || !start_time_matches)) return Status::stopped;
  return stored;
}

}  // namespace deploylab::ctr
