// bench/tradeoff/results.cpp: results.json in both directions (results.h).
#include "bench/tradeoff/results.h"

namespace deploylab::bench {

std::string to_string(StepStatus status) {
  switch (status) {
    case StepStatus::ok: return "ok";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
    case StepStatus::interrupted: return "interrupted";
  }
  return "?";
}

namespace {

StepStatus parse_status(const std::string& text) {
  for (StepStatus s : {StepStatus::ok, StepStatus::failed, StepStatus::skipped, StepStatus::interrupted})
    if (to_string(s) == text) return s;
  return StepStatus::failed;
}

nlohmann::ordered_json machine_json(const MachineInfo& m) {
  return {{"cpu_model", m.cpu_model},     {"cores", m.cores},           {"kernel", m.kernel},
          {"virtualization", m.virt_mode}, {"virt_finding", m.virt_finding}, {"vm_rows_ran", m.vm_place},
          {"cgroup_mode", m.cgroup_mode}, {"load_before", m.load_before}, {"load_after", m.load_after},
          {"started", m.started}};
}

MachineInfo machine_from_json(const nlohmann::json& j) {
  MachineInfo m;
  m.cpu_model = j.value("cpu_model", "");
  m.cores = j.value("cores", 0);
  m.kernel = j.value("kernel", "");
  m.virt_mode = j.value("virtualization", "");
  m.virt_finding = j.value("virt_finding", "");
  m.vm_place = j.value("vm_rows_ran", "");
  m.cgroup_mode = j.value("cgroup_mode", "");
  m.load_before = j.value("load_before", "");
  m.load_after = j.value("load_after", "");
  m.started = j.value("started", "");
  return m;
}

}  // namespace

nlohmann::ordered_json results_to_json(const Results& results) {
  nlohmann::ordered_json j;
  j["benchmark"] = "tradeoff";
  j["format"] = 1;
  j["quick"] = results.quick;
  j["interrupted"] = results.interrupted;
  j["machine"] = machine_json(results.machine);
  j["steps"] = nlohmann::ordered_json::array();
  for (const StepOutcome& s : results.steps)
    j["steps"].push_back({{"name", s.name}, {"status", to_string(s.status)}, {"seconds", s.seconds},
                          {"detail", s.detail}, {"log", s.log}});
  j["measurements"] = nlohmann::ordered_json::array();
  for (const Measurement& m : results.measurements) j["measurements"].push_back(to_json(m));
  return j;
}

Result<Results> results_from_json(const nlohmann::json& j) {
  if (!j.is_object() || j.value("benchmark", "") != "tradeoff")
    return Error::invalid("not a tradeoff-bench results.json (no \"benchmark\": \"tradeoff\")", "",
                          "pass the results.json that `make bench` wrote under build/bench/");
  Results r;
  r.quick = j.value("quick", false);
  r.interrupted = j.value("interrupted", false);
  if (j.contains("machine")) r.machine = machine_from_json(j["machine"]);
  for (const auto& s : j.value("steps", nlohmann::json::array())) {
    StepOutcome o;
    o.name = s.value("name", "");
    o.status = parse_status(s.value("status", ""));
    o.seconds = s.value("seconds", 0.0);
    o.detail = s.value("detail", "");
    o.log = s.value("log", "");
    r.steps.push_back(o);
  }
  r.measurements = DL_TRY(measurements_from_json(j));
  return r;
}

}  // namespace deploylab::bench
