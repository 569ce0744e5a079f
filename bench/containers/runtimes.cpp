// bench/containers/runtimes.cpp: command lines and config.json of the container benchmark
// (runtimes.h).
#include "bench/containers/runtimes.h"

#include <sstream>
#include <stdexcept>

namespace deploylab::bench {
namespace {

constexpr OciRuntime kTableOrder[] = {OciRuntime::minictr, OciRuntime::crun, OciRuntime::runc};

// RUNTIME --root STATE: the global options every command starts with.
std::vector<std::string> base(const RuntimeCommand& rt) {
  return {rt.binary.string(), "--root", rt.state_root.string()};
}

std::vector<std::string> with(std::vector<std::string> argv, std::initializer_list<std::string> more) {
  argv.insert(argv.end(), more);
  return argv;
}

}  // namespace

std::string to_string(OciRuntime runtime) {
  switch (runtime) {
    case OciRuntime::minictr: return "minictr";
    case OciRuntime::crun: return "crun";
    case OciRuntime::runc: return "runc";
  }
  return "unknown";
}

std::vector<OciRuntime> parse_runtimes(const std::string& list) {
  std::vector<bool> wanted(std::size(kTableOrder), false);
  std::stringstream words(list);
  std::string word;
  while (std::getline(words, word, ',')) {
    bool known = false;
    for (std::size_t i = 0; i < std::size(kTableOrder); ++i) {
      if (word != to_string(kTableOrder[i])) continue;
      wanted[i] = true;
      known = true;
    }
    if (!known) throw std::invalid_argument("unknown runtime '" + word + "': expected minictr, crun or runc");
  }
  std::vector<OciRuntime> runtimes;
  for (std::size_t i = 0; i < std::size(kTableOrder); ++i) {
    if (wanted[i]) runtimes.push_back(kTableOrder[i]);
  }
  return runtimes;
}

std::vector<std::string> create_argv(const RuntimeCommand& rt, const std::filesystem::path& bundle,
                                     const std::string& id, const std::filesystem::path& pid_file) {
  return with(base(rt), {"create", "--bundle", bundle.string(), "--pid-file", pid_file.string(), id});
}

std::vector<std::string> start_argv(const RuntimeCommand& rt, const std::string& id) {
  return with(base(rt), {"start", id});
}

std::vector<std::string> delete_argv(const RuntimeCommand& rt, const std::string& id, DeleteMode mode) {
  if (mode == DeleteMode::force) return with(base(rt), {"delete", "--force", id});
  return with(base(rt), {"delete", id});
}

std::vector<std::string> run_argv(const RuntimeCommand& rt, const std::filesystem::path& bundle, const std::string& id) {
  return with(base(rt), {"run", "--bundle", bundle.string(), id});
}

std::vector<std::string> unshare_argv() { return {"unshare", "-pfmnui", "--mount-proc", "true"}; }

std::vector<std::string> true_argv() { return {"true"}; }

std::string container_id(OciRuntime runtime, int bench_pid, int serial) {
  return "deploylab-bench-" + to_string(runtime) + "-" + std::to_string(bench_pid) + "-" + std::to_string(serial);
}

nlohmann::json bench_config(nlohmann::json spec, std::optional<std::int64_t> memory_limit) {
  spec["process"]["terminal"] = false;
  spec["process"]["args"] = {"/bin/true"};
  if (memory_limit) spec["linux"]["resources"]["memory"]["limit"] = *memory_limit;
  return spec;
}

}  // namespace deploylab::bench
