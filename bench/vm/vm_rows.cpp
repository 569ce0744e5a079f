// bench/vm/vm_rows.cpp: one vm-rows run, step by step (vm_rows.h).
#include "bench/vm/vm_rows.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>

#include "bench/boot/boot_probe.h"
#include "bench/tradeoff/interrupt.h"
#include "bench/vm/density_run.h"
#include "bench/vm/guest_disk.h"
#include "bench/vm/guest_net.h"
#include "bench/vm/guest_script.h"
#include "bench/vm/vm_records.h"
#include "bench/vm/workload_lines.h"
#include "common/file_io.h"
#include "common/stats.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTag = "deploylab-bench:";
// quiet: the kernel's boot messages cost one VM exit per byte on the emulated UART, under both
// VMMs alike; the init marker and the workloads' lines still come. deploylab.run: run.sh, then off.
constexpr const char* kRunCmdline = "console=ttyS0 reboot=t panic=-1 quiet deploylab.run=run.sh";
constexpr const char* kIdleCmdline = "console=ttyS0 reboot=t panic=-1 quiet";
constexpr int kNetPort = 7000;  // net-probe's server, alone in its network namespace

}  // namespace

bool in_vmhost() {
  const char* mark = std::getenv("DEPLOYLAB_IN_VMHOST");
  return mark != nullptr && std::string(mark) == "1";
}

