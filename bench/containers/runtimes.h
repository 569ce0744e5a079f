// bench/containers/runtimes.h: the OCI runtimes of the container benchmark and the command lines
// that drive them (bench/containers/README.md). Pure: argv and config.json out, no processes;
// round.h runs them.
//
//   minictr   deploylab's own runtime (labs 05-07), BUILD/bin/minictr
//   crun      the C runtime (Debian's crun 1.8), Podman's default
//   runc      the Go runtime (Debian's runc 1.1), Docker's and containerd's default
//
// All three take runc's command line, so one set of builders serves them:
//   RUNTIME --root STATE create --bundle B --pid-file P ID     then start ID, delete ID
//   RUNTIME --root STATE run --bundle B ID                     create + start + wait + delete
// (`run` in the foreground deletes the container itself when its process exits.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deploylab::bench {

enum class OciRuntime { minictr, crun, runc };

// "minictr", "crun", "runc": the row names and the words --only takes.
std::string to_string(OciRuntime runtime);
// Parses --only's comma-separated list ("crun,minictr"); throws std::invalid_argument naming the
// word it does not know. The result is in table order (minictr, crun, runc), each once.
std::vector<OciRuntime> parse_runtimes(const std::string& list);

// One runtime as the benchmark calls it: its binary and its own state directory (--root), so the
// runtimes never see each other's containers or the machine's (/run/runc, /run/crun, ...).
struct RuntimeCommand {
  OciRuntime runtime;
  std::filesystem::path binary;
  std::filesystem::path state_root;
};

enum class DeleteMode { normal, force };

std::vector<std::string> create_argv(const RuntimeCommand& rt, const std::filesystem::path& bundle,
                                     const std::string& id, const std::filesystem::path& pid_file);
std::vector<std::string> start_argv(const RuntimeCommand& rt, const std::string& id);
std::vector<std::string> delete_argv(const RuntimeCommand& rt, const std::string& id, DeleteMode mode);
std::vector<std::string> run_argv(const RuntimeCommand& rt, const std::filesystem::path& bundle, const std::string& id);

// The two rows that give the scale: the namespaces alone, and a bare fork+exec.
std::vector<std::string> unshare_argv();  // unshare -pfmnui --mount-proc true
std::vector<std::string> true_argv();     // true

// A container id no other run or runtime uses: "deploylab-bench-crun-4242-17". Every cgroup the
// runtimes create is named after it, so a leftover is easy to find (`find /sys/fs/cgroup -name
// '*deploylab-bench*'`).
std::string container_id(OciRuntime runtime, int bench_pid, int serial);

// The bundle's config.json: `minictr spec`'s default (the equivalent of `runc spec`) with the
// terminal off and /bin/true as the process, and linux.resources.memory.limit when `memory_limit`
// is set. Everything else stays as the default has it, for all three runtimes alike.
nlohmann::json bench_config(nlohmann::json spec, std::optional<std::int64_t> memory_limit);

}  // namespace deploylab::bench
