// common/cli.h: the command-line pattern every deploylab binary follows, on
// Boost.Program_options.
//
// A program is a list of Commands. A program with one unnamed Command takes its options
// directly (`minictr-demo --flag`); one with named Commands takes a subcommand first, like k3s
// or git (`grade kit --out DIR`). Every command gets --help, which lists every flag with its
// default, and --log-level. A usage mistake prints what was wrong and how to get help, and exits
// 2; an Error escaping a command prints its message and exits 1. A command that runs another
// (`vmhost run -- CMD ARGS...`) declares a multitoken positional option: the words after "--"
// land there as they are, even ones that look like options.
//
//   int main(int argc, char** argv) {
//     cli::Command run{"run", "Run the tests of a lab", [](auto& opts, auto&) {
//       opts.add_options()("lab", po::value<int>()->default_value(0), "lab number");
//     }, [](const po::variables_map& vm) { ...; return 0; }};
//     return cli::main("grade", "The deploylab auto-grader", {run}, argc, argv);
//   }
#pragma once

#include <boost/program_options.hpp>

#include <functional>
#include <string>
#include <vector>

namespace deploylab::cli {

namespace po = boost::program_options;

struct Command {
  std::string name;      // empty: the program has no subcommands
  std::string summary;   // one line, shown in the program's help
  // Declares the command's options and positional arguments.
  std::function<void(po::options_description&, po::positional_options_description&)> declare;
  // Runs the command; its return value is the exit code.
  std::function<int(const po::variables_map&)> run;
};

// Parses argv, dispatches to the command, and turns errors into messages and exit codes.
int main(const std::string& program, const std::string& summary, const std::vector<Command>& commands,
         int argc, char** argv);

}  // namespace deploylab::cli