namespace {

bool on_path(const std::string& program) {
  std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = std::min(path.find(':', start), path.size());
    if (::access((path.substr(start, end - start) + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::string host_release() {
  utsname names{};
  return ::uname(&names) == 0 ? names.release : "";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::optional<double> number(double value) { return std::isnan(value) ? std::nullopt : std::optional(value); }

class Run {
 public:
  explicit Run(const VmRowsOptions& options) : o_(options) {}
  int go();

 private:
  bool interrupted() const { return bench::interrupted(); }
  Who who(Contender c) const { return {to_string(c), Column::vm, place_}; }
  Who host() const { return {"host", Column::host, place_}; }
  void save();
  std::string unavailable(Contender c) const;
  void fail(Contender c, const std::string& why);
  Result<void> prepare_disk();
  void prepare_network();
  Result<void> add_network_files(GuestScript& script, DiskContents& contents) const;
  std::vector<std::string> argv(Contender c, const BootSpec& spec, const std::string& tag) const;
  void boot(Contender c, int round);
  void measure_host(int round);
  void density(Contender c);
  void network(Contender c);
  void add_guest_network(Contender c, const std::vector<std::string>& tagged);
  void add_host_network(WorkloadOutput& out);
  int net_round_trips() const { return o_.quick ? 50 : 200; }
  long net_mebibytes() const { return o_.quick ? 4 : 16; }
  std::chrono::milliseconds density_timeout(Contender c) const;
  void print_summary() const;

  const VmRowsOptions& o_;
  std::string place_ = in_vmhost() ? "vmhost" : "native";
  TempDir scratch_;
  fs::path image_;
  std::string image_fs_;
  std::string host_boot_id_ = trimmed(read_file_or_empty("/proc/sys/kernel/random/boot_id"));
  VmRecords records_;
  std::optional<GuestNetwork> net_;  // QEMU's tap and the echo server; empty: no network test
  std::string net_problem_;          // why there is none
  std::string guest_net_problem_;    // what the guest's net-probe said when a figure is missing
  std::string host_net_problem_;     // the same for the host's
  std::map<Contender, std::string> failed_;
  std::map<Contender, std::vector<double>> init_ms_;
  bool write_failed_ = false;
};

void Run::save() {
  auto written = write_measurements(o_.json.string(), "vm-rows", records_.all());
  if (written) return;
  write_failed_ = true;
  std::cerr << "vm-rows: " << written.error().message() << "\n";
}

// Why contender `c` cannot boot here; empty when it can.
std::string Run::unavailable(Contender c) const {
  if (c == Contender::libvirt) return "libvirt is measured by boot-bench (make bench-boot), not by vm-rows";
  if (c == Contender::qemu && !on_path("qemu-system-x86_64")) {
    return "qemu-system-x86_64 is not installed: apt install qemu-system-x86";
  }
  if (c == Contender::minivmm && ::access((o_.bin_dir / "minivmm").c_str(), X_OK) != 0) {
    return "minivmm is not built at " + (o_.bin_dir / "minivmm").string() + ": cmake --build build";
  }
  if (!fs::exists(o_.kernel) || !fs::exists(o_.initrd)) {
    return "no guest kernel or initramfs (" + o_.kernel.string() + "): run make deps";
  }
  if (in_vmhost()) return "";
  auto virt = vmhost::classify_virtualization(vmhost::gather_virt_facts());
  if (virt.mode == vmhost::VirtMode::hardware || virt.mode == vmhost::VirtMode::nested) return "";
  return "Linux cannot boot on this machine's KVM (" + vmhost::to_string(virt.mode) + ": " + virt.finding +
         "); run vm-rows inside the test host: vmhost auto -- vm-rows ... (make bench does)";
}

void Run::fail(Contender c, const std::string& why) {
  failed_[c] = why;
  records_.add_all_missing(who(c), why);
  std::cerr << "vm-rows: " << to_string(c) << ": " << why << "\n";
}

Result<void> Run::prepare_disk() {
  GuestScript script;
  script.compute_millions = o_.compute_millions;
  script.io_mebibytes = o_.io_mebibytes;
  script.io_random_ops = o_.io_random_ops;
  script.host_pid = ::getpid();
  DiskContents contents;
  contents.compute_kernel = o_.bin_dir / "compute-kernel";
  contents.io_probe = o_.bin_dir / "io-probe";
  if (fs::exists(o_.bin_dir / "syscall-census")) contents.syscall_census = o_.bin_dir / "syscall-census";
  if (fs::exists(o_.bin_dir / "ctr_attack")) contents.ctr_attack = o_.bin_dir / "ctr_attack";
  script.syscall_census = contents.syscall_census.has_value();
  script.attacks = contents.ctr_attack.has_value();
  script.host_only_file = (scratch_ / "only-on-the-host").string();
  if (net_) {
    if (auto added = add_network_files(script, contents); !added) {
      net_problem_ = added.error().message();
      net_.reset();
    }
  }
  DL_TRY(write_file_atomic(script.host_only_file, "this file exists on the host only\n"));
  contents.run_script = guest_run_script(script);
  image_ = scratch_ / "disk.img";
  image_fs_ = filesystem_of(scratch_.path());
  return build_disk_image(contents, scratch_ / "stage", image_, disk_image_mib(o_.io_mebibytes));
}

// QEMU's network test: a namespace with a tap and net-probe's server (guest_net.h).
void Run::prepare_network() {
  if (!o_.network) {
    net_problem_ = "not measured: vm-rows ran with --no-network";
    return;
  }
  bool qemu = std::find(o_.contenders.begin(), o_.contenders.end(), Contender::qemu) != o_.contenders.end();
  if (!qemu || failed_.count(Contender::qemu) != 0) return;
  if (!fs::exists(o_.bin_dir / "net-probe")) {
    net_problem_ = "net-probe is not built (bench/network): cmake --build build --target net-probe";
    return;
  }
  auto net = GuestNetwork::create(o_.bin_dir / "net-probe", kNetPort);
  if (!net) {
    net_problem_ = "no network for the QEMU guest: " + net.error().message();
    return;
  }
  net_.emplace(std::move(net).value());
}

// net-probe and the virtio-net modules (the initramfs has none) go on the disk too.
Result<void> Run::add_network_files(GuestScript& script, DiskContents& contents) const {
  fs::path modules = o_.kernel.parent_path() / "modules";
  auto files = module_files(DL_TRY(read_file(modules / "modules.dep")), {std::begin(kNetModules), std::end(kNetModules)});
  if (!files) return Error::invalid("the virtio-net modules are not in " + (modules / "modules.dep").string());
  for (const std::string& file : *files) contents.modules.push_back(modules / file);
  contents.net_probe = o_.bin_dir / "net-probe";
  script.network = true;
  script.net_host = net_->host_address();
  script.net_port = kNetPort;
  script.net_round_trips = net_round_trips();
  script.net_mebibytes = net_mebibytes();
  return {};
}

std::vector<std::string> Run::argv(Contender c, const BootSpec& spec, const std::string& tag) const {
  if (c == Contender::minivmm) return minivmm_argv(o_.bin_dir / "minivmm", spec, scratch_ / ("timings-" + tag + ".json"));
  if (!spec.netdev.empty() && net_) return net_->wrap(qemu_microvm_argv(spec));
  return qemu_microvm_argv(spec);
}

// One boot with the disk: the outside view (startup, memory) and the guest's lines.
void Run::boot(Contender c, int round) {
  BootSpec spec{o_.kernel, o_.initrd, o_.guest_mib << 20, kRunCmdline, image_, ""};
  if (c == Contender::qemu && net_) spec.netdev = net_->netdev();
  ProbeSpec probe;
  probe.argv = argv(c, spec, std::to_string(round));
  probe.guest_ram_bytes = spec.mem_bytes;
  probe.timeout = o_.boot_timeout;
  probe.collect_tag = kTag;
  probe.interrupted = &interrupt_flag();
  auto result = probe_boot(probe);
  if (!result) return fail(c, result.error().message());
  const ProbeResult& r = result.value();
  if (interrupted()) return;
  if (!r.failure.empty()) return fail(c, "boot failed: " + r.failure);
  BootFigures figures{number(r.init_ms), std::nullopt, std::nullopt};
  if (r.memory) figures = {number(r.init_ms), r.memory->vmm_rss_kib, r.memory->guest_rss_kib};
  records_.add_boot(who(c), figures);
  init_ms_[c].push_back(r.init_ms);
  WorkloadOutput out = parse_workload_lines(r.tagged);
  records_.add_workload(who(c), out, "ext4 on virtio-blk in the guest, image file on " + image_fs_, host_boot_id_);
  if (c == Contender::qemu && net_) add_guest_network(c, r.tagged);
  std::cerr << "vm-rows: round " << round + 1 << "/" << o_.rounds << ", " << label(c) << ": "
            << format_duration_ns(r.init_ms * 1e6) << " to init, compute "
            << (out.compute ? std::to_string(out.compute->ms) + " ms" : "missing") << ", io "
            << (out.io ? "done" : "missing") << "\n";
}

// The same workloads on this machine, in the directory that holds the guest's disk image.
void Run::measure_host(int round) {
  RunOptions options;
  options.timeout = std::chrono::minutes(10);
  std::string lines;
  auto compute = run({(o_.bin_dir / "compute-kernel").string(), "--millions", std::to_string(o_.compute_millions)}, options);
  if (compute) lines += compute.value().out;
  auto io = run({(o_.bin_dir / "io-probe").string(), "--dir", scratch_.path().string(), "--mebibytes",
                 std::to_string(o_.io_mebibytes), "--random-ops", std::to_string(o_.io_random_ops)},
                options);
  if (io) lines += io.value().out + io.value().err;
  WorkloadOutput out = parse_workload_lines(split_lines(lines));
  if (net_) add_host_network(out);
  out.uname = host_release();
  out.boot_id = host_boot_id_;
  std::string where = image_fs_ + ", the directory holding the guest's disk image";
  // vmhost's / is the host's tree over 9p under an overlay whose upper layer is a tmpfs: what
  // io-probe writes there stays in RAM, and fdatasync has nothing to wait for.
  if (in_vmhost() && image_fs_ == "overlay") where += " (inside vmhost: a tmpfs upper layer, so syncs cost nothing)";
  records_.add_workload(host(), out, where, host_boot_id_);
  std::cerr << "vm-rows: round " << round + 1 << "/" << o_.rounds << ", host: compute "
            << (out.compute ? std::to_string(out.compute->ms) + " ms" : "failed: " + lines) << "\n";
}

// The guest's round trips are already in its workload lines; its throughput and, when a figure is
// missing, why, come from the same lines (guest_net.h).
void Run::add_guest_network(Contender c, const std::vector<std::string>& tagged) {
  NetFigures figures = read_net_lines(tagged);
  if (!figures.rr_us.empty()) records_.describe(who(c), Row::network, "rr_latency", net_->describe());
  if (figures.gbit_per_s) {
    records_.add_throughput(who(c), *figures.gbit_per_s,
                            net_->describe() + ", " + std::to_string(net_mebibytes()) + " MiB from the guest");
  }
  if (!figures.problem.empty()) guest_net_problem_ = figures.problem;
  else if (figures.rr_us.empty()) guest_net_problem_ = "the guest printed no network lines (no virtio-net device seen?)";
  std::cerr << "vm-rows: " << label(c) << " network: " << figures.rr_us.size() << " round trips, throughput "
            << (figures.gbit_per_s ? std::to_string(*figures.gbit_per_s) + " Gbit/s" : "missing")
            << (figures.problem.empty() ? "" : " (" + figures.problem + ")") << "\n";
}

// The host's baseline: net-probe to the same server over loopback.
void Run::add_host_network(WorkloadOutput& out) {
  NetFigures figures = net_->host_figures(o_.bin_dir / "net-probe", net_round_trips(), net_mebibytes());
  out.rr_us = figures.rr_us;
  if (figures.gbit_per_s) {
    records_.add_throughput(host(), *figures.gbit_per_s,
                            "net-probe over the host's loopback, " + std::to_string(net_mebibytes()) + " MiB");
  }
  if (!figures.problem.empty()) host_net_problem_ = figures.problem;
}

// A boot that reaches the shell takes about as long as the measured ones; one that is starved of
// memory may crawl: three times the median, plus half a minute, at most --timeout.
std::chrono::milliseconds Run::density_timeout(Contender c) const {
  auto it = init_ms_.find(c);
  if (it == init_ms_.end() || it->second.empty()) return o_.boot_timeout;
  auto ms = std::chrono::milliseconds(static_cast<long>(summarize(it->second).median * 3 + 30000));
  return std::min<std::chrono::milliseconds>(ms, o_.boot_timeout);
}

void Run::density(Contender c) {
  auto plan = plan_density(o_.density_budget_mib, o_.density_guest_mib);
  if (!plan) return records_.add_missing(who(c), Row::density, "density", plan.error().message());
  DensityRun run;
  run.plan = plan.value();
  run.argv = [this, c](int index) {
    BootSpec spec{o_.kernel, o_.initrd, o_.density_guest_mib << 20, kIdleCmdline, {}, {}};
    return argv(c, spec, "density-" + std::to_string(index));
  };
  run.boot_timeout = density_timeout(c);
  run.scratch = scratch_.path();
  run.interrupted = &interrupt_flag();
  std::cerr << "vm-rows: density, " << label(c) << ": " << density_label(run.plan) << "\n";
  auto outcome = run_density(run);
  if (!outcome) return records_.add_missing(who(c), Row::density, "density", outcome.error().message());
  if (interrupted()) return;
  const auto& instances = outcome.value().instances;
  records_.add_density(who(c), density_count(instances), static_cast<double>(run.plan.budget_mib), density_label(run.plan),
                       density_story(run.plan, instances) + " (" + outcome.value().cgroup + ")");
}

// The network cells that stay empty, and why: minivmm has no NIC; QEMU's say what went wrong.
void Run::network(Contender c) {
  std::string why = net_ ? "the guest's net-probe failed: " + guest_net_problem_ : net_problem_;
  if (c == Contender::minivmm) {
    why = "minivmm has no network device: lab 04's VMM emulates a serial port, a boot timer and one virtio-blk disk";
  }
  for (const char* metric : {"rr_latency", "throughput"}) records_.add_missing(who(c), Row::network, metric, why);
  std::string host_why = net_ ? "the host's net-probe failed: " + host_net_problem_ : net_problem_;
  if (host_why.empty()) return;  // no QEMU in this run: the host's network was not measured, nor needed
  for (const char* metric : {"rr_latency", "throughput"}) records_.add_missing(host(), Row::network, metric, host_why);
}

void Run::print_summary() const {
  std::string said;  // a contender's missing reason is printed once, not in every cell
  for (const Measurement& m : records_.all()) {
    if (m.samples.empty() && m.text.empty() && m.missing == said) continue;
    said = m.missing;
    std::cout << to_string(m.row) << " " << m.metric << ", " << m.contender << " (" << m.place << "): ";
    if (!m.samples.empty()) {
      std::cout << summarize(m.samples).median << " " << m.unit << " (median of " << m.samples.size() << ")";
    }
    if (!m.text.empty()) std::cout << (m.samples.empty() ? "" : "; ") << m.text;
    if (!m.missing.empty()) std::cout << "missing: " << m.missing;
    std::cout << "\n";
  }
}

int Run::go() {
  catch_interrupts();
  scratch_ = TempDir::create("vm-rows-").value();
  std::vector<Contender> ready;
  for (Contender c : o_.contenders) {
    if (std::string why = unavailable(c); !why.empty()) fail(c, why);
    else ready.push_back(c);
  }
  prepare_network();
  if (auto disk = prepare_disk(); !disk) {
    for (Contender c : ready) fail(c, "the guest's disk could not be made: " + disk.error().message());
  }
  save();
  for (int round = 0; round < o_.rounds && !interrupted(); ++round) {
    for (std::size_t i = 0; i < ready.size() && !interrupted(); ++i) {
      Contender c = ready[(static_cast<std::size_t>(round) + i) % ready.size()];
      if (failed_.count(c) == 0) boot(c, round);
      save();
    }
    if (!interrupted()) measure_host(round);
    save();
  }
  for (Contender c : ready) {
    bool runs_density = std::find(o_.density_contenders.begin(), o_.density_contenders.end(), c) != o_.density_contenders.end();
    if (!o_.density_skipped.empty()) records_.add_missing(who(c), Row::density, "density", o_.density_skipped);
    else if (!runs_density) records_.add_missing(who(c), Row::density, "density", o_.density_left_out);
    else if (failed_.count(c) == 0 && !interrupted()) density(c);
    network(c);
    save();
  }
  print_summary();
  if (interrupted()) std::cerr << "vm-rows: interrupted; the VMs are stopped and what was measured is in " << o_.json << "\n";
  return interrupted() ? kInterruptedExit : write_failed_ ? 1 : 0;
}

}  // namespace

VmRowsOptions default_options(bool quick, bool vmhost) {
  VmRowsOptions options;
  if (!quick) return options;
  options.quick = true;
  options.rounds = 1;
  options.compute_millions = 10;
  options.io_mebibytes = 8;
  options.io_random_ops = 100;
  options.density_budget_mib = 160;
  if (vmhost) {
    options.density_contenders = {Contender::minivmm};
    options.density_left_out = "a quick run inside vmhost measures density with minivmm alone (each instance boots for "
                               "15-35 s there); `make bench` without QUICK runs both";
  }
  return options;
}

int run_vm_rows(const VmRowsOptions& options) {
  Run run(options);
  return run.go();
}

}  // namespace deploylab::bench
