// containers/cgroups/cgroup_files.h: reading and writing the files of a cgroup directory.
//
// A cgroup is a directory; its interface is files. Writing "33554432" to memory.max is a
// request to the kernel, which may refuse it (EBUSY: the cgroup already uses more than that and
// could not be shrunk; EINVAL: a value out of range). Every refusal comes back as an Error that
// names the file, the value, errno and a hint for that file and errno:
//
//   writing "100" to `/sys/fs/cgroup/memory/minictr/web/memory.limit_in_bytes`: Device or
//   resource busy [EBUSY] (hint: the cgroup already uses more memory than this ...)
//
// Neighbours: cgroup.h (the directories), resource_writes.h (what to write), stats.h (reads).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace deploylab::ctr {

// Pure: what a reader can do when writing `file` failed with `error` (errno); may be empty.
std::string write_hint(std::string_view file, int error);

// Writes `value` to dir/file in one write(2), as the kernel expects.
Result<void> write_cgroup_file(const std::filesystem::path& dir, std::string_view file,
                               std::string_view value);

// The whole of dir/file.
Result<std::string> read_cgroup_file(const std::filesystem::path& dir, std::string_view file);

// Whether dir/file exists (optional interface files: memory.memsw.*, memory.peak, cgroup.kill).
bool cgroup_file_exists(const std::filesystem::path& dir, std::string_view file);

// Pure: the pids of cgroup.procs, one a line; an error names a line that is not a pid.
Result<std::vector<pid_t>> parse_pid_list(std::string_view text);

enum class DirectoryCreated { created, existed };

// mkdir(2) with mode 0755; an existing directory is not an error (a shared parent).
Result<DirectoryCreated> make_cgroup_directory(const std::filesystem::path& dir);

// rmdir(2). A cgroup directory can be removed while it still lists its interface files (they
// are not real files), but not while processes or child cgroups remain (EBUSY): retries EBUSY
// for up to `patience`, since killed processes take a moment to leave. An absent directory is
// fine.
Result<void> remove_cgroup_directory(const std::filesystem::path& dir,
                                     std::chrono::milliseconds patience = std::chrono::milliseconds(1000));

}  // namespace deploylab::ctr
