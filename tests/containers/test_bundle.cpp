// tests/containers/test_bundle.cpp: the container tests' bundle (see test_bundle.h).
#include "tests/containers/test_bundle.h"

#include <sstream>

#include "common/build_tree.h"
#include "common/file_io.h"
#include "containers/oci/default_spec.h"

namespace deploylab::ctr::testing {

namespace fs = std::filesystem;

fs::path minictr_binary() { return MINICTR_BINARY; }

TestBundle TestBundle::make(const std::string& id) {
  TestBundle bundle(TempDir::create("deploylab-test-bundle-").value(), id);
  fs::path source = default_assets_dir() / "rootfs";
  if (!fs::exists(source / "bin/busybox")) throw std::runtime_error("no busybox rootfs in " + source.string() + ": run make deps");
  run_checked({"cp", "-a", source.string(), bundle.rootfs().string()}).value();
  bundle.config_ = nlohmann::json::parse(default_spec_json());
  bundle.config_["process"]["terminal"] = false;
  bundle.config_["root"]["readonly"] = false;
  return bundle;
}

TestBundle::~TestBundle() {
  if (id_.empty() || !fs::exists(state_root() / id_)) return;
  RunOptions options;
  options.timeout = std::chrono::seconds(30);
  (void)deploylab::run({minictr_binary().string(), "delete", "--root", state_root().string(), "--force", id_}, options);
}

void TestBundle::write_config() const { write_file_atomic(dir_ / "config.json", config_.dump(2)).value(); }

Completed TestBundle::minictr(std::vector<std::string> args, std::chrono::milliseconds timeout) const {
  args.insert(args.begin(), {minictr_binary().string(), "--root", state_root().string()});
  RunOptions options;
  options.timeout = timeout;
  options.spawn.cwd = dir().string();
  return deploylab::run(args, options).value();
}

Completed TestBundle::minictr_detached(std::vector<std::string> args) const {
  std::string command = "exec " + shell_words({minictr_binary().string(), "--root", state_root().string()});
  for (const auto& word : args) command += " " + shell_words({word});
  command += " >" + (dir_ / "create.out").string() + " 2>" + (dir_ / "create.err").string();
  Completed done = minictr_shell(command);
  done.out = read_file(dir_ / "create.out").value_or("");
  done.err = read_file(dir_ / "create.err").value_or("");
  return done;
}

Completed TestBundle::minictr_shell(const std::string& command) const {
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  options.spawn.cwd = dir().string();
  options.spawn.own_process_group = false;  // a timeout must not take the container with it
  return deploylab::run({"sh", "-c", command}, options).value();
}

bool running_in_a_chroot() {
  std::string table = read_file("/proc/self/mountinfo").value_or("");
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, root, mount_point;
    fields >> id >> parent >> device >> root >> mount_point;
    if (mount_point == "/") return false;
  }
  return !table.empty();
}

std::string transcript(const Completed& done) {
  return "minictr " + done.status.describe() + (done.timed_out ? " (timed out)" : "") + "\n--- stdout:\n" + done.out +
         "--- stderr:\n" + done.err + (done.err.empty() || done.err.back() == '\n' ? "" : "\n");
}

bool cgroup_left_behind(const std::string& id) {
  for (const char* hierarchy : {"memory", "pids", "cpu", "unified"}) {
    if (fs::exists(fs::path("/sys/fs/cgroup") / hierarchy / "minictr" / id)) return true;
  }
  return fs::exists(fs::path("/sys/fs/cgroup/minictr") / id);
}

}  // namespace deploylab::ctr::testing
