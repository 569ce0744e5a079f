// bench/tradeoff/report.cpp: tradeoff.md, tradeoff.csv and the console summary (report.h).
#include "bench/tradeoff/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "bench/tradeoff/format.h"
#include "bench/tradeoff/rows.h"
#include "common/stats.h"

namespace deploylab::bench {
namespace {

const std::vector<std::string> kColumnOrder{"host", "minictr", "crun", "runc", "minivmm", "qemu", "libvirt"};

// Numbers the distinct reasons for empty cells, so the table shows "n/a [2]" and the reason
// is written once below it.
class Footnotes {
 public:
  int number(const std::string& reason) {
    auto it = std::find(reasons_.begin(), reasons_.end(), reason);
    if (it != reasons_.end()) return static_cast<int>(it - reasons_.begin()) + 1;
    reasons_.push_back(reason);
    return static_cast<int>(reasons_.size());
  }
  const std::vector<std::string>& reasons() const { return reasons_; }

 private:
  std::vector<std::string> reasons_;
};

const Measurement* cell_measurement(const std::vector<Measurement>& ms, const TableLine& line,
                                    const std::string& contender) {
  for (const Measurement& m : ms)
    if (m.row == line.row && m.metric == line.metric && m.place == line.place && m.contender == contender) return &m;
  return nullptr;
}

std::string ratio_to_host(const std::vector<Measurement>& ms, const Measurement& m) {
  if (m.column == Column::host) return "";
  double ratio = vs_host(ms, m);
  return std::isnan(ratio) ? "" : " (" + format_ratio(ratio) + " host)";
}

// A number shows as its median (and ratio to the host); a fact without a number as its text. A
// number's notes are in the spread table, to keep this one readable.
std::string cell_text(const std::vector<Measurement>& ms, const Measurement* m, Footnotes& notes) {
  if (m == nullptr) return "";
  if (!m->missing.empty()) return "n/a [" + std::to_string(notes.number(m->missing)) + "]";
  if (!m->samples.empty()) return format_value(median_of(*m), m->unit) + ratio_to_host(ms, *m);
  return m->text.empty() ? "-" : m->text;
}

// The label up to its first parenthesis or colon: "compute kernel, 20 M iterations".
std::string short_label(const std::string& label) {
  std::size_t cut = std::min(label.find(" ("), label.find(": "));
  return cut == std::string::npos || cut == 0 ? label : label.substr(0, cut);
}

void write_header(std::ostringstream& out, const Results& r) {
  const MachineInfo& m = r.machine;
  out << "# The VM-versus-container tradeoff, measured\n\n";
  out << "Measured " << m.started << " on " << m.cpu_model << ", " << m.cores << " cores, Linux " << m.kernel
      << ", cgroups " << m.cgroup_mode << ". KVM: " << m.virt_finding << "\n\n";
  if (r.quick) out << "This is a **quick run** (`make bench QUICK=1`): few samples and small workloads. `make bench` measures for real.\n\n";
  if (r.interrupted) out << "**The run was interrupted**: the table holds what was measured before it stopped.\n\n";
  out << "**Where the figures come from.** Container and host figures are measured natively on this machine. ";
  if (m.vm_place == "vmhost") {
    out << "This machine's KVM (" << m.virt_mode << ") cannot boot Linux, so the VM rows ran *inside vmhost*: a "
        << "test host under QEMU's software emulation with an emulated AMD-V, where every instruction of the test "
        << "host and its guests is emulated, which inflates VM start-up and exit costs. Each line of the table says "
        << "where it was measured; ratios (\"1.1x host\") are taken only against the host's own figure in the same "
        << "place, so vmhost figures are never compared with native ones. The figures marked *this machine* in the "
        << "VM columns are the native " << m.virt_mode << " ones.\n\n";
  } else {
    out << "The VM rows ran natively too, on this machine's " << m.virt_mode << " KVM.\n\n";
  }
}

void write_claims(std::ostringstream& out, const Results& r) {
  out << "## What the lecture says, and what we measured\n\n";
  out << "| # | row | the lecture says | measured here | verdict |\n|---|---|---|---|---|\n";
  for (const RowInfo& info : row_catalogue()) {
    Verdict v = judge(info.row, r.measurements);
    out << "| " << info.number << " | " << info.title << " | " << md_cell(info.claim) << " | " << md_cell(v.measured)
        << " | **" << to_string(v.kind) << "** |\n";
  }
  out << "\n";
}

void write_numbers(std::ostringstream& out, const Results& r, Footnotes& notes) {
  std::vector<std::string> columns = contender_columns(r.measurements);
  out << "## The numbers\n\nMedians; \"(1.1x host)\" is the ratio to the host's figure measured in the same place "
         "(for rates, host over contender, so above 1x is always worse).\n\n";
  out << "| # | measure | where |";
  for (const std::string& c : columns) out << " " << contender_label(c) << " |";
  out << "\n|---|---|---|";
  for (std::size_t i = 0; i < columns.size(); ++i) out << "---|";
  out << "\n";
  for (const TableLine& line : table_lines(r.measurements)) {
    out << "| " << row_info(line.row).number << " | " << md_cell(short_label(line.label)) << " | " << describe_place(line.place) << " |";
    for (const std::string& c : columns) out << " " << md_cell(cell_text(r.measurements, cell_measurement(r.measurements, line, c), notes)) << " |";
    out << "\n";
  }
  out << "\n";
}

void write_spread(std::ostringstream& out, const Results& r) {
  out << "## Every figure with its spread\n\nMedian, the middle 80% of the samples (p10 - p90), how many samples, "
         "and what the benchmark noted.\n\n";
  out << "| # | measure | contender | where | median | p10 - p90 | n | note |\n|---|---|---|---|---|---|---|---|\n";
  for (const RowInfo& info : row_catalogue()) {
    for (const Measurement& m : r.measurements) {
      if (m.row != info.row || m.samples.empty()) continue;
      Summary s = summarize(m.samples);
      out << "| " << info.number << " | " << md_cell(m.label) << " | " << contender_label(m.contender) << " | "
          << describe_place(m.place) << " | " << format_value(s.median, m.unit) << " | " << format_value(s.p10, m.unit)
          << " - " << format_value(s.p90, m.unit) << " | " << s.count << " | " << md_cell(m.text) << " |\n";
    }
  }
  out << "\n";
}

void write_footer(std::ostringstream& out, const Results& r, const Footnotes& notes,
                  const std::vector<std::string>& plots) {
  if (!notes.reasons().empty()) {
    out << "## Why a cell is empty\n\n";
    for (std::size_t i = 0; i < notes.reasons().size(); ++i) out << "[" << i + 1 << "] " << notes.reasons()[i] << "\n\n";
  }
  if (!plots.empty()) {
    out << "## Plots\n\n";
    for (const std::string& p : plots) {
      if (p.size() < 4 || p.substr(p.size() - 4) != ".svg") continue;
      std::string png = p.substr(0, p.size() - 4) + ".png";
      out << "![" << p << "](" << p << ")  \n[PNG](" << png << ")\n\n";
    }
  }
  out << "## How it ran\n\n| step | status | seconds | detail |\n|---|---|---|---|\n";
  for (const StepOutcome& s : r.steps) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", s.seconds);
    out << "| " << s.name << " | " << to_string(s.status) << " | " << secs << " | " << md_cell(s.detail) << " |\n";
  }
  out << "\nLoad before: " << r.machine.load_before << "; after: " << r.machine.load_after
      << ". Every sample is in results.json; tradeoff.csv has one line per figure.\n";
}

}  // namespace

