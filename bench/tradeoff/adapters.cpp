// bench/tradeoff/adapters.cpp: container-bench's and net-bench's JSON as Measurements
// (adapters.h). Both formats are written by bench/containers/container_report.cpp and
// bench/network/net_report.cpp.
#include "bench/tradeoff/adapters.h"

namespace deploylab::bench {
namespace {

Error format_error(const std::string& what, const std::string& which) {
  return Error::invalid(what, which + " JSON", "was it written by an older build? run `make bench` again");
}

// A number that may be null (a NaN written by nlohmann::json): null reads as "no sample".
void add_sample(std::vector<double>& samples, const nlohmann::json& value) {
  if (value.is_number()) samples.push_back(value.get<double>());
}

Measurement start_measurement(const std::string& contender, Column column) {
  Measurement m;
  m.row = Row::startup;
  m.metric = "run_to_exit";
  m.label = "`run` of /bin/true, launch to exit";
  m.column = column;
  m.contender = contender;
  m.unit = "ms";
  return m;
}

}  // namespace

Result<std::vector<Measurement>> from_container_bench(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("series") || !j["series"].is_array())
    return format_error("no \"series\" array", "container-bench");
  std::vector<Measurement> out;
  try {
    for (const auto& s : j["series"]) {
      std::string name = s.at("name").get<std::string>();
      std::string mode = s.at("mode").get<std::string>();
      bool host = name.rfind("true", 0) == 0;  // "true (fork+exec)": the floor, the host's own start
      if (host ? mode != "for scale" : mode != "run") continue;  // unshare and create+start: not rows here
      Measurement m = start_measurement(host ? "host" : name, host ? Column::host : Column::container);
      if (host) m.label = "`run` of /bin/true, launch to exit (host: fork + exec)";
      for (const auto& sample : s.at("samples")) add_sample(m.samples, sample.at("total_ms"));
      std::string failure = s.value("failure", "");
      if (!failure.empty() && m.samples.empty()) m.missing = failure;
      out.push_back(m);
    }
    for (const auto& floor : j.value("memory", nlohmann::json::array())) {
      Measurement m;
      m.row = Row::memory;
      m.metric = "smallest_limit";
      m.label = "smallest memory limit `run` of /bin/true works under";
      m.column = Column::container;
      m.contender = floor.at("runtime").get<std::string>();
      m.unit = "MiB";
      if (floor.contains("smallest_limit")) m.samples.push_back(floor["smallest_limit"].get<double>() / (1024.0 * 1024.0));
      else m.missing = "the runtime could not start the container even at the search's top limit (" +
                       floor.value("outcome", "?") + ")";
      out.push_back(m);
    }
  } catch (const nlohmann::json::exception& e) {
    return format_error(std::string("unexpected shape: ") + e.what(), "container-bench");
  }
  return out;
}

Result<std::vector<Measurement>> from_net_bench(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("paths") || !j["paths"].is_array()) return format_error("no \"paths\" array", "net-bench");
  std::vector<Measurement> out;
  try {
    for (const auto& p : j["paths"]) {
      std::string path = p.at("path").get<std::string>();
      bool loopback = path.find("loopback") != std::string::npos;
      std::string failure = p.value("failure", "");
      auto make = [&](const std::string& metric, const std::string& label, const std::string& unit, Better better) {
        Measurement m;
        m.row = Row::network;
        m.metric = metric;
        m.label = label;
        m.column = loopback ? Column::host : Column::container;
        m.contender = loopback ? "host" : "minictr";
        m.unit = unit;
        m.better = better;
        m.missing = failure;
        return m;
      };
      // Each path is its own measure; loopback is the host baseline of all three.
      std::string suffix = loopback ? "" : path.find("container -> container") != std::string::npos ? "_c2c"
                                          : path.find("published") != std::string::npos        ? "_dnat"
                                                                                               : "";
      std::vector<std::string> where{"", "_c2c", "_dnat"};
      for (const std::string& w : where) {
        if (loopback ? !w.empty() : w != suffix) continue;  // loopback: once, the baseline of all three
        std::string via = w == "_c2c" ? "container to container" : w == "_dnat" ? "through a published port" : "host to container";
        Measurement rtt = make("rtt" + w, "TCP round trip p50, " + via + " (host: loopback)", "us", Better::lower);
        Measurement spin = make("rtt_spinning" + w, "TCP round trip p50, both ends spinning, " + via, "us", Better::lower);
        Measurement bulk = make("throughput" + w, "TCP throughput, " + via, "Gbit/s", Better::higher);
        if (failure.empty()) {
          add_sample(rtt.samples, p.at("round_trip_us").at("p50"));
          if (p.contains("spinning_round_trip_us")) add_sample(spin.samples, p["spinning_round_trip_us"].at("p50"));
          for (const auto& v : p.value("gbit_per_s_samples", nlohmann::json::array())) add_sample(bulk.samples, v);
        }
        if (!w.empty()) rtt.baseline = "rtt", spin.baseline = "rtt_spinning", bulk.baseline = "throughput";
        out.push_back(rtt);
        if (p.contains("spinning_round_trip_us") || !failure.empty()) out.push_back(spin);
        out.push_back(bulk);
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return format_error(std::string("unexpected shape: ") + e.what(), "net-bench");
  }
  return out;
}

std::vector<Measurement> missing_cells(const std::vector<Row>& rows, Column column, const std::string& contender,
                                       const std::string& place, const std::string& reason) {
  std::vector<Measurement> out;
  for (Row row : rows) {
    Measurement m;
    m.row = row;
    m.metric = "not_run";
    m.label = "(not run)";
    m.column = column;
    m.contender = contender;
    m.place = place;
    m.missing = reason;
    out.push_back(m);
  }
  return out;
}

}  // namespace deploylab::bench
