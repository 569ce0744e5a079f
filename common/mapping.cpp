// common/mapping.cpp: mmap/munmap for Mapping (see mapping.h).
#include "common/mapping.h"

#include <cerrno>
#include <utility>

namespace deploylab {

Mapping::Mapping(Mapping&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)), length_(std::exchange(other.length_, 0)) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    reset();
    addr_ = std::exchange(other.addr_, nullptr);
    length_ = std::exchange(other.length_, 0);
  }
  return *this;
}

Result<Mapping> Mapping::anonymous(std::size_t length, int extra_flags) {
  void* addr = ::mmap(nullptr, length, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  if (addr == MAP_FAILED) {
    return Error::os("mmap", std::to_string(length) + " bytes of anonymous memory", errno,
                     "ask for less memory, or check `ulimit -v`");
  }
  return Mapping(addr, length);
}

Result<Mapping> Mapping::of_fd(int fd, std::size_t length, int prot, const std::string& what) {
  void* addr = ::mmap(nullptr, length, prot, MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED) return Error::os("mmap", what, errno);
  return Mapping(addr, length);
}

void Mapping::reset() {
  if (addr_ != nullptr) ::munmap(addr_, length_);
  addr_ = nullptr;
  length_ = 0;
}

}  // namespace deploylab
