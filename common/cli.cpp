// common/cli.cpp: parsing, help and error reporting for the CLI pattern (see cli.h).
#include "common/cli.h"

#include <cstdlib>
#include <iostream>

#include "common/error.h"
#include "common/log.h"

namespace deploylab::cli {
namespace {

constexpr int kUsageError = 2;

void print_program_help(const std::string& program, const std::string& summary,
                        const std::vector<Command>& commands) {
  std::cout << program << ": " << summary << "\n\nUsage: " << program << " <command> [options]\n\nCommands:\n";
  for (const auto& c : commands) std::cout << "  " << c.name << std::string(14 - std::min<size_t>(13, c.name.size()), ' ') << c.summary << "\n";
  std::cout << "\nRun `" << program << " <command> --help` for the options of a command.\n";
}

// Builds the full option set of `command`: its own plus the common ones.
po::options_description options_of(const Command& command, po::positional_options_description& positional) {
  po::options_description options("Options");
  command.declare(options, positional);
  const char* env_level = std::getenv("DEPLOYLAB_LOG");
  options.add_options()
      ("log-level", po::value<std::string>()->default_value(env_level ? env_level : "info"),
       "trace, debug, info, warn, error or off (also DEPLOYLAB_LOG)")
      ("help,h", "show this help and exit");
  return options;
}

int run_command(const std::string& program, const Command& command, const std::vector<std::string>& args) {
  std::string full_name = command.name.empty() ? program : program + " " + command.name;
  po::positional_options_description positional;
  po::options_description options = options_of(command, positional);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << full_name << ": " << command.summary << "\n\n" << options << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << full_name << ": " << e.what() << " (run `" << full_name << " --help` for the options)\n";
    return kUsageError;
  }
  if (auto logging = init_logging(program, vm["log-level"].as<std::string>()); !logging.ok()) {
    std::cerr << full_name << ": " << logging.error().message() << "\n";
    return kUsageError;
  }
  try {
    return command.run(vm);
  } catch (const ErrorException& e) {
    std::cerr << full_name << ": error: " << e.what() << "\n";
    return 1;
  } catch (const NotImplemented& e) {
    // The student kit: a lab task this command needs is still a stub.
    std::cerr << full_name << ": error: " << e.what() << " (a lab task that is still to do; see labs/README.md)\n";
    return 1;
  }
}

}  // namespace

int main(const std::string& program, const std::string& summary, const std::vector<Command>& commands,
         int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (commands.size() == 1 && commands[0].name.empty()) return run_command(program, commands[0], args);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_program_help(program, summary, commands);
    return args.empty() ? kUsageError : 0;
  }
  for (const auto& command : commands) {
    if (command.name == args[0]) return run_command(program, command, {args.begin() + 1, args.end()});
  }
  std::cerr << program << ": unknown command `" << args[0] << "` (run `" << program << " --help` for the commands)\n";
  return kUsageError;
}

}  // namespace deploylab::cli
