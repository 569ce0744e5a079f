// bench/boot/boot_report.cpp: summary table and JSON of the boot benchmark (boot_report.h).
#include "bench/boot/boot_report.h"

#include <cmath>
#include <cstdio>
#include <functional>

#include "common/stats.h"
#include "common/text_table.h"

namespace deploylab::bench {
namespace {

constexpr double kNaN = Summary::kNoValue;

double number_or_nan(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : kNaN;
}

// One number of every sample, e.g. [](const BootSample& s) { return s.init_ms; }.
using Field = std::function<double(const BootSample&)>;

Summary summarize_field(const std::vector<BootSample>& samples, const Field& field) {
  std::vector<double> values;
  for (const BootSample& sample : samples) values.push_back(field(sample));
  return summarize(std::move(values));
}

std::string ms(double value) { return format_duration_ns(value * 1e6); }

std::string mib(double kib) {
  if (std::isnan(kib)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", kib / 1024.0);
  return text;
}

// "13.2 s [12.9 s-13.8 s]": the median and the middle 80%.
std::string median_and_range(const Summary& s) {
  if (s.count == 0) return "n/a";
  return ms(s.median) + " [" + ms(s.p10) + "-" + ms(s.p90) + "]";
}

const ContenderResult* find(const BootReport& report, Contender contender) {
  for (const ContenderResult& result : report.results) {
    if (result.contender == contender && !result.samples.empty()) return &result;
  }
  return nullptr;
}

double median_init(const ContenderResult& result) {
  return summarize_field(result.samples, [](const BootSample& s) { return s.init_ms; }).median;
}

std::string ratio_to_microvm(const BootReport& report, const ContenderResult& result) {
  const ContenderResult* qemu = find(report, Contender::qemu);
  if (qemu == nullptr) return "n/a";
  double ratio = median_init(result) / median_init(*qemu);
  if (std::isnan(ratio)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

bool any_internal(const BootReport& report) {
  for (const ContenderResult& result : report.results) {
    for (const BootSample& sample : result.samples) {
      if (sample.internal) return true;
    }
  }
  return false;
}

// minivmm's own numbers (medians): first instruction, Run /init, init marker, its RSS.
std::vector<std::string> internal_cells(const ContenderResult& result) {
  auto median = [&](double MinivmmTimings::*field) {
    return summarize_field(result.samples, [field](const BootSample& s) {
      return s.internal ? (*s.internal).*field : kNaN;
    }).median;
  };
  if (result.contender != Contender::minivmm || result.samples.empty()) return {"", "", "", ""};
  return {ms(median(&MinivmmTimings::first_instruction_ms)), ms(median(&MinivmmTimings::run_init_ms)),
          ms(median(&MinivmmTimings::init_marker_ms)), mib(median(&MinivmmTimings::vmm_rss_kib))};
}

std::vector<std::string> row(const BootReport& report, const ContenderResult& result, bool internal) {
  std::vector<std::string> cells{label(result.contender)};
  if (result.samples.empty()) {
    cells.push_back("failed (below)");  // the reason is one long line: under the table
    cells.resize(internal ? 10 : 6);
    return cells;
  }
  cells.push_back(median_and_range(summarize_field(result.samples, [](const BootSample& s) { return s.init_ms; })));
  cells.push_back(ms(summarize_field(result.samples, [](const BootSample& s) { return s.exit_ms; }).median));
  cells.push_back(mib(summarize_field(result.samples, [](const BootSample& s) { return s.vmm_rss_kib; }).median));
  cells.push_back(mib(summarize_field(result.samples, [](const BootSample& s) { return s.guest_rss_kib; }).median));
  cells.push_back(ratio_to_microvm(report, result));
  if (internal) {
    for (std::string& cell : internal_cells(result)) cells.push_back(std::move(cell));
  }
  return cells;
}

nlohmann::json summary_json(const Summary& s) {
  return {{"count", s.count}, {"median", s.median}, {"p10", s.p10}, {"p90", s.p90}, {"min", s.min}, {"max", s.max}};
}

nlohmann::json sample_json(const BootSample& s) {
  nlohmann::json j = {{"init_ms", s.init_ms}, {"exit_ms", s.exit_ms}, {"vmm_rss_kib", s.vmm_rss_kib},
                      {"guest_rss_kib", s.guest_rss_kib}};
  if (s.internal) {
    j["minivmm"] = {{"first_instruction_ms", s.internal->first_instruction_ms},
                    {"run_init_ms", s.internal->run_init_ms},
                    {"init_marker_ms", s.internal->init_marker_ms},
                    {"exit_ms", s.internal->exit_ms},
                    {"vmm_rss_kib", s.internal->vmm_rss_kib},
                    {"guest_ram_touched_kib", s.internal->guest_ram_touched_kib},
                    {"virtualization", s.internal->virtualization}};
  }
  return j;
}

}  // namespace

std::optional<MinivmmTimings> parse_minivmm_timings(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  MinivmmTimings t{number_or_nan(j, "first_instruction_ms"), number_or_nan(j, "run_init_ms"),
                   number_or_nan(j, "init_marker_ms"),       number_or_nan(j, "exit_ms"),
                   number_or_nan(j, "vmm_rss_kib"),          number_or_nan(j, "guest_ram_touched_kib"),
                   j.value("virtualization", std::string{})};
  return t;
}

std::string render_boot_report(const BootReport& report) {
  bool internal = any_internal(report);
  std::vector<std::string> header{"contender", "boot to init, median [p10-p90]", "to exit", "VMM RSS excl. guest RAM",
                                  "guest RAM touched", "init vs microvm"};
  if (internal) {
    for (const char* h : {"own: 1st instruction", "own: Run /init", "own: init marker", "own: VMM RSS"}) header.push_back(h);
  }
  TextTable table(header);
  for (std::size_t column = 2; column < header.size(); ++column) table.set_alignment(column, Align::right);
  std::string notes;
  for (const ContenderResult& result : report.results) {
    table.add_row(row(report, result, internal));
    if (result.failure.empty()) continue;
    notes += to_string(result.contender) + ": " + (result.samples.empty() ? "failed (" + result.failure + ")"
                                                                          : "a later round failed (" + result.failure + ")") + "\n";
  }
  std::string out = "boot benchmark: " + std::to_string(report.rounds) + " rounds, contenders interleaved round by round\n";
  out += "virtualization: " + report.virtualization + "\ncpu: " + report.cpu + "\n";
  out += "guest: " + std::to_string(report.mem_bytes >> 20) + " MiB, 1 vCPU, cmdline \"" + report.cmdline + "\"\n\n";
  out += table.render() + notes;
  out += "\nTimes from outside, from spawning the VMM (for libvirt: `virsh create`) to the line "
         "\"deploylab-initramfs: init started\" on the serial console, and to the VMM process exiting "
         "after the guest powered off. Memory from /proc/PID/smaps at the marker: guest RAM is the "
         "anonymous mapping of exactly the guest's RAM size; everything else counts as the VMM's.\n";
  return out;
}

nlohmann::json boot_report_json(const BootReport& report) {
  nlohmann::json contenders = nlohmann::json::array();
  for (const ContenderResult& result : report.results) {
    nlohmann::json c = {{"name", to_string(result.contender)}, {"label", label(result.contender)},
                        {"failure", result.failure}, {"note", result.note}};
    c["init_ms"] = summary_json(summarize_field(result.samples, [](const BootSample& s) { return s.init_ms; }));
    c["exit_ms"] = summary_json(summarize_field(result.samples, [](const BootSample& s) { return s.exit_ms; }));
    c["vmm_rss_kib"] = summary_json(summarize_field(result.samples, [](const BootSample& s) { return s.vmm_rss_kib; }));
    c["guest_rss_kib"] = summary_json(summarize_field(result.samples, [](const BootSample& s) { return s.guest_rss_kib; }));
    c["samples"] = nlohmann::json::array();
    for (const BootSample& sample : result.samples) c["samples"].push_back(sample_json(sample));
    contenders.push_back(std::move(c));
  }
  return {{"benchmark", "boot"}, {"virtualization", report.virtualization}, {"cpu", report.cpu},
          {"rounds", report.rounds}, {"cmdline", report.cmdline}, {"mem_mib", report.mem_bytes >> 20},
          {"contenders", std::move(contenders)}};
}

}  // namespace deploylab::bench
