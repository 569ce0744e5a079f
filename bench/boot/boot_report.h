// bench/boot/boot_report.h: the boot benchmark's samples, their summary table and JSON
// (bench/boot/README.md). Pure: samples in, text out; main.cpp gathers and prints.
//
//   contender           boot to init [p10-p90]    to exit   VMM RSS  guest RAM  vs microvm
//   ------------------  -----------------------  ---------  -------  ---------  ----------
//   minivmm             failed (below)
//   QEMU microvm        13.2 s [12.9 s-13.8 s]     14.0 s  21.3 MiB   28.4 MiB       1.00x
//   libvirt (QEMU q35)  19.8 s [19.1 s-20.6 s]     21.1 s  45.0 MiB   31.0 MiB       1.50x
//   minivmm: failed (exit 1: minivmm: unknown command `boot`)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/boot/contenders.h"

namespace deploylab::bench {

// What minivmm measured about its own boot (its --timings-json file); absent fields are NaN.
struct MinivmmTimings {
  double first_instruction_ms, run_init_ms, init_marker_ms, exit_ms, vmm_rss_kib, guest_ram_touched_kib;
  std::string virtualization;
};
// Parses minivmm's timings JSON; std::nullopt when it is not a JSON object.
std::optional<MinivmmTimings> parse_minivmm_timings(const std::string& text);

// One boot, measured from outside; NaN where a number could not be taken.
struct BootSample {
  double init_ms;               // spawn -> the init marker on the console
  double exit_ms;               // spawn -> the VMM process gone (the guest powered off)
  double vmm_rss_kib;           // VMM resident memory minus guest RAM, at the marker
  double guest_rss_kib;         // guest RAM resident at the marker
  std::optional<MinivmmTimings> internal;  // minivmm's own numbers
};

// All rounds of one contender. `failure` set: the contender could not be measured (the first
// failure ends its rounds; the row shows why).
struct ContenderResult {
  Contender contender;
  std::vector<BootSample> samples;
  std::string failure;
  std::string note;  // how it was set up, for the JSON ("libvirtd 9.0.0, private instance")
};

struct BootReport {
  std::vector<ContenderResult> results;
  std::string virtualization;  // "hardware KVM (kvm_amd)" or "nested KVM inside vmhost ..."
  std::string cpu;
  int rounds = 0;
  std::string cmdline;
  std::uint64_t mem_bytes = 0;
};

// The table above (plus minivmm's own numbers as extra columns when it reported them) and the
// lines around it: the machine, the virtualization mode, what the columns mean.
std::string render_boot_report(const BootReport& report);
// The same as JSON for the tradeoff table: per contender the summaries (median, p10, p90 of each
// number) and the raw samples.
nlohmann::json boot_report_json(const BootReport& report);

}  // namespace deploylab::bench
