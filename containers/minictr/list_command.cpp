// containers/minictr/list_command.cpp: `minictr list [--format json]`: every container in
// --root, as `runc list` shows them.
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/text_table.h"
#include "containers/minictr/commands.h"

namespace deploylab::ctr::minictr {

cli::Command list_command() {
  return {"list", "list the containers",
          [](po::options_description& options, po::positional_options_description&) {
            add_root_option(options);
            options.add_options()("format,f", po::value<std::string>()->default_value("table"), "table or json");
          },
          [](const po::variables_map& vm) {
            std::vector<ContainerState> all = runtime_from(vm).list().value();
            if (vm["format"].as<std::string>() == "json") {
              nlohmann::json array = nlohmann::json::array();
              for (const auto& state : all) array.push_back(nlohmann::json::parse(oci_state_json(state)));
              std::cout << array.dump(2) << "\n";
              return 0;
            }
            TextTable table({"ID", "PID", "STATUS", "BUNDLE", "CREATED"});
            for (const auto& s : all) {
              table.add_row({s.id, s.status == Status::stopped ? "0" : std::to_string(s.pid), std::string(to_string(s.status)),
                             s.bundle.string(), s.created});
            }
            std::cout << table.render();
            return 0;
          }};
}

}  // namespace deploylab::ctr::minictr
