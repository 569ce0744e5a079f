// bench/tradeoff/measurement.cpp: the Measurement record's names and its JSON form
// (measurement.h says what each field means).
#include "bench/tradeoff/measurement.h"

#include <array>
#include <utility>

#include "common/file_io.h"

namespace deploylab::bench {
namespace {

constexpr std::array<std::pair<Row, const char*>, 8> kRows{{{Row::startup, "startup"},
                                                             {Row::memory, "memory"},
                                                             {Row::density, "density"},
                                                             {Row::crossing, "crossing"},
                                                             {Row::cpu, "cpu"},
                                                             {Row::disk, "disk"},
                                                             {Row::network, "network"},
                                                             {Row::isolation, "isolation"}}};
constexpr std::array<std::pair<Column, const char*>, 3> kColumns{
    {{Column::host, "host"}, {Column::container, "container"}, {Column::vm, "vm"}}};
constexpr std::array<std::pair<Better, const char*>, 3> kBetter{
    {{Better::lower, "lower"}, {Better::higher, "higher"}, {Better::none, "none"}}};

template <typename Enum, std::size_t N>
std::string name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

template <typename Enum, std::size_t N>
Result<Enum> parse_name(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& text,
                        const char* what) {
  std::string known;
  for (const auto& [v, name] : names) {
    if (text == name) return v;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  return Error::invalid(std::string("unknown ") + what + " '" + text + "'", "measurement", "use one of: " + known);
}

}  // namespace

std::string to_string(Row row) { return name_of(kRows, row); }
std::string to_string(Column column) { return name_of(kColumns, column); }
std::string to_string(Better better) { return name_of(kBetter, better); }
Result<Row> parse_row(const std::string& text) { return parse_name(kRows, text, "row"); }
Result<Column> parse_column(const std::string& text) { return parse_name(kColumns, text, "column"); }
Result<Better> parse_better(const std::string& text) { return parse_name(kBetter, text, "better"); }

nlohmann::ordered_json to_json(const Measurement& m) {
  nlohmann::ordered_json j;
  j["row"] = to_string(m.row);
  j["metric"] = m.metric;
  j["label"] = m.label;
  j["column"] = to_string(m.column);
  j["contender"] = m.contender;
  j["place"] = m.place;
  j["unit"] = m.unit;
  j["better"] = to_string(m.better);
  j["samples"] = m.samples;
  j["text"] = m.text;
  j["missing"] = m.missing;
  if (!m.baseline.empty()) j["baseline"] = m.baseline;
  if (!m.params.empty()) j["params"] = m.params;
  return j;
}

Result<Measurement> measurement_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error::invalid("a measurement is not a JSON object", j.dump().substr(0, 80));
  try {
    Measurement m;
    m.row = DL_TRY(parse_row(j.at("row").get<std::string>()));
    m.metric = j.at("metric").get<std::string>();
    m.label = j.value("label", m.metric);
    m.column = DL_TRY(parse_column(j.at("column").get<std::string>()));
    m.contender = j.at("contender").get<std::string>();
    m.place = j.value("place", "native");
    m.unit = j.value("unit", "");
    m.better = DL_TRY(parse_better(j.value("better", "lower")));
    m.samples = j.value("samples", std::vector<double>{});
    m.text = j.value("text", "");
    m.missing = j.value("missing", "");
    m.baseline = j.value("baseline", "");
    m.params = j.value("params", std::map<std::string, double>{});
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Error::invalid(std::string("a measurement lacks a field or has the wrong type: ") + e.what(),
                          j.dump().substr(0, 120), "see bench/tradeoff/measurement.h for the format");
  }
}

nlohmann::ordered_json measurements_to_json(const std::string& source, const std::vector<Measurement>& ms) {
  nlohmann::ordered_json j;
  j["source"] = source;
  j["measurements"] = nlohmann::ordered_json::array();
  for (const auto& m : ms) j["measurements"].push_back(to_json(m));
  return j;
}

Result<std::vector<Measurement>> measurements_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("measurements") || !j["measurements"].is_array())
    return Error::invalid("not a measurements file: no \"measurements\" array", "", "see bench/tradeoff/measurement.h");
  std::vector<Measurement> out;
  for (const auto& item : j["measurements"]) {
    Measurement m = DL_TRY(measurement_from_json(item));
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> write_measurements(const std::string& path, const std::string& source,
                                const std::vector<Measurement>& ms) {
  return write_file_atomic(path, measurements_to_json(source, ms).dump(1) + "\n");
}

Result<std::vector<Measurement>> read_measurements(const std::string& path) {
  std::string text = DL_TRY(read_file(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Error::invalid("not valid JSON", path, "was the benchmark interrupted while writing it? run it again");
  auto ms = measurements_from_json(j);
  if (!ms.ok()) return std::move(ms).error().with_context("reading " + path);
  return ms;
}

}  // namespace deploylab::bench
