// bench/tradeoff/rows.cpp: the tradeoff table's rows, their claims and the verdicts (rows.h).
// Each judge_* picks its row's headline figures and says, with the numbers, whether they agree.
#include "bench/tradeoff/rows.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "bench/tradeoff/format.h"
#include "common/stats.h"

namespace deploylab::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The best-scoring measurement of a column in a row among `metrics` (the first metric that has
// any samples wins), over every place. Null when none was measured.
const Measurement* best(const std::vector<Measurement>& ms, Row row, Column column,
                        const std::vector<std::string>& metrics) {
  for (const std::string& metric : metrics) {
    const Measurement* found = nullptr;
    for (const Measurement& m : ms) {
      if (m.row != row || m.column != column || m.metric != metric || m.samples.empty()) continue;
      bool better = found == nullptr ||
                    (m.better == Better::higher ? median_of(m) > median_of(*found) : median_of(m) < median_of(*found));
      if (better) found = &m;
    }
    if (found != nullptr) return found;
  }
  return nullptr;
}

std::string figure(const Measurement& m) {
  std::string where = m.place == "native" ? "" : " (" + describe_place(m.place) + ")";
  return contender_label(m.contender) + " " + format_value(median_of(m), m.unit) + where;
}

bool any_vmhost(const Measurement* a) { return a != nullptr && a->place == "vmhost"; }

const char* kVmhostCaveat =
    " The VM figure was measured inside vmhost, where QEMU emulates every instruction of the test host, so "
    "the gap here is wider than on hardware KVM.";

Verdict judge_startup(const std::vector<Measurement>& ms) {
  const std::vector<std::string> metrics{"first_output", "boot_to_init", "run_to_exit"};
  const Measurement* vm = best(ms, Row::startup, Column::vm, metrics);
  const Measurement* ctr = best(ms, Row::startup, Column::container, metrics);
  if (vm == nullptr || ctr == nullptr) return {VerdictKind::not_measured, "a VM or a container start was not measured"};
  double ratio = median_of(*vm) / median_of(*ctr);
  std::string text = "fastest VM to its first output: " + figure(*vm) + "; fastest container: " + figure(*ctr) +
                     " (" + format_ratio(ratio) + ").";
  if (ratio < 10) return {VerdictKind::disagrees, text + " A VM started within 10x of a container."};
  if (any_vmhost(vm)) return {VerdictKind::depends, text + " Booting a whole kernel is slower, as claimed." + kVmhostCaveat};
  return {VerdictKind::agrees, text + " Booting a whole kernel costs more than starting a process, as claimed."};
}

Verdict judge_memory(const std::vector<Measurement>& ms) {
  const Measurement* vm = best(ms, Row::memory, Column::vm, {"per_instance"});
  const Measurement* ctr = best(ms, Row::memory, Column::container, {"per_instance"});
  if (vm == nullptr || ctr == nullptr) return {VerdictKind::not_measured, "VM or container memory was not measured"};
  double v = median_of(*vm), c = median_of(*ctr);
  std::string text = "smallest VM instance: " + figure(*vm) + "; smallest container: " + figure(*ctr) + " (" +
                     format_ratio(v / c) + ").";
  if (v <= c) return {VerdictKind::disagrees, text + " The VM used no more memory than the container."};
  if (v >= 1024 && c < 100) return {VerdictKind::agrees, text + " GBs against MBs, as claimed."};
  const Measurement* touched = find_measurement(ms, Row::memory, "guest_touched", vm->contender, vm->place);
  std::string guest = touched != nullptr ? " (its guest touched " + format_value(median_of(*touched), "MiB") + " of its RAM)" : "";
  return {VerdictKind::partly,
          text + " VMs cost far more, but a minimal guest" + guest + " costs MiB, not GBs: guest RAM is only paid for "
                 "when the guest touches it. GBs come from full distributions and RAM reserved up front."};
}

// Density counts are taken in budgets that suit each kind (a few MiB hold dozens of containers and
// no VM), so they are compared per MiB of budget: the memory one idle instance took, all in.
Verdict judge_density(const std::vector<Measurement>& ms) {
  const Measurement* vm = best(ms, Row::density, Column::vm, {"density"});
  const Measurement* ctr = best(ms, Row::density, Column::container, {"density"});
  if (vm == nullptr || ctr == nullptr) return {VerdictKind::not_measured, "density was not run for VMs or containers"};
  auto budget = [](const Measurement& m) {
    auto it = m.params.find("budget_mib");
    return it == m.params.end() ? kNaN : it->second;
  };
  auto in_budget = [&](const Measurement& m) {
    return contender_label(m.contender) + ": " + format_value(median_of(m), "count") + " in " +
           format_value(budget(m), "MiB") + (m.place == "native" ? "" : " (" + describe_place(m.place) + ")");
  };
  std::string text = "idle instances that ran in a memory budget: " + in_budget(*vm) + "; " + in_budget(*ctr) + ".";
  double vm_cost = budget(*vm) / median_of(*vm), ctr_cost = budget(*ctr) / median_of(*ctr);
  if (std::isnan(vm_cost) || std::isnan(ctr_cost) || median_of(*vm) == 0)
    return {median_of(*ctr) > median_of(*vm) ? VerdictKind::agrees : VerdictKind::not_measured,
            text + " (The budgets are not recorded or no VM fit, so no cost per instance can be compared.)"};
  text += " That is " + format_value(vm_cost, "MiB") + " per VM against " + format_value(ctr_cost, "MiB") +
          " per container (" + format_ratio(vm_cost / ctr_cost) + ").";
  if (ctr_cost >= vm_cost) return {VerdictKind::disagrees, text + " Containers did not pack denser."};
  return {VerdictKind::agrees, text + " Containers pack far denser into the same memory, as claimed."};
}

Verdict judge_crossing(const std::vector<Measurement>& ms) {
  const Measurement* exit = best(ms, Row::crossing, Column::vm, {"pio_exit", "mmio_exit", "hypercall"});
  const Measurement* sys = best(ms, Row::crossing, Column::host, {"syscall"});
  if (exit == nullptr || sys == nullptr) return {VerdictKind::not_measured, "VM exits or system calls were not measured"};
  const Measurement* same_place_sys = find_measurement(ms, Row::crossing, "syscall", sys->contender, exit->place);
  if (same_place_sys != nullptr) sys = same_place_sys;
  double ratio = median_of(*exit) / median_of(*sys);
  std::string text = "cheapest exit to the VMM: " + figure(*exit) + " against a system call " + figure(*sys) + " (" +
                     format_ratio(ratio) + ").";
  if (ratio < 2) return {VerdictKind::disagrees, text + " A VM exit cost about as much as a system call."};
  if (any_vmhost(exit)) return {VerdictKind::depends, text + " Leaving the guest is expensive, as claimed." + kVmhostCaveat};
  return {VerdictKind::agrees, text + " Leaving the guest is expensive, as claimed."};
}

// Rows whose claim is "close to the host": cpu and disk. Each contender's figures are compared
// with the host's in the same place and summed up as the geometric mean of the ratios (one noisy
// metric of four should not decide the row); the verdict goes by the worst contender of each
// column. "Near" is within `near` (disk figures swing more than CPU ones).
Verdict judge_near_host(const std::vector<Measurement>& ms, Row row, const std::string& what, double near,
                        const std::string& vmhost_caveat) {
  struct Typical {
    double log_sum = 0;
    int n = 0;
    const Measurement* any = nullptr;
    double ratio() const { return n == 0 ? kNaN : std::exp(log_sum / n); }
  };
  std::vector<Typical> per;  // one per contender and place, in order of appearance
  std::vector<std::pair<std::string, std::string>> keys;
  for (const Measurement& m : ms) {
    double r = m.row == row && m.column != Column::host && !m.samples.empty() ? vs_host(ms, m) : kNaN;
    if (std::isnan(r) || r <= 0) continue;
    auto key = std::make_pair(m.contender, m.place);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) keys.push_back(key), per.push_back({}), it = keys.end() - 1;
    Typical& t = per[static_cast<std::size_t>(it - keys.begin())];
    t.log_sum += std::log(r), ++t.n, t.any = &m;
  }
  const Typical* worst[3] = {nullptr, nullptr, nullptr};
  for (const Typical& t : per) {
    int c = static_cast<int>(t.any->column);
    if (worst[c] == nullptr || t.ratio() > worst[c]->ratio()) worst[c] = &t;
  }
  const Typical* ctr = worst[static_cast<int>(Column::container)];
  const Typical* vm = worst[static_cast<int>(Column::vm)];
  if (ctr == nullptr && vm == nullptr) return {VerdictKind::not_measured, what + ": no figure next to a host baseline"};
  auto describe = [&](const Typical* t) {
    const Measurement& m = *t->any;
    return contender_label(m.contender) + " " + format_ratio(t->ratio()) + " the host's" +
           (t->n > 1 ? " (geometric mean of " + std::to_string(t->n) + " figures)" : "") +
           (m.place == "native" ? "" : ", both " + describe_place(m.place));
  };
  std::string text;
  if (ctr != nullptr) text += "slowest container: " + describe(ctr) + ". ";
  if (vm != nullptr) text += "Slowest VM: " + describe(vm) + ". ";
  bool ctr_near = ctr == nullptr || ctr->ratio() < near;
  bool vm_near = vm == nullptr || vm->ratio() < near;
  if (!ctr_near) return {VerdictKind::disagrees, text + "Containers are not near the host here."};
  if (vm != nullptr && vm->any->place == "vmhost")
    return {VerdictKind::depends, text + "Containers stay near the host. " + vmhost_caveat};
  if (vm_near) return {VerdictKind::agrees, text + "Both near the host."};
  return {VerdictKind::partly, text + "Containers stay near the host; the VM pays for its virtual hardware."};
}

