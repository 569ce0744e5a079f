// bench/containers/rows_workspace.h: what every row of container-rows shares, set up once and
// torn down on every way out (bench/containers/README.md, "container-rows").
//
//   /var/tmp/container-rows-XXXXXX/        one scratch directory, on /var/tmp's disk file system
//     rootfs/                              a copy of the busybox rootfs, shared read-only by the
//                                          containers and the lower layer of the disk row's overlays
//     bundles/NAME/config.json             one small bundle per kind of container (rows_config.h)
//     state-minictr/ state-crun/ ...       each runtime's --root: only our containers are there
//     logs/                                the runtimes' output, one file per step
//
// The runtimes: minictr, crun and runc as --only picks them, each found (or reported missing
// with the command that installs or builds it), crun on a hybrid cgroup layout given a mount
// namespace without the cgroup2 mount (private_mount_ns.h). On destruction every container still
// in a state directory is force-deleted, then the scratch directory is removed, unless something
// is still mounted under it (then it is kept and named, never deleted through a mount).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/containers/round.h"
#include "bench/containers/rows_config.h"
#include "bench/containers/rows_options.h"
#include "common/result.h"
#include "common/temp_dir.h"
#include "containers/cgroups/layout.h"

namespace deploylab::bench {

// One runtime of the run; `missing` set: it cannot be measured, and why.
struct RuntimeContender {
  std::string name;  // "minictr", "crun", "runc"
  Contestant who;    // binary, state directory, mount namespace (crun on hybrid cgroups)
  std::string missing;
};

class Workspace {
 public:
  // Makes the scratch directory, the rootfs copy and the runtimes' state directories. Needs root.
  static Result<std::unique_ptr<Workspace>> create(const RowsOptions& options);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const RowsOptions& options() const { return options_; }
  const std::filesystem::path& scratch() const { return scratch_.path(); }
  std::filesystem::path rootfs() const { return scratch_ / "rootfs"; }
  // Every runtime asked for, in table order, including the missing ones.
  const std::vector<RuntimeContender>& runtimes() const { return runtimes_; }
  // The cgroup layout, or why it could not be read (the memory and density rows need it).
  const Result<ctr::CgroupLayout>& cgroups() const { return cgroups_; }
  // Lines for the log: versions, cgroup mode, crun's namespace.
  const std::vector<std::string>& about() const { return about_; }

  // A container id no other run or runtime uses (runtimes.h's container_id).
  std::string next_id(const RuntimeContender& runtime);
  // The config for `args` in the shared read-only rootfs (rows_config.h).
  nlohmann::json config(const std::vector<std::string>& args) const;
  // The same on another root (the disk row's overlay mount).
  nlohmann::json config_on(const std::filesystem::path& root, RootAccess access, const std::vector<std::string>& args) const;
  // Writes bundles/NAME/config.json and returns the bundle directory.
  Result<std::filesystem::path> write_bundle(const std::string& name, const nlohmann::json& config) const;
  // What round.h and the runtime commands need: the bundle, the log directory, the timeout.
  RoundSetup setup_for(const std::filesystem::path& bundle) const;

 private:
  Workspace(const RowsOptions& options, TempDir scratch);
  Result<void> make_rootfs();
  void add_runtimes();
  void remove_leftover_containers() const;

  const RowsOptions& options_;
  TempDir scratch_;
  nlohmann::json spec_;  // `minictr spec`'s config.json (crun's or runc's would do as well)
  std::optional<PrivateMountNamespace> crun_ns_;
  std::vector<RuntimeContender> runtimes_;
  Result<ctr::CgroupLayout> cgroups_;
  std::vector<std::string> about_;
  int serial_ = 0;
};

// The path of `program` if it can be run: itself when it contains a '/', else found on $PATH.
std::optional<std::filesystem::path> find_program(const std::filesystem::path& program);

}  // namespace deploylab::bench
