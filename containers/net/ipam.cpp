// containers/net/ipam.cpp: host-local address allocation on disk (see ipam.h).
#include "containers/net/ipam.h"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/error.h"
#include "common/file_io.h"
#include "containers/net/file_lock.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLockFile = "lock";
constexpr const char* kLastReserved = "last_reserved_ip";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::optional<Ipv4Address> read_last(const fs::path& dir) {
  auto last = parse_ipv4(trimmed(read_file_or_empty(dir / kLastReserved)));
  if (!last.ok()) return std::nullopt;
  return last.value();
}

}  // namespace

std::optional<Ipv4Address> choose_free_address(const Subnet& subnet, const std::set<Ipv4Address>& used,
                                               std::optional<Ipv4Address> last) {
  // BEGIN SOLUTION lab 8: choose the next free address after the last one given out (round-robin)
  Ipv4Address candidate = subnet.next_assignable(last.value_or(subnet.gateway()));
  for (std::uint64_t tried = 0; tried < subnet.assignable_count(); ++tried) {
    if (!used.contains(candidate)) return candidate;
    candidate = subnet.next_assignable(candidate);
  }
  return std::nullopt;
  // END SOLUTION
}

Result<std::map<Ipv4Address, std::string>> Ipam::read_allocations() const {
  std::map<Ipv4Address, std::string> allocations;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_, error)) {
    auto address = parse_ipv4(entry.path().filename().string());
    if (!address.ok()) continue;  // lock, last_reserved_ip
    allocations[address.value()] = trimmed(DL_TRY(read_file(entry.path())));
  }
  if (error && error != std::errc::no_such_file_or_directory) return Error::os("opendir", dir_.string(), error.value());
  return allocations;
}

Result<Ipv4Address> Ipam::allocate(std::string_view container_id) {
  FileLock lock = DL_TRY(FileLock::acquire(dir_ / kLockFile));
  auto allocations = DL_TRY(read_allocations());
  std::set<Ipv4Address> used;
  for (const auto& [address, owner] : allocations) {
    if (owner == container_id) return address;
    used.insert(address);
  }
  auto chosen = choose_free_address(subnet_, used, read_last(dir_));
  if (!chosen) {
    return Error::invalid("network \"" + network_ + "\" has no free address: all " + std::to_string(used.size()) + " of " +
                              to_string(subnet_) + " are in use",
                          "", "remove containers on it (minictr delete), or make a network with a bigger --subnet");
  }
  // The address file first: once it exists the address is ours, whatever happens next.
  DL_TRY(write_file_atomic(dir_ / to_string(*chosen), std::string(container_id) + "\n"));
  DL_TRY(write_file_atomic(dir_ / kLastReserved, to_string(*chosen) + "\n"));
  return *chosen;
}

Result<std::optional<Ipv4Address>> Ipam::release(std::string_view container_id) {
  FileLock lock = DL_TRY(FileLock::acquire(dir_ / kLockFile));
  auto allocations = DL_TRY(read_allocations());
  for (const auto& [address, owner] : allocations) {
    if (owner != container_id) continue;
    fs::path file = dir_ / to_string(address);
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) return Error::os("unlink", file.string(), errno);
    return std::optional<Ipv4Address>(address);
  }
  return std::optional<Ipv4Address>();
}

Result<std::map<Ipv4Address, std::string>> Ipam::in_use() const { return read_allocations(); }

}  // namespace deploylab::ctr
