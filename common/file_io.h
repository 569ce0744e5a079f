// common/file_io.h: whole-file reads and writes that return Result, with the path in every error.
//
// write_file_atomic() writes a temporary file beside the target and renames it over the target,
// so a reader (or a crash) sees either the old contents or the new, never half of each. The
// grader's results.json and every state file of the container runtime are written this way.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab {

// open(2) with O_CLOEXEC added; `hint` goes into the error.
Result<UniqueFd> open_file(const std::filesystem::path& path, int flags, mode_t mode = 0644,
                           std::string hint = {});

// Reads everything from `fd` until end of file (retrying EINTR and short reads).
Result<std::string> read_all(int fd, const std::string& what);
// Writes all of `data` to `fd` (retrying EINTR and short writes).
Result<void> write_all(int fd, std::string_view data, const std::string& what);

Result<std::string> read_file(const std::filesystem::path& path);
// For files that may rightly be absent (/proc and /sys entries of a module not loaded): the text,
// or "" when it cannot be read.
std::string read_file_or_empty(const std::filesystem::path& path);
// Whether the data must be on disk before the rename (fsync): yes for results that must survive a
// power cut; no for run-time state that lives no longer than the machine's uptime anyway (a
// container runtime's state under /run, which runc and crun never fsync either). Both kinds
// stay atomic for readers.
enum class Durability { synced, unsynced };
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               Durability durability = Durability::synced);

}  // namespace deploylab
