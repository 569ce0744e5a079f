// bench/vm/vm_records.h: vm-rows' figures as the tradeoff table's Measurements
// (bench/tradeoff/measurement.h). Pure: figures in, records out; vm_rows.cpp measures.
//
// One boot of a contender gives a sample in every row at once (bench/vm/README.md):
//   startup    boot_to_init        ms    spawn of the VMM -> "deploylab-initramfs: init started"
//   memory     vmm_rss             MiB   VMM resident memory minus guest RAM, at the marker
//              guest_touched       MiB   guest RAM resident at the marker
//              per_instance        MiB   their sum
//   cpu        compute             ms    compute-kernel in the guest (and on the host: column host)
//   disk       seq_write seq_read  MB/s  io-probe on the guest's virtio-blk disk (host: beside the image)
//              rand_read rand_write IOPS
//   isolation  kernel, boot_id, shares_kernel (text), syscalls_reachable (count),
//              escapes_stopped (text only: what each attack met in the guest's own kernel)
//   network    rr_latency          us    1-byte TCP round trips, net-probe rr (host: over loopback)
//              throughput          Gbit/s bulk TCP, net-probe stream (host: over loopback)
// plus density (count, one run per contender); minivmm's network cells are missing (no NIC).
// Cells are found or added by (row, metric, column, contender, place), so every round adds its
// samples to the same Measurement.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"
#include "bench/vm/workload_lines.h"

namespace deploylab::bench {

// Who ran and where: {"minivmm", Column::vm, "vmhost"} or {"host", Column::host, "native"}.
struct Who {
  std::string contender;
  Column column = Column::vm;
  std::string place = "native";
};

// The outside view of one boot; a missing figure is std::nullopt.
struct BootFigures {
  std::optional<double> init_ms;
  std::optional<double> vmm_rss_kib, guest_rss_kib;
};

class VmRecords {
 public:
  void add_boot(const Who& who, const BootFigures& boot);
  // compute, io, census and uname/boot_id of one run; `disk_where` says where io-probe wrote
  // ("ext4 on virtio-blk, image on overlay"), `host_boot_id` is the machine's (for shares_kernel).
  void add_workload(const Who& who, const WorkloadOutput& out, const std::string& disk_where,
                    const std::string& host_boot_id);
  // network: one bulk transfer's throughput (Gbit/s); `text` says over what.
  void add_throughput(const Who& who, double gbit_per_s, const std::string& text);
  // density: instances that ran; `label` says the budget and guest size.
  void add_density(const Who& who, int instances, double budget_mib, const std::string& label, const std::string& text);
  // Replaces the text of a cell that has samples (how a figure was taken, known to the caller).
  void describe(const Who& who, Row row, const std::string& metric, const std::string& text);
  // A cell that stays empty, and why ("qemu-system-x86_64 is not installed: ...").
  void add_missing(const Who& who, Row row, const std::string& metric, const std::string& reason);
  // add_missing for every cell a VM contender fills (for a contender that cannot run at all).
  void add_all_missing(const Who& who, const std::string& reason);

  const std::vector<Measurement>& all() const { return all_; }

 private:
  Measurement& cell(const Who& who, Row row, const std::string& metric);
  void add_attacks(const Who& who, const std::vector<AttackOutcome>& attacks);

  std::vector<Measurement> all_;
};

// "5 of 8 got through to the guest's own kernel (mount, ...); 3 stopped (read: ENOENT ...)".
std::string describe_attacks(const std::vector<AttackOutcome>& attacks);

}  // namespace deploylab::bench