// Network: a path "costs little" when it adds under 10 us to a round trip and keeps at least half
// of the host's throughput (bulk figures of short runs swing by a third). Ratios alone mislead here: 1.4x of an 11 us loopback is 4 us.
Verdict judge_network(const std::vector<Measurement>& ms) {
  double added[3] = {kNaN, kNaN, kNaN}, slower[3] = {kNaN, kNaN, kNaN};
  // With both ends asleep in read(), a round trip mostly times how fast a sleeping CPU wakes up
  // (bench/network/README.md); where the spinning figure exists, it is the one about the path.
  bool spinning[3] = {false, false, false};
  for (const Measurement& m : ms)
    if (m.row == Row::network && !m.samples.empty() && m.metric.rfind("rtt_spinning", 0) == 0)
      spinning[static_cast<int>(m.column)] = true;
  for (const Measurement& m : ms) {
    if (m.row != Row::network || m.samples.empty() || m.column == Column::host) continue;
    bool sleeping_rtt = m.better == Better::lower && m.metric.rfind("rtt_spinning", 0) != 0;
    if (sleeping_rtt && spinning[static_cast<int>(m.column)]) continue;
    const Measurement* base = host_baseline(ms, m);
    if (base == nullptr) continue;
    int c = static_cast<int>(m.column);
    if (m.better == Better::lower) {
      double extra = median_of(m) - median_of(*base);
      if (std::isnan(added[c]) || extra > added[c]) added[c] = extra;
    } else {
      double ratio = median_of(*base) / median_of(m);
      if (std::isnan(slower[c]) || ratio > slower[c]) slower[c] = ratio;
    }
  }
  auto cheap = [&](int c) { return (std::isnan(added[c]) || added[c] < 10) && (std::isnan(slower[c]) || slower[c] < 2); };
  auto sentence = [&](int c, const std::string& who) {
    if (std::isnan(added[c]) && std::isnan(slower[c])) return std::string();
    std::string out = who + ":";
    if (!std::isnan(added[c])) out += " at most " + format_value(std::max(0.0, added[c]), "us") + " added to a round trip;";
    if (!std::isnan(slower[c])) out += " throughput at worst " + format_value(100 / slower[c], "%") + " of the host's;";
    return out.substr(0, out.size() - 1) + ". ";
  };
  int ctr = static_cast<int>(Column::container), vm = static_cast<int>(Column::vm);
  std::string text = sentence(ctr, "containers") + sentence(vm, "VMs");
  if (text.empty()) return {VerdictKind::not_measured, "network: no figure next to a host baseline"};
  bool vm_measured = !std::isnan(added[vm]) || !std::isnan(slower[vm]);
  if (!cheap(ctr)) return {VerdictKind::disagrees, text + "The container network is not cheap here."};
  if (!vm_measured) return {VerdictKind::partly, text + "The container side holds; no VM network was measured."};
  bool vmhost = false;
  for (const Measurement& m : ms) vmhost = vmhost || (m.row == Row::network && m.column == Column::vm && m.place == "vmhost" && !m.samples.empty());
  if (vmhost)
    return {VerdictKind::depends, text + "A bridge costs little. The VM's figures come from inside vmhost, where every "
                                         "packet through the virtual NIC is emulated twice over, so they say little about "
                                         "a virtual NIC on hardware KVM."};
  if (cheap(vm)) return {VerdictKind::partly, text + "Both cost little; the VM's NIC did not cost more here."};
  return {VerdictKind::agrees, text + "A bridge costs little; the VM pays for its virtual NIC."};
}