std::vector<std::string> contender_columns(const std::vector<Measurement>& ms) {
  std::vector<std::string> out;
  for (const std::string& c : kColumnOrder)
    if (std::any_of(ms.begin(), ms.end(), [&](const Measurement& m) { return m.contender == c; })) out.push_back(c);
  for (const Measurement& m : ms)
    if (std::find(out.begin(), out.end(), m.contender) == out.end()) out.push_back(m.contender);
  return out;
}

std::vector<TableLine> table_lines(const std::vector<Measurement>& ms) {
  std::vector<TableLine> lines;
  for (const RowInfo& info : row_catalogue()) {
    for (const Measurement& m : ms) {
      if (m.row != info.row) continue;
      bool seen = std::any_of(lines.begin(), lines.end(), [&](const TableLine& l) {
        return l.row == m.row && l.metric == m.metric && l.place == m.place;
      });
      if (!seen) lines.push_back({m.row, m.metric, m.label, m.place, m.unit});
    }
  }
  return lines;
}

std::string render_markdown(const Results& results, const std::vector<std::string>& plot_files) {
  std::ostringstream out;
  Footnotes notes;
  write_header(out, results);
  write_claims(out, results);
  write_numbers(out, results, notes);
  write_spread(out, results);
  write_footer(out, results, notes, plot_files);
  return out.str();
}

std::string render_csv(const Results& results) {
  std::ostringstream out;
  out << "row,metric,label,column,contender,place,unit,better,n,median,p10,p90,min,max,text,missing\n";
  for (const Measurement& m : results.measurements) {
    Summary s = summarize(m.samples);
    auto num = [](double v) { return std::isnan(v) ? std::string() : std::to_string(v); };
    out << row_info(m.row).number << "," << csv_field(m.metric) << "," << csv_field(m.label) << "," << to_string(m.column)
        << "," << csv_field(m.contender) << "," << m.place << "," << csv_field(m.unit) << "," << to_string(m.better) << ","
        << s.count << "," << num(s.median) << "," << num(s.p10) << "," << num(s.p90) << "," << num(s.min) << ","
        << num(s.max) << "," << csv_field(m.text) << "," << csv_field(m.missing) << "\n";
  }
  return out.str();
}

std::string render_console_summary(const Results& results) {
  std::ostringstream out;
  for (const RowInfo& info : row_catalogue()) {
    Verdict v = judge(info.row, results.measurements);
    out << info.number << ". " << info.title << ": " << to_string(v.kind) << "\n   " << v.measured << "\n";
  }
  return out.str();
}

}  // namespace deploylab::bench
