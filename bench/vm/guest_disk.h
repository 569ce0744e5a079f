// bench/vm/guest_disk.h: the guest's disk: an ext4 image holding the workloads and run.sh
// (guest_script.h), made with `mkfs.ext4 -d STAGE IMAGE SIZE`, which copies a directory into a
// fresh file system without mounting anything (so it works in a container or in vmhost alike).
// Every VM of a run boots with the same image as /dev/vda, virtio-blk on virtio-mmio under both
// minivmm and QEMU microvm.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::bench {

struct DiskContents {
  std::filesystem::path compute_kernel, io_probe;  // required
  std::optional<std::filesystem::path> syscall_census, ctr_attack, net_probe;
  std::vector<std::filesystem::path> modules;      // kernel modules, copied into /modules
  std::string run_script;                          // becomes /run.sh
};

// The .ko files (paths inside the kernel's modules directory) of `names`, from modules.dep's
// text ("kernel/drivers/net/virtio_net.ko: dep.ko ..."); std::nullopt when one is missing. Pure.
std::optional<std::vector<std::string>> module_files(const std::string& modules_dep,
                                                     const std::vector<std::string>& names);

// Room for the programs, ext4's journal and io-probe's file of `io_mebibytes`.
std::uint64_t disk_image_mib(long io_mebibytes);

// Copies the contents into `stage` (created), then makes `image`. An error names the step.
Result<void> build_disk_image(const DiskContents& contents, const std::filesystem::path& stage,
                              const std::filesystem::path& image, std::uint64_t size_mib);

// A file system's name from its statfs(2) f_type ("ext4", "tmpfs", "overlay", "9p", ...), else
// "fs 0x...". Pure.
std::string filesystem_name(unsigned long magic);
// The name of the file system `path` is on.
std::string filesystem_of(const std::filesystem::path& path);

}  // namespace deploylab::bench
