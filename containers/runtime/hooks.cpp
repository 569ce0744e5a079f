// containers/runtime/hooks.cpp: config.json's hooks (see hooks.h).
#include "containers/runtime/hooks.h"

#include "common/subprocess.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

Result<void> run_hook(const Hook& hook, std::string_view state_json, std::string_view stage) {
  // `path` is what runs; args are its argv with args[0] the name it sees. common/ spawns by
  // argv[0], so the path takes args[0]'s place (only the program's idea of its own name differs).
  std::vector<std::string> argv = hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  argv[0] = hook.path;
  RunOptions options;
  options.input = std::string(state_json);
  options.timeout = hook.timeout ? std::chrono::milliseconds(std::chrono::seconds(*hook.timeout)) : std::chrono::milliseconds(30s);
  options.merge_stderr = true;
  options.spawn.env = hook.env;  // on top of minictr's own environment
  Completed done = DL_TRY(run(argv, options).context(std::string(stage) + " hook " + hook.path));
  if (done.timed_out) {
    return Error::invalid(std::string(stage) + " hook timed out after " + std::to_string(options.timeout.count() / 1000) + " s",
                          hook.path, "raise hooks[].timeout in config.json, or fix the hook");
  }
  if (!done.status.success()) {
    return Error::invalid(std::string(stage) + " hook " + done.status.describe() + ": " + done.out, hook.path);
  }
  return {};
}

}  // namespace

Result<void> run_hooks(const std::vector<Hook>& hooks, std::string_view state_json, std::string_view stage) {
  for (const Hook& hook : hooks) DL_TRY(run_hook(hook, state_json, stage));
  return {};
}

}  // namespace deploylab::ctr
