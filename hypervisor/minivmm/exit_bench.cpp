// hypervisor/minivmm/exit_bench.cpp: the exit benchmark's measuring loops (see exit_bench.h).
#include "hypervisor/minivmm/exit_bench.h"

#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <functional>

#include "common/cpu_info.h"
#include "hypervisor/kvm/cpu_vendor.h"
#include "hypervisor/vmm/guest_image.h"
#include "hypervisor/vmm/machine.h"

namespace deploylab::hv {

namespace {

// One row in the making: a batch function that performs `n` round trips, and its samples.
struct Probe {
  using Batch = std::function<Result<void>(std::uint64_t n)>;
  Probe(std::string what_, Batch batch_, Batch prepare_ = {})
      : what(std::move(what_)), batch(std::move(batch_)), prepare(std::move(prepare_)) {}
  std::string what;
  Batch batch;    // timed: n round trips
  Batch prepare;  // not timed: set up for a batch of n (optional)
  std::uint64_t iterations = 0;
  std::vector<double> ns, cycles;
};

struct Timed {
  double ns = 0, cycles = 0;
};

Result<Timed> time_batch(Probe& probe, std::uint64_t n) {
  if (probe.prepare) DL_TRY(probe.prepare(n));
  auto start = std::chrono::steady_clock::now();
  std::uint64_t tsc = read_tsc();
  DL_TRY(probe.batch(n));
  std::uint64_t tsc_end = read_tsc();
  auto took = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  return Timed{took, static_cast<double>(tsc_end - tsc)};
}

// Google Benchmark's idea: grow the batch until it takes long enough to time, then scale it to
// the target duration.
Result<std::uint64_t> calibrate(Probe& probe, std::chrono::milliseconds target) {
  double target_ns = static_cast<double>(std::chrono::nanoseconds(target).count());
  for (std::uint64_t n = 8;; n *= 4) {
    Timed timed = DL_TRY(time_batch(probe, n));
    if (timed.ns >= target_ns / 4 || n >= (1u << 26)) {
      return std::max<std::uint64_t>(64, static_cast<std::uint64_t>(static_cast<double>(n) * target_ns / timed.ns));
    }
  }
}

// A noinline function called through a volatile pointer: the compiler can neither inline nor
// hoist it, so each iteration is a real call and return.
[[gnu::noinline]] int add_one(int x) { return x + 1; }

Probe function_call_probe() {
  return {kRowFunctionCall, [](std::uint64_t n) -> Result<void> {
            int (*volatile call)(int) = add_one;
            int x = 0;
            for (std::uint64_t i = 0; i < n; ++i) x = call(x);
            if (static_cast<std::uint64_t>(x) != (n & 0x7fffffff) && n < 0x7fffffff) return Error::invalid("miscounted calls");
            return {};
          }};
}

Probe syscall_probe() {
  return {kRowSyscall, [](std::uint64_t n) -> Result<void> {
            // syscall(2) directly: getpid() itself may be answered from a cache in some libcs.
            for (std::uint64_t i = 0; i < n; ++i) ::syscall(SYS_getpid);
            return {};
          }};
}

// A machine running one bench guest, re-armed with RCX = n before every batch.
struct GuestBench {
  std::unique_ptr<Machine> machine;
  std::atomic<bool> never_stop{false};
};

Result<std::shared_ptr<GuestBench>> make_guest_bench(const BenchOptions& options, const std::string& guest) {
  auto bench = std::make_shared<GuestBench>();
  MachineConfig config;
  config.kvm_device = options.kvm_device;
  bench->machine = DL_TRY(Machine::create(config));
  auto image = DL_TRY(read_guest_image(options.guest_dir + "/" + guest + ".bin"));
  DL_TRY(bench->machine->load(image));
  return bench;
}

// Untimed: puts the guest back at its first instruction with RCX = n.
Probe::Batch rearm(std::shared_ptr<GuestBench> bench) {
  return [bench](std::uint64_t n) -> Result<void> {
    bench->machine->set_initial_rcx(n);
    return bench->machine->reset_vcpus();
  };
}

// Our exit loop (run_vcpu) with the full dispatch; checks the guest made exactly n exits of `kind`.
Probe dispatch_probe(std::string what, std::shared_ptr<GuestBench> bench, ExitKind kind) {
  return {std::move(what), [bench, kind](std::uint64_t n) -> Result<void> {
            auto outcome = DL_TRY(run_vcpu(bench->machine->vcpu(0), bench->machine->bus(), {}, bench->never_stop));
            if (outcome.end != VcpuOutcome::End::halted || outcome.stats[kind] != n) {
              return Error::invalid("the bench guest made " + std::to_string(outcome.stats[kind]) + " exits of kind " +
                                    to_string(kind) + ", expected " + std::to_string(n) + ": " + outcome.stop.message);
            }
            return {};
          },
          rearm(bench)};
}

// Nothing but KVM_RUN until HLT: the floor our dispatch is compared with. Counts the exits too.
Probe bare_probe(std::string what, std::shared_ptr<GuestBench> bench, std::uint64_t exits_per_iteration) {
  return {std::move(what), [bench, exits_per_iteration](std::uint64_t n) -> Result<void> {
            Vcpu& vcpu = bench->machine->vcpu(0);
            vcpu.sync_registers_through_kvm_run(false);
            vcpu.run()->kvm_valid_regs = 0;
            std::uint64_t exits = 0;
            while (true) {
              if (::ioctl(vcpu.fd(), KVM_RUN, 0) < 0) return Error::os("KVM_RUN", vcpu.name(), errno);
              if (vcpu.run()->exit_reason == KVM_EXIT_HLT) break;
              ++exits;
            }
            if (exits != n * exits_per_iteration) {
              return Error::invalid("the bench guest made " + std::to_string(exits) + " exits before HLT, expected " +
                                    std::to_string(n * exits_per_iteration));
            }
            return {};
          },
          rearm(bench)};
}

Result<std::vector<Probe>> make_probes(const BenchOptions& options) {
  std::vector<Probe> probes{function_call_probe(), syscall_probe()};
  if (options.kernel_hypercall) {
    std::string insn = native_hypercall_instruction(host_cpu_vendor());
    auto bench = DL_TRY(make_guest_bench(options, "bench_hypercall_" + insn));
    probes.push_back(bare_probe(std::string(kRowKernelHypercall) + " (" + insn + ")", bench, 0));
  }
  auto port = DL_TRY(make_guest_bench(options, "bench_port"));
  probes.push_back(dispatch_probe(kRowPortExit, port, ExitKind::io_out));
  probes.push_back(dispatch_probe(kRowMmioExit, DL_TRY(make_guest_bench(options, "bench_mmio")), ExitKind::mmio_write));
  probes.push_back(bare_probe(kRowBarePortExit, port, 1));
  return probes;
}

Probe* find_probe(std::vector<Probe>& probes, const std::string& what) {
  for (auto& probe : probes) {
    if (probe.what == what) return &probe;
  }
  return nullptr;
}

}  // namespace

Result<BenchReport> run_exit_bench(const BenchOptions& options) {
  std::vector<Probe> probes = DL_TRY(make_probes(options));
  for (auto& probe : probes) {
    probe.iterations = options.iterations != 0 ? options.iterations : DL_TRY(calibrate(probe, options.batch_target));
  }
  // The dispatch and the bare loop run the same guest: give them the same batch size, so that the
  // fixed cost of a batch (the first entry after resetting the registers) weighs the same in both.
  Probe* port = find_probe(probes, kRowPortExit);
  Probe* bare = find_probe(probes, kRowBarePortExit);
  if (port != nullptr && bare != nullptr) port->iterations = bare->iterations = std::max(port->iterations, bare->iterations);
  // Interleaved: batch r of every row, then batch r + 1 of every row.
  for (int r = 0; r < options.repeats; ++r) {
    for (auto& probe : probes) {
      Timed timed = DL_TRY(time_batch(probe, probe.iterations).context("measuring " + probe.what));
      probe.ns.push_back(timed.ns / static_cast<double>(probe.iterations));
      probe.cycles.push_back(timed.cycles / static_cast<double>(probe.iterations));
    }
  }
  BenchReport report;
  report.cpu_model = cpu_model_name();
  report.virtualization = options.virtualization;
  report.tsc_ghz = measure_tsc_hz(std::chrono::milliseconds(50)) / 1e9;
  report.repeats = options.repeats;
  for (const auto& probe : probes) {
    report.rows.push_back(BenchRow{probe.what, summarize(probe.ns), summarize(probe.cycles), probe.ns, probe.iterations, {}});
  }
  if (!options.kernel_hypercall) {
    report.rows.insert(report.rows.begin() + 2, BenchRow{kRowKernelHypercall, {}, {}, {}, 0, options.skip_reason});
  }
  // The overhead, paired batch by batch: both ran the same guest moments apart.
  std::vector<double> ratios;
  for (std::size_t i = 0; port != nullptr && bare != nullptr && i < port->ns.size(); ++i) {
    ratios.push_back(port->ns[i] / bare->ns[i] - 1);
  }
  report.dispatch_overhead = summarize(ratios).median;
  return report;
}

}  // namespace deploylab::hv
