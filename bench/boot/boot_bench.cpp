// bench/boot/boot_bench.cpp: the rounds of the boot benchmark and how each contender is booted
// (boot_bench.h).
#include "bench/boot/boot_bench.h"

#include <unistd.h>

#include <cmath>
#include <iostream>

#include "bench/boot/boot_probe.h"
#include "bench/boot/libvirt_daemon.h"
#include "common/file_io.h"
#include "common/stats.h"
#include "common/temp_dir.h"

namespace deploylab::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What the rounds share: the options, a scratch directory, and libvirtd when libvirt runs.
struct Bench {
  const BenchOptions& options;
  TempDir scratch;
  std::optional<LibvirtDaemon> libvirt;
};

BootSample sample_from(const ProbeResult& probe) {
  BootSample sample{probe.init_ms, probe.exit_ms, kNaN, kNaN, std::nullopt};
  if (probe.memory) {
    sample.vmm_rss_kib = static_cast<double>(probe.memory->vmm_rss_kib);
    sample.guest_rss_kib = static_cast<double>(probe.memory->guest_rss_kib);
  }
  return sample;
}

ProbeSpec base_spec(const BenchOptions& options) {
  ProbeSpec spec;
  spec.guest_ram_bytes = options.spec.mem_bytes;
  spec.timeout = options.timeout;
  return spec;
}

// Runs `probe`; a boot that went wrong becomes the Error that ends the contender's rounds.
Result<BootSample> measured(const Result<ProbeResult>& probe) {
  if (!probe) return probe.error();
  if (!probe.value().failure.empty()) return Error::invalid(probe.value().failure);
  BootSample sample = sample_from(probe.value());
  return sample;
}

Result<BootSample> boot_minivmm(Bench& bench, int round) {
  auto timings = bench.scratch / ("minivmm-timings-" + std::to_string(round) + ".json");
  ProbeSpec spec = base_spec(bench.options);
  spec.argv = minivmm_argv(bench.options.minivmm, bench.options.spec, timings);
  BootSample sample = DL_TRY(measured(probe_boot(spec)));
  if (auto text = read_file(timings)) sample.internal = parse_minivmm_timings(text.value());
  return sample;
}

Result<BootSample> boot_qemu(Bench& bench, int) {
  ProbeSpec spec = base_spec(bench.options);
  spec.argv = qemu_microvm_argv(bench.options.spec);
  return measured(probe_boot(spec));
}

// `virsh create` of a fresh transient domain; destroyed afterwards whatever happened.
Result<BootSample> boot_libvirt(Bench& bench, int round) {
  std::string name = "deploylab-boot-bench-" + std::to_string(::getpid()) + "-" + std::to_string(round);
  auto xml = bench.scratch / (name + ".xml");
  ProbeSpec spec = base_spec(bench.options);
  spec.console = ConsoleSource::file;
  spec.console_file = bench.scratch / (name + ".console");
  spec.vmm_pid_file = bench.libvirt->qemu_pid_file(name);
  DL_TRY(write_file_atomic(xml, libvirt_domain_xml(name, bench.options.spec, spec.console_file)));
  spec.argv = bench.libvirt->virsh({"create", xml.string()});
  auto probe = probe_boot(spec);
  bench.libvirt->destroy(name);
  return measured(probe);
}

Result<BootSample> boot_once(Bench& bench, Contender contender, int round) {
  switch (contender) {
    case Contender::minivmm: return boot_minivmm(bench, round);
    case Contender::qemu: return boot_qemu(bench, round);
    case Contender::libvirt: return boot_libvirt(bench, round);
  }
  return Error::invalid("unknown contender");
}

// Starts libvirtd if libvirt is a contender; a failure is that row's failure, not the run's.
void set_up_libvirt(Bench& bench, ContenderResult& result) {
  auto dir = bench.scratch / "libvirt";
  std::filesystem::create_directories(dir);
  std::cerr << "boot-bench: starting a private libvirtd (its first QEMU probe takes a while)\n";
  auto daemon = LibvirtDaemon::start(dir, bench.options.timeout);
  if (!daemon) {
    result.failure = daemon.error().message();
    return;
  }
  bench.libvirt.emplace(std::move(daemon).value());
  result.note = bench.libvirt->version() + ", private instance started by the benchmark";
}

void report_progress(int round, int rounds, const ContenderResult& result) {
  std::cerr << "boot-bench: round " << round + 1 << "/" << rounds << ", " << label(result.contender) << ": ";
  if (!result.failure.empty()) {
    std::cerr << "failed (" << result.failure << ")\n";
    return;
  }
  const BootSample& s = result.samples.back();
  std::cerr << format_duration_ns(s.init_ms * 1e6) << " to init, " << format_duration_ns(s.exit_ms * 1e6) << " to exit\n";
}

}  // namespace

std::vector<ContenderResult> run_boot_bench(const BenchOptions& options) {
  Bench bench{options, TempDir::create("boot-bench-").value(), std::nullopt};
  std::vector<ContenderResult> results;
  for (Contender contender : options.contenders) {
    results.push_back({contender, {}, "", ""});
    if (contender == Contender::libvirt) set_up_libvirt(bench, results.back());
  }
  std::size_t n = results.size();
  for (int round = 0; round < options.rounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      ContenderResult& result = results[(static_cast<std::size_t>(round) + i) % n];
      if (!result.failure.empty()) continue;
      auto sample = boot_once(bench, result.contender, round);
      if (sample) result.samples.push_back(sample.value());
      else result.failure = sample.error().message();
      report_progress(round, options.rounds, result);
    }
  }
  return results;
}

}  // namespace deploylab::bench