Verdict judge_isolation(const std::vector<Measurement>& ms) {
  const Measurement* vm_kernel = nullptr;
  const Measurement* ctr_kernel = nullptr;
  for (const Measurement& m : ms) {
    if (m.row != Row::isolation || m.metric != "shares_kernel" || m.text.empty()) continue;
    if (m.column == Column::vm && vm_kernel == nullptr) vm_kernel = &m;
    if (m.column == Column::container && ctr_kernel == nullptr) ctr_kernel = &m;
  }
  if (vm_kernel == nullptr || ctr_kernel == nullptr) return {VerdictKind::not_measured, "the kernel check did not run in a VM and a container"};
  bool vm_own = vm_kernel->text.rfind("no", 0) == 0;
  bool ctr_shared = ctr_kernel->text.rfind("yes", 0) == 0;
  std::string text = contender_label(vm_kernel->contender) + " guest shares the host kernel: " + vm_kernel->text + "; " +
                     contender_label(ctr_kernel->contender) + " container: " + ctr_kernel->text + ".";
  const Measurement* reach = best(ms, Row::isolation, Column::container, {"syscalls_reachable"});
  if (reach != nullptr) text += " Under its seccomp profile " + contender_label(reach->contender) + " still reaches " +
                                format_value(median_of(*reach), "") + " host system calls (" + reach->text + ").";
  if (vm_own && ctr_shared) return {VerdictKind::agrees, text + " Own kernel per VM, one shared kernel for containers, as claimed."};
  return {VerdictKind::disagrees, text};
}

}  // namespace

