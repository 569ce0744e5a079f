// bench/vm/vm_records_test.cpp: the VM column's Measurements (vm_records.h).
#include "bench/vm/vm_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

const Measurement* find(const VmRecords& records, const std::string& metric, const std::string& contender) {
  for (const Measurement& m : records.all()) {
    if (m.metric == metric && m.contender == contender) return &m;
  }
  return nullptr;
}

WorkloadOutput guest_output() {
  WorkloadOutput out;
  out.compute = ComputeFigures{10, 25.0, "ab"};
  out.io = IoFigures{30, 200, 900, 400, true};
  out.uname = "6.1.0-56-amd64";
  out.boot_id = "guest-id";
  out.syscalls = SyscallFigures{361, 0, 361};
  out.attacks = {{"mount", 1, "mount: SUCCEEDED (returned 0)"}, {"read", 0, "read: blocked: ENOENT"}};
  return out;
}

TEST(VmRecords, OneBootFillsStartupAndMemory) {
  VmRecords records;
  Who minivmm{"minivmm", Column::vm, "vmhost"};
  records.add_boot(minivmm, {14000.0, 3072.0, 40960.0});
  records.add_boot(minivmm, {15000.0, 3072.0, 40960.0});
  const Measurement* startup = find(records, "boot_to_init", "minivmm");
  ASSERT_NE(startup, nullptr);
  EXPECT_EQ(startup->samples, (std::vector<double>{14000, 15000})) << "two rounds, one Measurement";
  EXPECT_EQ(startup->place, "vmhost");
  EXPECT_EQ(startup->unit, "ms");
  const Measurement* per_instance = find(records, "per_instance", "minivmm");
  ASSERT_NE(per_instance, nullptr);
  EXPECT_DOUBLE_EQ(per_instance->samples[0], 43.0) << "3 MiB VMM + 40 MiB guest";
  EXPECT_EQ(find(records, "vmm_rss", "minivmm")->samples[0], 3.0);
}

TEST(VmRecords, WorkloadLinesBecomeCpuDiskAndIsolationCells) {
  VmRecords records;
  records.add_workload({"qemu", Column::vm, "native"}, guest_output(), "ext4 on virtio-blk", "host-id");
  EXPECT_EQ(find(records, "compute", "qemu")->samples, std::vector<double>{25.0});
  EXPECT_EQ(find(records, "seq_write", "qemu")->better, Better::higher);
  EXPECT_EQ(find(records, "rand_write", "qemu")->unit, "IOPS");
  EXPECT_THAT(find(records, "seq_read", "qemu")->text, HasSubstr("ext4 on virtio-blk, reads O_DIRECT"));
  EXPECT_EQ(find(records, "kernel", "qemu")->text, "6.1.0-56-amd64");
  EXPECT_THAT(find(records, "shares_kernel", "qemu")->text, ::testing::StartsWith("no"))
      << "a different boot id is a kernel of its own";
  EXPECT_EQ(find(records, "syscalls_reachable", "qemu")->samples, std::vector<double>{361});
  EXPECT_THAT(find(records, "escapes_stopped", "qemu")->text, HasSubstr("1/2 got through to the guest's own kernel"));
}

TEST(VmRecords, RoundTripsOfEveryBootAddUp) {
  VmRecords records;
  WorkloadOutput out;
  out.rr_us = {60, 70};
  records.add_workload({"qemu", Column::vm, "vmhost"}, out, "", "host-id");
  records.add_workload({"qemu", Column::vm, "vmhost"}, out, "", "host-id");
  const Measurement* rr = find(records, "rr_latency", "qemu");
  ASSERT_NE(rr, nullptr);
  EXPECT_EQ(rr->samples.size(), 4u);
  EXPECT_EQ(rr->unit, "us");
  EXPECT_EQ(rr->row, Row::network);
}

TEST(VmRecords, ThroughputIsANetworkCellInGbitPerSecondThatComparesWithTheHosts) {
  VmRecords records;
  records.add_throughput({"qemu", Column::vm, "vmhost"}, 0.25, "virtio-net on a tap, 4 MiB");
  records.add_throughput({"host", Column::host, "vmhost"}, 2.0, "loopback, 4 MiB");
  records.add_missing({"qemu", Column::vm, "vmhost"}, Row::network, "throughput", "should not replace the sample");
  const Measurement* vm = find(records, "throughput", "qemu");
  const Measurement* host = find(records, "throughput", "host");
  ASSERT_NE(vm, nullptr);
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(vm->samples, std::vector<double>{0.25});
  EXPECT_EQ(vm->row, Row::network);
  EXPECT_EQ(vm->unit, "Gbit/s");
  EXPECT_EQ(vm->better, Better::higher);
  EXPECT_EQ(vm->missing, "") << "a cell with a sample is not missing";
  EXPECT_EQ(vm->text, "virtio-net on a tap, 4 MiB");
  EXPECT_EQ(host->column, Column::host);
  EXPECT_EQ(host->place, vm->place) << "the harness compares a VM cell with the host cell of the same place";
}

TEST(VmRecords, TheSameBootIdMeansTheHostsKernel) {
  VmRecords records;
  records.add_workload({"qemu", Column::vm, "native"}, guest_output(), "", "guest-id");
  EXPECT_THAT(find(records, "shares_kernel", "qemu")->text, ::testing::StartsWith("yes"));
}

TEST(VmRecords, HostColumnHasNoKernelVerdict) {
  VmRecords records;
  records.add_workload({"host", Column::host, "vmhost"}, guest_output(), "overlay", "guest-id");
  EXPECT_EQ(find(records, "shares_kernel", "host"), nullptr) << "the host is the host";
  EXPECT_EQ(find(records, "compute", "host")->column, Column::host);
}

TEST(VmRecords, AMissingContenderGetsTheReasonInEveryCellButKeepsSamples) {
  VmRecords records;
  Who qemu{"qemu", Column::vm, "native"};
  records.add_boot(qemu, {1000.0, std::nullopt, std::nullopt});
  records.add_all_missing(qemu, "qemu-system-x86_64 is not installed: apt install qemu-system-x86");
  EXPECT_EQ(find(records, "boot_to_init", "qemu")->missing, "") << "a cell with samples is not missing";
  EXPECT_EQ(find(records, "density", "qemu")->missing, "qemu-system-x86_64 is not installed: apt install qemu-system-x86");
  EXPECT_TRUE(find(records, "rr_latency", "qemu")->samples.empty());
  EXPECT_EQ(find(records, "rr_latency", "qemu")->row, Row::network);
  EXPECT_EQ(find(records, "throughput", "qemu")->missing, "qemu-system-x86_64 is not installed: apt install qemu-system-x86");
}

TEST(VmRecords, DensityTakesItsLabel) {
  VmRecords records;
  records.add_density({"minivmm", Column::vm, "vmhost"}, 3, 384, "idle 128 MiB guests in a 384 MiB memory cgroup", "story");
  const Measurement* m = find(records, "density", "minivmm");
  EXPECT_EQ(m->samples, std::vector<double>{3});
  EXPECT_EQ(m->unit, "count");
  EXPECT_EQ(m->label, "idle 128 MiB guests in a 384 MiB memory cgroup");
}

}  // namespace
}  // namespace deploylab::bench
