// hypervisor/vmhost/virtualization.cpp: reading and judging this machine's KVM (see
// virtualization.h).
#include "hypervisor/vmhost/virtualization.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <sstream>

#include "common/file_io.h"
#include "common/unique_fd.h"

namespace deploylab::vmhost {
namespace {

std::set<std::string> cpu_flags() {
  std::istringstream cpuinfo(read_file_or_empty("/proc/cpuinfo"));
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return {};
}

const char* kVmhostPlan =
    "hypervisor labs run inside `vmhost` (QEMU software emulation, -cpu max, nested kvm-amd), chosen automatically";

}  // namespace

VirtFacts gather_virt_facts() {
  VirtFacts facts;
  facts.cpu_flags = cpu_flags();
  for (const char* module : {"kvm", "kvm_intel", "kvm_amd", "kvm_pvm"}) {
    std::filesystem::path dir = std::filesystem::path("/sys/module") / module;
    if (!std::filesystem::exists(dir)) continue;
    facts.kvm_modules.insert(module);
    std::string nested = read_file_or_empty(dir / "parameters/nested");
    while (!nested.empty() && (nested.back() == '\n' || nested.back() == ' ')) nested.pop_back();
    if (!nested.empty()) facts.nested[module] = nested;
  }
  facts.dev_kvm_exists = std::filesystem::exists("/dev/kvm");
  if (facts.dev_kvm_exists) {
    UniqueFd kvm(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
    facts.dev_kvm_open_errno = kvm.valid() ? 0 : errno;
  }
  return facts;
}

Virtualization classify_virtualization(const VirtFacts& f) {
  bool vmx = f.cpu_flags.contains("vmx"), svm = f.cpu_flags.contains("svm");
  if (f.kvm_modules.contains("kvm_pvm")) {
    return {VirtMode::kvm_pvm,
            "/dev/kvm is kvm_pvm, software nested virtualization: guest CPL0 code is emulated (~1 us per instruction), "
            "VMCALL at CPL0 hangs KVM_RUN, and Linux guests never finish booting",
            Place::vmhost, kVmhostPlan};
  }
  if (!f.dev_kvm_exists) {
    std::string finding = "no /dev/kvm";
    if (vmx || svm) finding += std::string(" although the CPU has ") + (vmx ? "VT-x (vmx)" : "AMD-V (svm)") + ": modprobe " + (vmx ? "kvm_intel" : "kvm_amd");
    return {VirtMode::none, finding, Place::vmhost, std::string(kVmhostPlan) + "; this is slow (full emulation)"};
  }
  std::string module = f.kvm_modules.contains("kvm_intel") ? "kvm_intel" : f.kvm_modules.contains("kvm_amd") ? "kvm_amd" : "";
  if (module.empty() || !(vmx || svm)) {
    return {VirtMode::unknown_kvm, "/dev/kvm exists but neither kvm_intel nor kvm_amd with vmx/svm backs it", Place::vmhost, kVmhostPlan};
  }
  std::string finding = std::string(vmx ? "Intel VT-x" : "AMD-V") + " via " + module;
  if (f.nested.contains(module)) finding += ", nested=" + f.nested.at(module);
  if (f.cpu_flags.contains("hypervisor")) {
    return {VirtMode::nested, finding + "; this machine is itself a VM (nested hardware virtualization)", Place::native,
            "hypervisor labs run natively"};
  }
  return {VirtMode::hardware, finding, Place::native, "hypervisor labs run natively"};
}

std::string to_string(VirtMode mode) {
  switch (mode) {
    case VirtMode::hardware: return "hardware KVM";
    case VirtMode::nested: return "nested hardware KVM";
    case VirtMode::kvm_pvm: return "kvm_pvm";
    case VirtMode::unknown_kvm: return "unrecognised KVM";
    case VirtMode::none: break;
  }
  return "no KVM";
}

Virtualization choose_place(const VirtFacts& facts, const std::string& override) {
  Virtualization v = classify_virtualization(facts);
  if (override == "native") {
    v.place = Place::native;
    v.plan = "hypervisor labs run natively because DEPLOYLAB_KVM=native";
  } else if (override == "vmhost") {
    v.place = Place::vmhost;
    v.plan = "hypervisor labs run inside `vmhost` because DEPLOYLAB_KVM=vmhost";
  }
  return v;
}

}  // namespace deploylab::vmhost
