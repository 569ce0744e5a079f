// containers/minictr/stats_command.cpp: `minictr stats ID [--json]`: the container's cgroup
// metrics (containers/cgroups/stats.h). The kubelet and the autoscaler read the JSON form.
#include <iostream>

#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command stats_command() {
  return {"stats", "print a container's memory, CPU and pids use",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("json", po::bool_switch(), "one JSON object (the fields of containers/cgroups/stats.h)");
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            CgroupStats s = runtime_from(vm).stats(id_from(vm)).value();
            if (vm["json"].as<bool>()) {
              std::cout << stats_json(s) << "\n";
              return 0;
            }
            auto opt = [](const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
            std::cout << "memory usage   " << s.memory_usage_bytes << " bytes (peak " << opt(s.memory_peak_bytes) << ", limit "
                      << opt(s.memory_limit_bytes) << ")\n"
                      << "cpu usage      " << s.cpu_usage_ns << " ns\n"
                      << "pids           " << s.pids_current << " (limit " << opt(s.pids_limit) << ")\n"
                      << "oom kills      " << opt(s.oom_kills) << "\n";
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
