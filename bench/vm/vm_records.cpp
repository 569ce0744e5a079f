// bench/vm/vm_records.cpp: the VM column's Measurements (vm_records.h).
#include "bench/vm/vm_records.h"

#include <array>

namespace deploylab::bench {
namespace {

// What a metric is: its label, unit and which way is better. The table takes labels from the
// first record of a (row, metric, place), so they say what is measured, not who measured it.
struct CellKind {
  Row row;
  const char* metric;
  const char* label;
  const char* unit;
  Better better;
};

constexpr std::array kKinds{
    CellKind{Row::startup, "boot_to_init", "launch to the workload's first output (VMM spawn to the guest's init)", "ms",
             Better::lower},
    CellKind{Row::memory, "vmm_rss", "VMM resident memory excluding guest RAM", "MiB", Better::lower},
    CellKind{Row::memory, "guest_touched", "guest RAM touched at init", "MiB", Better::lower},
    CellKind{Row::memory, "per_instance", "memory per instance (VMM + guest RAM touched)", "MiB", Better::lower},
    CellKind{Row::density, "density", "idle instances that ran in one memory budget", "count", Better::higher},
    CellKind{Row::cpu, "compute", "compute kernel (same static binary everywhere)", "ms", Better::lower},
    CellKind{Row::disk, "seq_write", "sequential write, 1 MiB blocks + fdatasync", "MB/s", Better::higher},
    CellKind{Row::disk, "seq_read", "sequential read, 1 MiB blocks, cache dropped", "MB/s", Better::higher},
    CellKind{Row::disk, "rand_read", "random 4 KiB reads", "IOPS", Better::higher},
    CellKind{Row::disk, "rand_write", "random 4 KiB writes, each + fdatasync", "IOPS", Better::higher},
    CellKind{Row::network, "rr_latency", "request/response round trip, 1 byte", "us", Better::lower},
    CellKind{Row::network, "throughput", "bulk TCP throughput, one connection", "Gbit/s", Better::higher},
    CellKind{Row::isolation, "kernel", "kernel release seen from inside (uname -r)", "", Better::none},
    CellKind{Row::isolation, "boot_id", "boot id seen from inside (/proc/sys/kernel/random/boot_id)", "", Better::none},
    CellKind{Row::isolation, "shares_kernel", "runs on the host's kernel (same boot id as the host)", "", Better::none},
    CellKind{Row::isolation, "syscalls_reachable", "x86_64 system calls seccomp lets through (syscall-census)", "count",
             Better::lower},
    // Text only in a VM: an attack that "gets through" there meets the guest's own kernel, so a
    // count of stopped attacks would compare unlike things with the containers' count.
    CellKind{Row::isolation, "escapes_stopped",
             "escape attempts stopped (ctr_attack from inside; in a VM they meet the guest's own kernel)", "count",
             Better::higher},
};

const CellKind& kind_of(Row row, const std::string& metric) {
  for (const CellKind& kind : kKinds) {
    if (kind.row == row && kind.metric == metric) return kind;
  }
  static const CellKind unknown{Row::startup, "", "", "", Better::none};
  return unknown;
}

double mib(double kib) { return kib / 1024.0; }

}  // namespace

Measurement& VmRecords::cell(const Who& who, Row row, const std::string& metric) {
  for (Measurement& m : all_) {
    if (m.row == row && m.metric == metric && m.column == who.column && m.contender == who.contender &&
        m.place == who.place) {
      return m;
    }
  }
  const CellKind& kind = kind_of(row, metric);
  Measurement m;
  m.row = row;
  m.metric = metric;
  m.label = kind.label;
  m.column = who.column;
  m.contender = who.contender;
  m.place = who.place;
  m.unit = kind.unit;
  m.better = kind.better;
  all_.push_back(std::move(m));
  return all_.back();
}

void VmRecords::add_boot(const Who& who, const BootFigures& boot) {
  if (boot.init_ms) cell(who, Row::startup, "boot_to_init").samples.push_back(*boot.init_ms);
  if (boot.vmm_rss_kib) cell(who, Row::memory, "vmm_rss").samples.push_back(mib(*boot.vmm_rss_kib));
  if (boot.guest_rss_kib) cell(who, Row::memory, "guest_touched").samples.push_back(mib(*boot.guest_rss_kib));
  if (boot.vmm_rss_kib && boot.guest_rss_kib) {
    cell(who, Row::memory, "per_instance").samples.push_back(mib(*boot.vmm_rss_kib + *boot.guest_rss_kib));
  }
}

void VmRecords::add_workload(const Who& who, const WorkloadOutput& out, const std::string& disk_where,
                             const std::string& host_boot_id) {
  if (out.compute) {
    Measurement& m = cell(who, Row::cpu, "compute");
    m.samples.push_back(out.compute->ms);
    m.text = std::to_string(out.compute->millions) + " M iterations, checksum " + out.compute->checksum;
  }
  if (out.io) {
    std::string text = disk_where + (out.io->direct ? ", reads O_DIRECT" : ", reads through the page cache");
    const std::pair<const char*, double> figures[] = {{"seq_write", out.io->seq_write_mbps},
                                                      {"seq_read", out.io->seq_read_mbps},
                                                      {"rand_read", out.io->rand_read_iops},
                                                      {"rand_write", out.io->rand_write_iops}};
    for (const auto& [metric, value] : figures) {
      Measurement& m = cell(who, Row::disk, metric);
      m.samples.push_back(value);
      m.text = text;
    }
  }
  if (!out.uname.empty()) cell(who, Row::isolation, "kernel").text = out.uname;
  if (!out.boot_id.empty()) {
    cell(who, Row::isolation, "boot_id").text = out.boot_id;
    if (who.column != Column::host) {
      bool same = out.boot_id == host_boot_id;
      cell(who, Row::isolation, "shares_kernel").text =
          same ? "yes: the same boot id as the host" : "no: its own kernel (boot id differs from the host's " + host_boot_id + ")";
    }
  }
  if (out.syscalls) {
    Measurement& m = cell(who, Row::isolation, "syscalls_reachable");
    m.samples = {out.syscalls->reachable};
    m.text = "reachable in the guest's own kernel: " + std::to_string(static_cast<long>(out.syscalls->reachable)) +
             " of " + std::to_string(static_cast<long>(out.syscalls->total)) + ", none of them the host's";
  }
  add_attacks(who, out.attacks);
  if (out.rr_us.empty()) return;
  Measurement& rr = cell(who, Row::network, "rr_latency");
  rr.samples.insert(rr.samples.end(), out.rr_us.begin(), out.rr_us.end());
  rr.text = who.column == Column::host ? "net-probe over the host's loopback" : "net-probe from the guest over virtio-net";
}

void VmRecords::add_throughput(const Who& who, double gbit_per_s, const std::string& text) {
  Measurement& m = cell(who, Row::network, "throughput");
  m.samples.push_back(gbit_per_s);
  m.text = text;
}

void VmRecords::describe(const Who& who, Row row, const std::string& metric, const std::string& text) {
  Measurement& m = cell(who, row, metric);
  if (!m.samples.empty()) m.text = text;
}

void VmRecords::add_attacks(const Who& who, const std::vector<AttackOutcome>& attacks) {
  if (attacks.empty()) return;
  cell(who, Row::isolation, "escapes_stopped").text = describe_attacks(attacks);
}

void VmRecords::add_density(const Who& who, int instances, double budget_mib, const std::string& label,
                            const std::string& text) {
  Measurement& m = cell(who, Row::density, "density");
  m.samples.push_back(instances);
  m.params["budget_mib"] = budget_mib;  // the harness compares densities taken in different budgets
  m.label = label;
  m.text = text;
}

void VmRecords::add_missing(const Who& who, Row row, const std::string& metric, const std::string& reason) {
  Measurement& m = cell(who, row, metric);
  if (m.samples.empty() && m.text.empty()) m.missing = reason;
}

void VmRecords::add_all_missing(const Who& who, const std::string& reason) {
  for (const CellKind& kind : kKinds) add_missing(who, kind.row, kind.metric, reason);
}

std::string describe_attacks(const std::vector<AttackOutcome>& attacks) {
  std::string through, stopped, unclear;
  int n_through = 0, n_stopped = 0;
  for (const AttackOutcome& a : attacks) {
    std::string& list = a.exit_code == 1 ? through : a.exit_code == 0 ? stopped : unclear;
    list += (list.empty() ? "" : "; ") + (a.says.empty() ? a.attack : a.says);
    n_through += a.exit_code == 1;
    n_stopped += a.exit_code == 0;
  }
  std::string total = std::to_string(attacks.size());
  std::string text = std::to_string(n_through) + "/" + total + " got through to the guest's own kernel";
  if (!through.empty()) text += " (" + through + ")";
  text += "; " + std::to_string(n_stopped) + "/" + total + " stopped";
  if (!stopped.empty()) text += " (" + stopped + ")";
  if (!unclear.empty()) text += "; no verdict: " + unclear;
  return text;
}

}  // namespace deploylab::bench
