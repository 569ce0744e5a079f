// common/unique_fd.h: UniqueFd, the single owner of a file descriptor.
//
// Every fd in deploylab (/dev/kvm, a VM, a vCPU, a pipe, a namespace, a cgroup file) is held by a
// UniqueFd, so it is closed exactly once, on every path, including errors and exceptions
// (C++ Core Guidelines R.1). It is move-only: ownership passes, it is never shared.
#pragma once

#include <utility>

namespace deploylab {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }

  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // Gives up ownership: the caller must close the returned fd.
  int release() { return std::exchange(fd_, -1); }
  // Closes the current fd (if any) and takes ownership of `fd`.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace deploylab
