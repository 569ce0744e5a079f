// bench/tradeoff/plan.cpp: the steps of `make bench` and their command lines (plan.h). The
// estimates are what each step took on this kit's CI machine (2 vCPUs, kvm_pvm), rounded up.
#include "bench/tradeoff/plan.h"

#include <algorithm>

namespace deploylab::bench {
namespace {

std::string bin(const PlanOptions& o, const std::string& name) { return (o.build / "bin" / name).string(); }
std::string raw(const PlanOptions& o, const std::string& file) { return (o.raw / file).string(); }

std::vector<Contender> runtimes(const std::string& place = "native") {
  return {{Column::container, "minictr", place}, {Column::container, "crun", place}, {Column::container, "runc", place}};
}

StepSpec named(const std::string& name, const std::string& what) {
  StepSpec s;
  s.name = name;
  s.what = what;
  return s;
}

void add_rounds(std::vector<std::string>& argv, const PlanOptions& o) {
  if (o.rounds > 0) argv.insert(argv.end(), {"--rounds", std::to_string(o.rounds)});
}

StepSpec containers(const PlanOptions& o) {
  StepSpec s = named("containers", "container start-up: `run` of /bin/true under minictr, crun, runc");
  int rounds = o.rounds > 0 ? o.rounds : o.quick ? 5 : 30;
  s.argv = {bin(o, "container-bench"), "--rounds", std::to_string(rounds), "--json", raw(o, "container-bench.json")};
  if (o.quick) s.argv.push_back("--no-memory");
  s.outputs = {{raw(o, "container-bench.json"), OutputFormat::container_bench}};
  s.estimate_s = o.quick ? 4 : 45;
  s.rows = {Row::startup};
  s.contenders = runtimes();
  return s;
}

// A row program of the tradeoff table (container-rows, isolation-rows): `PROGRAM --json FILE
// [--quick]`, writing Measurements, with the runtimes as its contenders.
StepSpec row_program(const PlanOptions& o, const std::string& name, const std::string& what,
                     const std::string& program, std::vector<Row> rows) {
  StepSpec s = named(name, what);
  std::string json = raw(o, program + ".json");
  s.argv = {bin(o, program), "--json", json};
  if (o.quick) s.argv.push_back("--quick");
  s.outputs = {{json, OutputFormat::measurements}};
  s.rows = std::move(rows);
  s.contenders = runtimes();
  return s;
}

StepSpec container_rows(const PlanOptions& o) {
  StepSpec s = row_program(o, "container-rows", "containers: first output, memory, density, CPU, disk", "container-rows",
                           {Row::startup, Row::memory, Row::density, Row::cpu, Row::disk});
  add_rounds(s.argv, o);
  s.estimate_s = o.quick ? 25 : 180;
  return s;
}

StepSpec isolation(const PlanOptions& o) {
  StepSpec s = row_program(o, "isolation", "isolation facts: kernel, system calls, escape tests", "isolation-rows",
                           {Row::isolation});
  s.estimate_s = o.quick ? 8 : 15;
  return s;
}

StepSpec network(const PlanOptions& o) {
  StepSpec s = named("network", "network: loopback, bridge, published port");
  int rounds = o.rounds > 0 ? o.rounds : o.quick ? 3 : 10;
  s.argv = {bin(o, "net-bench"), "--rounds", std::to_string(rounds), "--json", raw(o, "net-bench.json")};
  if (o.quick) s.argv.insert(s.argv.end(), {"--round-trips", "500"});  // bulk stays 256 MiB: shorter is noise
  s.outputs = {{raw(o, "net-bench.json"), OutputFormat::net_bench}};
  s.estimate_s = o.quick ? 4 : 25;
  s.rows = {Row::network};
  s.contenders = {{Column::container, "minictr", "native"}};
  return s;
}

std::vector<std::string> exits_argv(const PlanOptions& o, const std::string& json) {
  std::vector<std::string> argv{bin(o, "minivmm"), "bench-exits", "--json", json};
  if (o.quick) argv.insert(argv.end(), {"--repeats", "5"});
  return argv;
}

StepSpec exits(const PlanOptions& o) {
  StepSpec s = named("exits", "VM exits on this machine's own KVM");
  s.argv = exits_argv(o, raw(o, "exits-native.json"));
  s.outputs = {{raw(o, "exits-native.json"), OutputFormat::measurements}};
  s.estimate_s = o.quick ? 5 : 15;
  s.rows = {Row::crossing};
  s.contenders = {{Column::vm, "minivmm", "native"}};
  if (!o.kvm_device) s.skip_reason = "this machine has no /dev/kvm, so no native VM exit can be timed";
  return s;
}

// A shell word: the command line inside vmhost goes through `sh -c`.
std::string sh_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string sh_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& w : argv) line += (line.empty() ? "" : " ") + sh_quote(w);
  return line;
}

StepSpec vms(const PlanOptions& o) {
  StepSpec s = named("vms", "VMs: boot, memory, density, CPU, disk, isolation (minivmm, QEMU microvm)");
  std::vector<std::string> rows{bin(o, "vm-rows"), "--json", raw(o, "vm-rows.json")};
  if (o.quick) rows.push_back("--quick");
  add_rounds(rows, o);
  s.outputs = {{raw(o, "vm-rows.json"), OutputFormat::measurements}};
  s.rows = {Row::startup, Row::memory, Row::density, Row::cpu, Row::disk, Row::network, Row::isolation};
  if (o.vm_place == "native") {
    s.argv = rows;
    s.estimate_s = o.quick ? 20 : 120;
    s.contenders = {{Column::vm, "minivmm", "native"}, {Column::vm, "qemu", "native"}};
    return s;
  }
  // One test host for both programs: booting it costs ~8 s. The exit status is vm-rows'.
  std::string line = sh_line(rows) + "; status=$?; " + sh_line(exits_argv(o, raw(o, "exits-vmhost.json"))) + "; exit $status";
  int timeout = o.quick ? 600 : 2400;
  s.argv = {bin(o, "vmhost"), "run", "--build-dir", o.build.string(), "--mem", "3G", "--timeout", std::to_string(timeout),
            "--", "sh", "-c", line};
  s.outputs.push_back({raw(o, "exits-vmhost.json"), OutputFormat::measurements});
  s.estimate_s = o.quick ? 70 : 480;
  s.timeout = std::chrono::seconds(timeout + 60);
  s.rows.push_back(Row::crossing);
  s.contenders = {{Column::vm, "minivmm", "vmhost"}, {Column::vm, "qemu", "vmhost"}};
  return s;
}

}  // namespace

std::vector<std::string> step_names() { return {"containers", "container-rows", "isolation", "network", "exits", "vms"}; }

std::vector<StepSpec> make_plan(const PlanOptions& o) {
  std::vector<StepSpec> all{containers(o), container_rows(o), isolation(o), network(o), exits(o), vms(o)};
  if (o.only.empty()) return all;
  std::vector<StepSpec> chosen;
  for (StepSpec& s : all)
    if (std::find(o.only.begin(), o.only.end(), s.name) != o.only.end()) chosen.push_back(std::move(s));
  return chosen;
}

}  // namespace deploylab::bench
