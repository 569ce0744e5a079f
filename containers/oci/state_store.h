// containers/oci/state_store.h: the state directory, where minictr keeps one record per container
// between commands (see state.h for why a runtime needs one).
//
// Layout, as runc's (`--root`, default /run/minictr: a tmpfs, so a reboot forgets containers that
// a reboot has killed anyway):
//
//   /run/minictr/
//     web/                 one directory per container, created with mkdir(2): two `minictr create
//       state.json         web` at once cannot both succeed, because only one mkdir can
//       lock               flock(2)ed while a command changes the container
//
// state.json is replaced atomically (a temporary file renamed over it), so a reader sees the old
// record or the new one, never half of each, even if minictr is killed mid-write. Readers need no
// lock for that; commands that read, decide and write (start, kill, delete) hold lock() so two of
// them never interleave on one container.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "containers/oci/state.h"

namespace deploylab::ctr {

inline constexpr std::string_view kDefaultStateRoot = "/run/minictr";

// An ID is a directory name and appears in cgroup paths and messages, so it is limited as runc
// limits it: 1 to 1024 of letters, digits, '_', '+', '-' and '.', and not "." or "..".
Result<void> validate_container_id(std::string_view id);

// Holds the exclusive flock on a container's lock file; dropping it (or the process dying) unlocks.
class StateLock {
 public:
  StateLock() = default;
  explicit StateLock(UniqueFd fd) : fd_(std::move(fd)) {}
  bool held() const { return fd_.valid(); }
  void unlock() { fd_.reset(); }

 private:
  UniqueFd fd_;
};

class StateStore {
 public:
  explicit StateStore(std::filesystem::path root = std::filesystem::path(kDefaultStateRoot));

  const std::filesystem::path& root() const { return root_; }
  // ROOT/ID (no check of the id or of the directory).
  std::filesystem::path dir(std::string_view id) const;
  bool exists(std::string_view id) const;

  // Makes ROOT/ID (and ROOT if needed) and writes the first record. An ID already in use is an
  // error: `container "web" already exists`.
  Result<void> create(const ContainerState& state);
  // The record of ID; `container "web" does not exist` when there is none.
  Result<ContainerState> load(std::string_view id) const;
  // Replaces the record of an existing container atomically.
  Result<void> save(const ContainerState& state);
  // Removes ROOT/ID and everything in it.
  Result<void> remove(std::string_view id);
  // Every container with a record, sorted by id. A directory without a record yet (a create in
  // progress) is skipped; a corrupt record is an error naming its file, as in runc.
  Result<std::vector<ContainerState>> list() const;
  // Blocks until this process holds the container's lock.
  Result<StateLock> lock(std::string_view id);

 private:
  std::filesystem::path record_path(std::string_view id) const;
  Result<void> require_existing(std::string_view id) const;
  Result<void> make_root() const;

  std::filesystem::path root_;
};

}  // namespace deploylab::ctr
