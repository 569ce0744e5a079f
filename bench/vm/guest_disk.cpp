// bench/vm/guest_disk.cpp: the guest's ext4 image (guest_disk.h).
#include "bench/vm/guest_disk.h"

#include <sys/vfs.h>

#include <cstdio>
#include <sstream>

#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kHeadroomMib = 64;  // programs (~10 MiB), journal, metadata

Result<void> copy_program(const fs::path& from, const fs::path& stage, const std::string& name) {
  std::error_code error;
  fs::copy_file(from, stage / name, fs::copy_options::overwrite_existing, error);
  if (error) return Error::os("copying", from.string(), error.value(), "build it first (cmake --build)");
  fs::permissions(stage / name, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec, error);
  return {};
}

}  // namespace

std::uint64_t disk_image_mib(long io_mebibytes) { return static_cast<std::uint64_t>(io_mebibytes) + kHeadroomMib; }

Result<void> build_disk_image(const DiskContents& contents, const fs::path& stage, const fs::path& image,
                              std::uint64_t size_mib) {
  fs::create_directories(stage);
  DL_TRY(copy_program(contents.compute_kernel, stage, "compute-kernel"));
  DL_TRY(copy_program(contents.io_probe, stage, "io-probe"));
  if (contents.syscall_census) DL_TRY(copy_program(*contents.syscall_census, stage, "syscall-census"));
  if (contents.ctr_attack) DL_TRY(copy_program(*contents.ctr_attack, stage, "ctr_attack"));
  if (contents.net_probe) DL_TRY(copy_program(*contents.net_probe, stage, "net-probe"));
  fs::create_directories(stage / "modules");
  for (const fs::path& module : contents.modules) {
    DL_TRY(copy_program(module, stage / "modules", module.filename().string()));
  }
  DL_TRY(write_file_atomic(stage / "run.sh", contents.run_script));
  RunOptions options;
  options.timeout = std::chrono::seconds(120);
  DL_TRY(run_checked({"mkfs.ext4", "-q", "-F", "-L", "deploylab-bench", "-d", stage.string(), image.string(),
                      std::to_string(size_mib) + "M"},
                     options)
             .context("making the guest's disk image (apt install e2fsprogs)"));
  return {};
}

std::optional<std::vector<std::string>> module_files(const std::string& modules_dep,
                                                     const std::vector<std::string>& names) {
  std::vector<std::string> files;
  for (const std::string& name : names) {
    std::istringstream lines(modules_dep);
    std::string line, found;
    while (found.empty() && std::getline(lines, line)) {
      std::string path = line.substr(0, line.find(':'));
      if (path.size() > name.size() + 4 && path.ends_with("/" + name + ".ko")) found = path;
    }
    if (found.empty()) return std::nullopt;
    files.push_back(found);
  }
  return files;
}

std::string filesystem_name(unsigned long magic) {
  switch (magic) {
    case 0xEF53: return "ext4";
    case 0x01021994: return "tmpfs";
    case 0x794c7630: return "overlay";
    case 0x01021997: return "9p";
    case 0x9123683E: return "btrfs";
    case 0x58465342: return "xfs";
    case 0x2fc12fc1: return "zfs";
    case 0x6969: return "nfs";
  }
  char text[32];
  std::snprintf(text, sizeof text, "fs 0x%lx", magic);
  return text;
}

std::string filesystem_of(const fs::path& path) {
  struct statfs info {};
  if (::statfs(path.c_str(), &info) != 0) return "unknown file system";
  return filesystem_name(static_cast<unsigned long>(info.f_type));
}

}  // namespace deploylab::bench
