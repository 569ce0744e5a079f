// bench/containers/rows_workspace.cpp: setting up and tearing down container-rows' scratch
// directory and runtimes (rows_workspace.h).
#include "bench/containers/rows_workspace.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "bench/containers/hybrid_cgroups.h"
#include "bench/containers/timed_command.h"
#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

fs::path binary_of(const RowsOptions& options, OciRuntime runtime) {
  switch (runtime) {
    case OciRuntime::minictr: return options.minictr;
    case OciRuntime::crun: return options.crun;
    case OciRuntime::runc: return options.runc;
  }
  return {};
}

std::string missing_reason(OciRuntime runtime, const fs::path& binary) {
  if (runtime == OciRuntime::minictr) {
    return "minictr is not built (" + binary.string() + "): cmake --build BUILD --target minictr";
  }
  return to_string(runtime) + " is not installed (" + binary.string() + " not found): apt install " + to_string(runtime);
}

// The mount points under `dir` in this mount namespace, deepest first.
std::vector<fs::path> mounts_under(const fs::path& dir) {
  std::vector<fs::path> found;
  auto entries = ctr::parse_mountinfo_entries(read_file_or_empty("/proc/self/mountinfo"));
  if (!entries) return found;
  std::string prefix = dir.string() + "/";
  for (const auto& entry : entries.value()) {
    if (entry.mount_point.string().rfind(prefix, 0) == 0) found.insert(found.begin(), entry.mount_point);
  }
  return found;
}

}  // namespace

std::optional<fs::path> find_program(const fs::path& program) {
  if (program.string().find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) == 0) return program;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path == nullptr ? "/usr/sbin:/usr/bin:/sbin:/bin" : path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

Workspace::Workspace(const RowsOptions& options, TempDir scratch)
    : options_(options), scratch_(std::move(scratch)), cgroups_(ctr::discover_layout()) {}

Result<std::unique_ptr<Workspace>> Workspace::create(const RowsOptions& options) {
  TempDir scratch = DL_TRY(TempDir::create("container-rows-", "/var/tmp"));
  std::unique_ptr<Workspace> ws(new Workspace(options, std::move(scratch)));
  DL_TRY(ws->make_rootfs());
  ws->add_runtimes();
  return ws;
}

// rootfs/: the busybox rootfs, plus the mount points of the workloads' bind mounts and the disk
// row's directory, made here because the containers' root is read-only.
Result<void> Workspace::make_rootfs() {
  if (!fs::exists(options_.rootfs / "bin/busybox")) {
    return Error::invalid("no busybox rootfs", options_.rootfs.string(), "run make deps");
  }
  DL_TRY(run_checked({"cp", "-a", options_.rootfs.string(), rootfs().string()}));
  DL_TRY(write_file_atomic(rootfs() / "compute-kernel", "", Durability::unsynced));
  DL_TRY(write_file_atomic(rootfs() / "io-probe", "", Durability::unsynced));
  fs::create_directories(rootfs() / "bench-io");
  fs::create_directories(scratch() / "bundles");
  fs::create_directories(scratch() / "logs");
  // `minictr spec` writes the default config.json; any runtime's would do, minictr's is always built.
  fs::path spec_dir = scratch() / "spec";
  fs::create_directories(spec_dir);
  DL_TRY(run_checked({options_.minictr.string(), "spec", "--bundle", spec_dir.string()})
             .context("writing the default config.json with `minictr spec`"));
  spec_ = nlohmann::json::parse(DL_TRY(read_file(spec_dir / "config.json")));
  return {};
}

void Workspace::add_runtimes() {
  for (OciRuntime runtime : options_.runtimes) {
    fs::path state = scratch() / ("state-" + to_string(runtime));
    fs::create_directories(state);
    RuntimeContender contender{to_string(runtime), {{runtime, binary_of(options_, runtime), state}, nullptr}, ""};
    auto found = find_program(contender.who.command.binary);
    if (!found) contender.missing = missing_reason(runtime, contender.who.command.binary);
    else contender.who.command.binary = fs::absolute(*found);
    runtimes_.push_back(std::move(contender));
  }
  for (RuntimeContender& contender : runtimes_) {
    if (contender.who.command.runtime != OciRuntime::crun || !contender.missing.empty()) continue;
    auto hybrid = hybrid_cgroup2_mount(read_file_or_empty("/proc/self/mountinfo"));
    if (!hybrid) continue;
    auto ns = PrivateMountNamespace::without(*hybrid);
    if (!ns) {
      contender.missing = "crun 1.8 refuses hybrid cgroups, and a mount namespace without " + *hybrid +
                          " could not be made: " + ns.error().message();
      continue;
    }
    crun_ns_.emplace(std::move(ns).value());
    contender.who.mount_ns = &*crun_ns_;
    about_.push_back("crun runs in a private mount namespace without " + *hybrid + " (hybrid cgroups, which crun 1.8 refuses)");
  }
}

std::string Workspace::next_id(const RuntimeContender& runtime) {
  return "deploylab-bench-" + runtime.name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++serial_);
}

nlohmann::json Workspace::config(const std::vector<std::string>& args) const {
  return rows_config(spec_, rootfs(), RootAccess::read_only, args);
}

nlohmann::json Workspace::config_on(const fs::path& root, RootAccess access, const std::vector<std::string>& args) const {
  return rows_config(spec_, root, access, args);
}

Result<fs::path> Workspace::write_bundle(const std::string& name, const nlohmann::json& config) const {
  fs::path bundle = scratch() / "bundles" / name;
  std::error_code error;
  fs::create_directories(bundle, error);
  if (error) return Error::os("mkdir", bundle.string(), error.value());
  DL_TRY(write_file_atomic(bundle / "config.json", config.dump(1) + "\n", Durability::unsynced));
  return bundle;
}

RoundSetup Workspace::setup_for(const fs::path& bundle) const {
  return {bundle, scratch() / "logs", options_.timeout};
}

void Workspace::remove_leftover_containers() const {
  for (const RuntimeContender& runtime : runtimes_) {
    if (!runtime.missing.empty()) continue;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(runtime.who.command.state_root, ignored)) {
      remove_leftover(setup_for(scratch()), runtime.who, entry.path().filename().string());
    }
  }
  reap_exited_children();
}

Workspace::~Workspace() {
  remove_leftover_containers();
  // The rows unmount what they mount; should anything be left, detach it rather than delete
  // files through it (a mounted overlay's lower layer is the rootfs copy, but who knows).
  for (const fs::path& mount : mounts_under(scratch())) ::umount2(mount.c_str(), MNT_DETACH);
  if (!mounts_under(scratch()).empty()) {
    std::cerr << "container-rows: something is still mounted under " << scratch().string()
              << "; kept it (umount it, then remove it)\n";
    scratch_.release();
  }
}

}  // namespace deploylab::bench
