// containers/minictr/global_options.cpp: runc's global options (see global_options.h).
#include "containers/minictr/global_options.h"

namespace deploylab::ctr {
namespace {

// "--root=X" or "--root X": the value, advancing `i` past it.
Result<std::string> value_of(const std::vector<std::string>& args, std::size_t& i, const std::string& name) {
  const std::string& word = args[i];
  if (word.size() > name.size() && word[name.size()] == '=') return word.substr(name.size() + 1);
  if (i + 1 >= args.size()) return Error::invalid(name + " needs a value", "", "write for example " + name + " /run/minictr");
  return args[++i];
}

bool is(const std::string& word, const std::string& name) {
  return word == name || (word.starts_with(name) && word.size() > name.size() && word[name.size()] == '=');
}

}  // namespace

Result<GlobalOptions> split_global_options(const std::vector<std::string>& args) {
  GlobalOptions g;
  std::size_t i = 0;
  for (; i < args.size() && args[i].starts_with("--"); ++i) {
    const std::string& word = args[i];
    if (is(word, "--root")) g.root = DL_TRY(value_of(args, i, "--root"));
    else if (is(word, "--log")) g.log_file = DL_TRY(value_of(args, i, "--log"));
    else if (is(word, "--log-format")) g.log_format = DL_TRY(value_of(args, i, "--log-format"));
    else if (word == "--debug") g.debug = true;
    else if (word == "--systemd-cgroup") g.systemd_cgroup = true;
    else break;  // --help, --version, or a subcommand's option given first: the CLI decides
  }
  g.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  if (!g.rest.empty() && !g.rest[0].starts_with("-")) {
    auto after_command = g.rest.begin() + 1;
    if (!g.root.empty()) g.rest.insert(after_command, {"--root", g.root});
  }
  return g;
}

}  // namespace deploylab::ctr
