// containers/oci/state_test.cpp: the OCI state document, our state record and observed_status.
#include "containers/oci/state.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace deploylab::ctr {
namespace {

using Json = nlohmann::json;

ContainerState sample() {
  ContainerState s;
  s.id = "web";
  s.status = Status::running;
  s.pid = 4321;
  s.pid_start_time = 987654321;
  s.bundle = "/srv/bundles/web";
  s.created = "2026-11-26T23:37:41.252781430Z";
  s.annotations = {{"org.example.team", "ops"}};
  s.cgroup_path = "deploylab/web";
  s.cgroup_paths = {"/sys/fs/cgroup/memory/deploylab/web", "/sys/fs/cgroup/pids/deploylab/web"};
  s.rootfs_mount = "/run/minictr/web/rootfs";
  s.oom_killed = true;
  s.exit_code = 137;
  s.owner = "root";
  return s;
}

TEST(Status, NamesRoundTrip) {
  for (auto status : {Status::creating, Status::created, Status::running, Status::stopped, Status::paused}) {
    EXPECT_EQ(status_from_string(to_string(status)), status) << to_string(status);
  }
  EXPECT_EQ(to_string(Status::running), "running");
  EXPECT_EQ(status_from_string("Running"), std::nullopt);
}

TEST(OciState, HoldsTheSpecFieldsInRuncsOrderThenCreated) {
  auto state = sample();
  state.oom_killed = false;
  state.exit_code.reset();
  auto text = oci_state_json(state);
  EXPECT_EQ(text,
            "{\n"
            "  \"ociVersion\": \"1.0.2\",\n"
            "  \"id\": \"web\",\n"
            "  \"status\": \"running\",\n"
            "  \"pid\": 4321,\n"
            "  \"bundle\": \"/srv/bundles/web\",\n"
            "  \"annotations\": {\n"
            "    \"org.example.team\": \"ops\"\n"
            "  },\n"
            "  \"created\": \"" + state.created + "\"\n"
            "}\n");
}

TEST(OciState, ReportsAnOomKillAndTheExitCodeWhenKnown) {
  auto state = sample();
  state.status = Status::stopped;
  state.oom_killed = true;
  state.exit_code = 137;
  nlohmann::json doc = nlohmann::json::parse(oci_state_json(state));
  EXPECT_EQ(doc.at("oomKilled"), true);
  EXPECT_EQ(doc.at("exitCode"), 137);
}

TEST(OciState, OmitsThePidOfAStoppedContainer) {
  auto state = sample();
  state.status = Status::stopped;
  state.annotations.clear();
  state.oom_killed = false;
  state.exit_code.reset();
  Json doc = Json::parse(oci_state_json(state));
  EXPECT_FALSE(doc.contains("pid")) << doc.dump();
  EXPECT_FALSE(doc.contains("annotations")) << "empty annotations are left out: " << doc.dump();
  EXPECT_EQ(doc.at("status"), "stopped");
  EXPECT_EQ(doc.size(), 5u) << "ociVersion, id, status, bundle, created: " << doc.dump();
}

TEST(OciState, ACreatedContainerReportsItsPid) {
  auto state = sample();
  state.status = Status::created;
  EXPECT_EQ(Json::parse(oci_state_json(state)).at("pid"), 4321);
}

TEST(StateRecord, RoundTripsEveryField) {
  auto original = sample();
  auto text = to_record_json(original);
  EXPECT_EQ(Json::parse(text).at("format"), 1);
  ContainerState back = parse_record_json(text, "state.json").value();
  EXPECT_EQ(back.id, original.id);
  EXPECT_EQ(back.status, original.status);
  EXPECT_EQ(back.pid, original.pid);
  EXPECT_EQ(back.pid_start_time, original.pid_start_time);
  EXPECT_EQ(back.bundle, original.bundle);
  EXPECT_EQ(back.created, original.created);
  EXPECT_EQ(back.annotations, original.annotations);
  EXPECT_EQ(back.cgroup_path, original.cgroup_path);
  EXPECT_EQ(back.cgroup_paths, original.cgroup_paths);
  EXPECT_EQ(back.rootfs_mount, original.rootfs_mount);
  EXPECT_EQ(back.oom_killed, original.oom_killed);
  EXPECT_EQ(back.exit_code, original.exit_code);
  EXPECT_EQ(back.owner, original.owner);
}

TEST(StateRecord, NoExitCodeStaysNone) {
  auto state = sample();
  state.exit_code.reset();
  state.rootfs_mount.clear();
  auto back = parse_record_json(to_record_json(state), "state.json").value();
  EXPECT_EQ(back.exit_code, std::nullopt);
  EXPECT_TRUE(back.rootfs_mount.empty());
}

std::string record_error(const std::string& text) {
  auto state = parse_record_json(text, "/run/minictr/web/state.json");
  return state.ok() ? "(parsed fine)" : state.error().message();
}

TEST(StateRecord, CorruptRecordsNameTheFile) {
  const std::string prefix = "corrupt state record /run/minictr/web/state.json: ";
  EXPECT_EQ(record_error("").rfind(prefix + "JSON syntax error", 0), 0u) << record_error("");
  EXPECT_EQ(record_error("{\"format\": 1, \"id\": \"w").rfind(prefix + "JSON syntax error at line 1", 0), 0u);
  EXPECT_EQ(record_error("[]"), prefix + "the document must be a JSON object, not an array");
  EXPECT_EQ(record_error(R"({"id": "web"})"), prefix + "format: is required (an integer)");
  Json doc = Json::parse(to_record_json(sample()));
  doc["status"] = "zombie";
  EXPECT_EQ(record_error(doc.dump()), prefix + "status: unknown container status \"zombie\"");
  doc = Json::parse(to_record_json(sample()));
  doc["pid"] = "4321";
  EXPECT_EQ(record_error(doc.dump()).rfind(prefix + "pid: must be an integer", 0), 0u) << record_error(doc.dump());
  doc["format"] = 2;
  EXPECT_EQ(record_error(doc.dump()).rfind(prefix + "format: record format 2 is not format 1", 0), 0u);
}

TEST(Rfc3339, FormatsUtcWithNanoseconds) {
  using namespace std::chrono;
  // 2026-11-26 23:37:41 UTC is 1795736261 seconds after the epoch.
  system_clock::time_point when{duration_cast<system_clock::duration>(seconds(1795736261) + nanoseconds(252781430))};
  EXPECT_EQ(rfc3339(when), "2026-11-26T23:37:41.252781430Z");
  EXPECT_EQ(rfc3339(system_clock::time_point{}), "1970-01-01T00:00:00.000000000Z");
  auto now = rfc3339_now();
  EXPECT_EQ(now.size(), 30u) << now;
  EXPECT_EQ(now.back(), 'Z') << now;
}

TEST(ObservedStatus, ADeadOrRecycledProcessMeansStopped) {
  struct Row {
    Status stored;
    bool alive;
    bool same_process;
    Status expected;
  };
  const Row rows[] = {
      {Status::running, true, true, Status::running},   {Status::running, false, true, Status::stopped},
      {Status::running, true, false, Status::stopped},  {Status::created, true, true, Status::created},
      {Status::created, false, false, Status::stopped}, {Status::paused, true, true, Status::paused},
      {Status::paused, false, true, Status::stopped},   {Status::stopped, true, true, Status::stopped},
      {Status::creating, false, false, Status::creating},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(observed_status(row.stored, row.alive, row.same_process), row.expected)
        << "stored " << to_string(row.stored) << ", alive " << row.alive << ", same process " << row.same_process
        << ": expected " << to_string(row.expected);
  }
}

NetworkRecord sample_network() {
  NetworkRecord n;
  n.name = "web";
  n.container_id = "web-1";
  n.address = "10.88.0.2";
  n.prefix = 24;
  n.gateway = "10.88.0.1";
  n.host_veth = "vm1234abcd";
  n.ports = {"8080:80/tcp"};
  return n;
}

TEST(NetworkRecord, RoundTripsInTheRecordAndOnItsOwn) {
  auto state = sample();
  state.network = sample_network();
  auto back = parse_record_json(to_record_json(state), "state.json").value();
  ASSERT_TRUE(back.network.has_value()) << "the network attachment must survive a save and a load";
  EXPECT_EQ(*back.network, sample_network());
  EXPECT_EQ(parse_network_record(to_json_text(sample_network()), "a.json").value(), sample_network());
  state.network.reset();
  EXPECT_FALSE(parse_record_json(to_record_json(state), "state.json").value().network.has_value());
}

TEST(NetworkRecord, StateJsonShowsTheNetworkButNotTheVeth) {
  auto state = sample();
  state.network = sample_network();
  auto doc = Json::parse(oci_state_json(state));
  ASSERT_TRUE(doc.contains("network")) << oci_state_json(state);
  EXPECT_EQ(doc["network"]["name"], "web");
  EXPECT_EQ(doc["network"]["address"], "10.88.0.2");
  EXPECT_EQ(doc["network"]["prefix"], 24);
  EXPECT_EQ(doc["network"]["gateway"], "10.88.0.1");
  EXPECT_EQ(doc["network"]["ports"], Json::array({"8080:80/tcp"}));
  EXPECT_FALSE(doc["network"].contains("hostVeth"));
  EXPECT_FALSE(Json::parse(oci_state_json(sample())).contains("network")) << "no --net NAME, no network object";
}

}  // namespace
}  // namespace deploylab::ctr
