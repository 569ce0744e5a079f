// bench/tradeoff/machine_info.cpp: the machine facts results.json starts with (results.h): CPU,
// cores, kernel, the kind of KVM and so where the VM rows run, the cgroup mode, the load.
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "bench/tradeoff/results.h"
#include "common/cpu_info.h"
#include "containers/cgroups/mode.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::bench {

MachineInfo gather_machine_info() {
  MachineInfo m;
  m.cpu_model = cpu_model_name();
  m.cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  struct utsname u {};
  if (::uname(&u) == 0) m.kernel = u.release;
  const char* override = std::getenv("DEPLOYLAB_KVM");  // native|vmhost forces the place, as in `vmhost auto`
  vmhost::Virtualization v = vmhost::choose_place(vmhost::gather_virt_facts(), override != nullptr ? override : "");
  m.virt_mode = vmhost::to_string(v.mode);
  m.virt_finding = v.finding;
  m.vm_place = v.place == vmhost::Place::native ? "native" : "vmhost";
  auto mode = ctr::detect_cgroup_mode();
  m.cgroup_mode = mode.ok() ? std::string(ctr::to_string(mode.value())) : "unknown (" + mode.error().message() + ")";
  m.load_before = load_average_line();
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  m.started = buf;
  return m;
}

}  // namespace deploylab::bench
