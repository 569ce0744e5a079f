// common/file_io.cpp: read/write loops and the write-then-rename pattern (see file_io.h).
#include "common/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace deploylab {

Result<UniqueFd> open_file(const std::filesystem::path& path, int flags, mode_t mode, std::string hint) {
  int fd;
  do fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return Error::os("open", path.string(), errno, std::move(hint));
  return UniqueFd(fd);
}

Result<std::string> read_all(int fd, const std::string& what) {
  std::string data;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::os("read", what, errno);
    if (n == 0) return data;
    data.append(buffer, static_cast<std::size_t>(n));
  }
}

Result<void> write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::os("write", what, errno, errno == ENOSPC ? "the disk is full" : "");
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  UniqueFd fd = DL_TRY(open_file(path, O_RDONLY));
  return read_all(fd.get(), path.string());
}

std::string read_file_or_empty(const std::filesystem::path& path) {
  auto text = read_file(path);
  return text.ok() ? std::move(text).value() : std::string();
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data, Durability durability) {
  std::filesystem::path temp = path;
  temp += ".tmp." + std::to_string(::getpid());
  {
    UniqueFd fd = DL_TRY(open_file(temp, O_WRONLY | O_CREAT | O_TRUNC, 0644,
                                   "is the directory there and writable?"));
    DL_TRY(write_all(fd.get(), data, temp.string()));
    if (durability == Durability::synced && ::fsync(fd.get()) != 0) return Error::os("fsync", temp.string(), errno);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    return Error::os("rename", temp.string() + " -> " + path.string(), saved);
  }
  return {};
}

}  // namespace deploylab
