// containers/oci/state_store.cpp: the state directory (see state_store.h).
#include "containers/oci/state_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "common/file_io.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxIdLength = 1024;
constexpr mode_t kRootMode = 0700;       // only root reads the records (they hold pids and paths)
constexpr mode_t kContainerMode = 0711;  // as runc: others may traverse, not list
constexpr const char* kRecordName = "state.json";
// A file of its own rather than state.json: save() replaces state.json by rename, and a lock
// held on the replaced file would not stop anyone who opens the new one.
constexpr const char* kLockName = "lock";

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
         c == '-' || c == '.';
}

std::string quote_id(std::string_view id) { return "\"" + std::string(id) + "\""; }

Error no_such_container(std::string_view id, const fs::path& root) {
  return Error::invalid("container " + quote_id(id) + " does not exist", "",
                        "`minictr list --root " + root.string() + "` shows the containers there");
}

}  // namespace

Result<void> validate_container_id(std::string_view id) {
  if (id.size() > kMaxIdLength) {
    return Error::invalid("invalid container id (" + std::to_string(id.size()) + " characters)", "",
                          "at most " + std::to_string(kMaxIdLength));
  }
  const bool valid = !id.empty() && id != "." && id != ".." && std::all_of(id.begin(), id.end(), is_id_char);
  if (valid) return {};
  return Error::invalid("invalid container id " + quote_id(id), "", "use letters, digits, '_', '+', '-' and '.'");
}

StateStore::StateStore(fs::path root) : root_(std::move(root)) {}

fs::path StateStore::dir(std::string_view id) const { return root_ / std::string(id); }

fs::path StateStore::record_path(std::string_view id) const { return dir(id) / kRecordName; }

bool StateStore::exists(std::string_view id) const {
  std::error_code error;
  return validate_container_id(id).ok() && fs::is_directory(dir(id), error);
}

Result<void> StateStore::require_existing(std::string_view id) const {
  DL_TRY(validate_container_id(id));
  if (!exists(id)) return no_such_container(id, root_);
  return {};
}

Result<void> StateStore::make_root() const {
  std::error_code error;
  if (root_.has_parent_path()) fs::create_directories(root_.parent_path(), error);
  if (error) return Error::os("mkdir -p", root_.parent_path().string(), error.value());
  if (::mkdir(root_.c_str(), kRootMode) != 0 && errno != EEXIST) {
    return Error::os("mkdir", root_.string(), errno, "is --root writable?");
  }
  return {};
}

Result<void> StateStore::create(const ContainerState& state) {
  DL_TRY(validate_container_id(state.id));
  DL_TRY(make_root());
  const fs::path path = dir(state.id);
  if (::mkdir(path.c_str(), kContainerMode) != 0) {
    if (errno == EEXIST) {
      return Error::invalid("container " + quote_id(state.id) + " already exists", "",
                            "minictr delete " + state.id + " first");
    }
    return Error::os("mkdir", path.string(), errno);
  }
  auto written = write_file_atomic(record_path(state.id), to_record_json(state), Durability::unsynced);
  if (!written.ok()) {
    std::error_code ignored;
    fs::remove_all(path, ignored);  // leave no half-created container behind
  }
  return written;
}

Result<ContainerState> StateStore::load(std::string_view id) const {
  DL_TRY(require_existing(id));
  const fs::path path = record_path(id);
  auto text = DL_TRY(read_file(path).context("reading the state of container " + quote_id(id)));
  auto state = DL_TRY(parse_record_json(text, path.string()));
  if (state.id != id) {
    return Error::invalid("record is for container " + quote_id(state.id) + ", not " + quote_id(id), path.string(),
                          "was a state directory copied or renamed by hand?");
  }
  return state;
}

Result<void> StateStore::save(const ContainerState& state) {
  DL_TRY(require_existing(state.id));
  return write_file_atomic(record_path(state.id), to_record_json(state), Durability::unsynced)
      .context("saving the state of container " + quote_id(state.id));
}

Result<void> StateStore::remove(std::string_view id) {
  DL_TRY(require_existing(id));
  std::error_code error;
  fs::remove_all(dir(id), error);
  if (error) return Error::os("removing", dir(id).string(), error.value());
  return {};
}

Result<std::vector<ContainerState>> StateStore::list() const {
  std::vector<ContainerState> states;
  std::error_code error;
  if (!fs::exists(root_, error)) return states;  // nothing was ever created under this root
  for (const auto& entry : fs::directory_iterator(root_, error)) {
    auto id = entry.path().filename().string();
    if (!entry.is_directory() || !validate_container_id(id).ok()) continue;
    if (!fs::exists(record_path(id))) continue;  // a create in progress, or one that died early
    states.push_back(DL_TRY(load(id)));
  }
  if (error) return Error::os("listing", root_.string(), error.value());
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return states;
}

Result<StateLock> StateStore::lock(std::string_view id) {
  DL_TRY(require_existing(id));
  const fs::path path = dir(id) / kLockName;
  auto fd = DL_TRY(open_file(path, O_RDWR | O_CREAT, 0600));
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return Error::os("flock", path.string(), errno);
  }
  return StateLock(std::move(fd));
}

}  // namespace deploylab::ctr
