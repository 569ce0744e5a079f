// containers/minictr/ps_command.cpp: `minictr ps ID`: the processes in the container's cgroup,
// with host pids, as `runc ps` lists them.
#include <iostream>

#include "common/file_io.h"
#include "common/text_table.h"
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {
namespace {

// /proc/PID/cmdline with its NULs as spaces ("" for a process that just went away).
std::string command_line(int pid) {
  std::string text = read_file("/proc/" + std::to_string(pid) + "/cmdline").value_or("");
  for (char& c : text) c = c == '\0' ? ' ' : c;
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

cli::Command ps_command() {
  return {"ps", "list the processes running in a container",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);
            options.add_options()("format,f", po::value<std::string>()->default_value("table"), "table or json (pids only)");
            add_id_argument(options, positional);
          },
          [](const po::variables_map& vm) {
            std::vector<int> pids = runtime_from(vm).processes(id_from(vm)).value();
            if (vm["format"].as<std::string>() == "json") {
              std::string out = "[";
              for (std::size_t i = 0; i < pids.size(); ++i) out += (i ? "," : "") + std::to_string(pids[i]);
              std::cout << out << "]\n";
              return 0;
            }
            TextTable table({"PID", "CMD"});
            for (int pid : pids) table.add_row({std::to_string(pid), command_line(pid)});
            std::cout << table.render();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