double median_of(const Measurement& m) { return m.samples.empty() ? kNaN : summarize(m.samples).median; }

const Measurement* find_measurement(const std::vector<Measurement>& ms, Row row, const std::string& metric,
                                    const std::string& contender, const std::string& place) {
  for (const Measurement& m : ms)
    if (m.row == row && m.metric == metric && m.contender == contender && m.place == place && !m.samples.empty())
      return &m;
  return nullptr;
}

double vs_host(const std::vector<Measurement>& ms, const Measurement& m) {
  const Measurement* base = host_baseline(ms, m);
  if (base == nullptr || median_of(*base) == 0 || median_of(m) == 0) return kNaN;
  return m.better == Better::higher ? median_of(*base) / median_of(m) : median_of(m) / median_of(*base);
}

const Measurement* host_baseline(const std::vector<Measurement>& ms, const Measurement& m) {
  const std::string& metric = m.baseline.empty() ? m.metric : m.baseline;
  for (const Measurement& h : ms)
    if (h.column == Column::host && h.row == m.row && h.metric == metric && h.place == m.place && !h.samples.empty())
      return &h;
  return nullptr;
}

const std::vector<RowInfo>& row_catalogue() {
  static const std::vector<RowInfo> rows{
      {Row::startup, "1", "Start-up", "VM: full OS per VM (a kernel boots) | container: shares the host kernel (a process starts)"},
      {Row::memory, "2", "Memory per instance", "VM: heavy, GBs of memory | container: lightweight, MBs of overhead"},
      {Row::density, "2b", "Density", "(follows from row 2) many more containers than VMs fit in the same memory"},
      {Row::crossing, "3", "Crossing the boundary", "VM: VMCALL/VM exits are expensive (cache and TLB invalidations) | container: an ordinary system call"},
      {Row::cpu, "4", "CPU-bound work", "(not in the notes; the usual claim) both run CPU-bound code at near-native speed"},
      {Row::disk, "5", "Disk I/O", "(not in the notes; the usual claim) containers near native on overlayfs | VMs pay for a virtual disk"},
      {Row::network, "6", "Network", "(not in the notes; the usual claim) a bridge and a veth cost little | VMs pay for a virtual NIC"},
      {Row::isolation, "7", "Isolation", "VM: own kernel, hardware isolation, strong boundary (multi-tenant) | container: shared kernel, namespaces and cgroups, weaker boundary (single-tenant)"},
  };
  return rows;
}

const RowInfo& row_info(Row row) {
  for (const RowInfo& info : row_catalogue())
    if (info.row == row) return info;
  throw std::logic_error("row_info: a row missing from the catalogue");
}

std::string to_string(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::agrees: return "agrees";
    case VerdictKind::partly: return "partly agrees";
    case VerdictKind::disagrees: return "disagrees";
    case VerdictKind::depends: return "depends on the machine";
    case VerdictKind::not_measured: return "not measured";
  }
  return "?";
}

Verdict judge(Row row, const std::vector<Measurement>& ms) {
  switch (row) {
    case Row::startup: return judge_startup(ms);
    case Row::memory: return judge_memory(ms);
    case Row::density: return judge_density(ms);
    case Row::crossing: return judge_crossing(ms);
    case Row::cpu:
      return judge_near_host(ms, row, "CPU-bound work", 1.25,
                             "Inside vmhost the guest's instructions are emulated like the test host's own, through "
                             "one more layer; on hardware KVM guest code runs on the CPU directly.");
    case Row::disk:
      return judge_near_host(ms, row, "disk I/O", 1.5,
                             "Inside vmhost the test host has no disk of its own (its files live in memory, so an "
                             "fdatasync costs it nothing), while the guest's virtio-blk requests go through two "
                             "emulated layers: the VM's figure is an upper bound on the cost of a virtual disk.");
    case Row::network: return judge_network(ms);
    case Row::isolation: return judge_isolation(ms);
  }
  return {};
}

}  // namespace deploylab::bench
