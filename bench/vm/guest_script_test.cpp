// bench/vm/guest_script_test.cpp: the guest's run.sh (guest_script.h).
#include "bench/vm/guest_script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

GuestScript script() {
  GuestScript s;
  s.compute_millions = 10;
  s.io_mebibytes = 8;
  s.io_random_ops = 100;
  s.host_only_file = "/tmp/vm-rows-x/it's only here";
  s.host_pid = 4242;
  return s;
}

TEST(GuestRunScript, PrintsTheFactsAndRunsTheWorkloadsOnTheDisk) {
  std::string text = guest_run_script(script());
  EXPECT_THAT(text, HasSubstr("cd /mnt"));
  EXPECT_THAT(text, HasSubstr("echo \"deploylab-bench: uname $(uname -r)\""));
  EXPECT_THAT(text, HasSubstr("deploylab-bench: boot_id $(cat /proc/sys/kernel/random/boot_id)"));
  EXPECT_THAT(text, HasSubstr("./compute-kernel --millions 10\n"));
  EXPECT_THAT(text, HasSubstr("./io-probe --dir /mnt --mebibytes 8 --random-ops 100\n")) << "io-probe writes on the virtio disk";
  EXPECT_THAT(text, Not(HasSubstr("syscall-census"))) << "not on the disk, not run";
  EXPECT_THAT(text, Not(HasSubstr("ctr_attack")));
}

TEST(GuestRunScript, RunsTheCensusAndEveryAttackWhenPresent) {
  GuestScript s = script();
  s.syscall_census = true;
  s.attacks = true;
  std::string text = guest_run_script(s);
  EXPECT_THAT(text, HasSubstr("./syscall-census\n"));
  EXPECT_THAT(text, HasSubstr("out=$(./ctr_attack 'mount' 2>&1); rc=$?\n"));
  EXPECT_THAT(text, HasSubstr("echo \"deploylab-bench: attack mount rc=$rc $(echo \"$out\" | head -n 1)\""));
  EXPECT_THAT(text, HasSubstr("./ctr_attack 'kill' '4242'"));
  EXPECT_THAT(text, HasSubstr("./ctr_attack 'read' '/tmp/vm-rows-x/it'\\''s only here'")) << "quotes inside are escaped";
  EXPECT_EQ(guest_attacks(s).size(), 8u);
}

TEST(GuestRunScript, MeasuresTheNetworkOnlyWithAVirtioNetDevice) {
  GuestScript s = script();
  EXPECT_THAT(guest_run_script(s), Not(HasSubstr("net-probe")));
  s.network = true;
  s.net_port = 7000;
  s.net_round_trips = 50;
  std::string text = guest_run_script(s);
  EXPECT_THAT(text, HasSubstr("grep -qx 0x0001 /sys/bus/virtio/devices/*/device")) << "minivmm has no NIC: skip";
  EXPECT_THAT(text, HasSubstr("for m in failover net_failover virtio_net; do insmod /mnt/modules/$m.ko; done"));
  EXPECT_THAT(text, HasSubstr("ip addr add 10.0.2.15/24 dev eth0"));
  EXPECT_THAT(text, HasSubstr("while [ ! -e /sys/class/net/eth0 ]")) << "eth0 may come a moment after the module";
  EXPECT_THAT(text, HasSubstr("deploylab-bench: net $(./net-probe rr 10.0.2.1 7000 50 2>&1 | tr '\\n' ' ')"))
      << "an error message lands on the line too, so the cell can say why";
  EXPECT_THAT(text, HasSubstr("deploylab-bench: net_stream $(./net-probe stream 10.0.2.1 7000 16 2>&1"))
      << "bulk throughput, default 16 MiB";
  EXPECT_THAT(text, HasSubstr("deploylab-bench: net configuring eth0 failed: $err"));
}

TEST(GuestRunScript, TheNetworkPartIsValidShell) {
  GuestScript s = script();
  s.network = true;
  s.net_port = 7000;
  s.net_mebibytes = 4;
  std::string text = guest_run_script(s);
  EXPECT_THAT(text, HasSubstr("./net-probe stream 10.0.2.1 7000 4 "));
  std::size_t ifs = 0, fis = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    line.erase(0, line.find_first_not_of(' '));
    ifs += line.rfind("if ", 0) == 0;
    fis += line == "fi";
  }
  EXPECT_EQ(ifs, fis) << "every if has its fi:\n" << text;
}

}  // namespace
}  // namespace deploylab::bench
