// bench/vm/guest_script.cpp: the guest's run.sh (guest_script.h).
#include "bench/vm/guest_script.h"

namespace deploylab::bench {
namespace {

// Single quotes for sh, with any ' inside closed, escaped and reopened.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One attack: ctr_attack's exit code and its first line, on one line of our own.
std::string attack_line(const std::vector<std::string>& attack) {
  std::string command = "./ctr_attack";
  for (const std::string& word : attack) command += " " + quoted(word);
  return "out=$(" + command + " 2>&1); rc=$?\n"
         "echo \"deploylab-bench: attack " + attack[0] + " rc=$rc $(echo \"$out\" | head -n 1)\"\n";
}

// Only a VM with a virtio-net device (ID 0x0001) loads the modules and measures. eth0 may take
// a moment to appear after virtio_net's probe; a step that fails puts its message on the line
// instead of net-probe's JSON, so the cell can say why (guest_net.h: read_net_lines).
std::string network_part(const GuestScript& script) {
  std::string modules;
  for (const char* module : kNetModules) modules += std::string(" ") + module;
  std::string to = script.net_host + " " + std::to_string(script.net_port) + " ";
  return "if grep -qx 0x0001 /sys/bus/virtio/devices/*/device 2>/dev/null; then\n"
         "  for m in" + modules + "; do insmod /mnt/modules/$m.ko; done\n"
         "  tries=0\n"
         "  while [ ! -e /sys/class/net/eth0 ] && [ $tries -lt 40 ]; do sleep 0.05; tries=$((tries + 1)); done\n"
         "  ip link set lo up\n"
         "  if err=$({ ip link set eth0 up && ip addr add " + std::string(kGuestIp) + "/24 dev eth0; } 2>&1); then\n"
         "    echo \"deploylab-bench: net $(./net-probe rr " + to + std::to_string(script.net_round_trips) +
         " 2>&1 | tr '\\n' ' ')\"\n"
         "    echo \"deploylab-bench: net_stream $(./net-probe stream " + to + std::to_string(script.net_mebibytes) +
         " 2>&1 | tr '\\n' ' ')\"\n"
         "  else\n"
         "    echo \"deploylab-bench: net configuring eth0 failed: $err\" | tr '\\n' ' '; echo\n"
         "  fi\n"
         "fi\n";
}

}  // namespace

std::vector<std::vector<std::string>> guest_attacks(const GuestScript& script) {
  return {{"chroot-escape", script.host_only_file},
          {"mount"},
          {"keyctl"},
          {"unshare-user"},
          {"init-module"},
          {"kill", std::to_string(script.host_pid)},
          {"open-write", "/proc/sysrq-trigger"},
          {"read", script.host_only_file}};
}

std::string guest_run_script(const GuestScript& script) {
  std::string text =
      "# /mnt/run.sh, written by vm-rows (bench/vm/guest_script.h): the guest's facts and workloads,\n"
      "# one \"deploylab-bench:\" line each. init powers the guest off when it returns.\n"
      "cd /mnt || exit 1\n"
      "echo \"deploylab-bench: uname $(uname -r)\"\n"
      "echo \"deploylab-bench: boot_id $(cat /proc/sys/kernel/random/boot_id)\"\n";
  text += "./compute-kernel --millions " + std::to_string(script.compute_millions) + "\n";
  text += "./io-probe --dir /mnt --mebibytes " + std::to_string(script.io_mebibytes) + " --random-ops " +
          std::to_string(script.io_random_ops) + "\n";
  if (script.syscall_census) text += "./syscall-census\n";
  if (script.network) text += network_part(script);
  if (!script.attacks) return text;
  for (const auto& attack : guest_attacks(script)) text += attack_line(attack);
  return text;
}

}  // namespace deploylab::bench
