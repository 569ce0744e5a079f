// containers/minictr/global_options.h: the options runc takes before its subcommand.
//
// Container managers (containerd, CRI-O, Podman) call their OCI runtime as
//   runc --root /run/x --log /path/log.json --log-format json create --bundle B --pid-file P ID
// so a runtime that stands in for runc must accept those global options before the command.
// minictr's own command line puts options after the subcommand (common/cli.h); this pure step
// takes the global ones off the front and hands the rest on, with --root moved behind the
// subcommand where minictr's commands declare it.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::ctr {

struct GlobalOptions {
  std::string root;        // --root: the state directory (empty: the default, /run/minictr)
  std::string log_file;    // --log: where errors go as well as stderr
  std::string log_format;  // --log-format: text or json
  bool debug = false;      // --debug
  bool systemd_cgroup = false;  // --systemd-cgroup: accepted, and refused with a clear error
  std::vector<std::string> rest;  // the subcommand and its arguments, --root added back
};

// argv without the program name.
Result<GlobalOptions> split_global_options(const std::vector<std::string>& args);

}  // namespace deploylab::ctr
