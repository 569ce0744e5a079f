// common/mapping.h: Mapping, the single owner of an mmap'd region (address + length).
//
// Guest RAM in the hypervisor labs and the kvm_run page of each vCPU are Mappings; the region is
// unmapped exactly once when the owner goes away.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"

namespace deploylab {

class Mapping {
 public:
  Mapping() = default;
  ~Mapping() { reset(); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;

  // Anonymous private memory, zero-filled, readable and writable (guest RAM).
  static Result<Mapping> anonymous(std::size_t length, int extra_flags = 0);
  // A shared mapping of `fd` (for example a vCPU's kvm_run area). `what` names it in errors.
  static Result<Mapping> of_fd(int fd, std::size_t length, int prot, const std::string& what);

  void* data() const { return addr_; }
  std::uint8_t* bytes() const { return static_cast<std::uint8_t*>(addr_); }
  std::size_t size() const { return length_; }
  std::span<std::uint8_t> span() const { return {bytes(), length_}; }
  bool valid() const { return addr_ != nullptr; }

  void reset();

 private:
  Mapping(void* addr, std::size_t length) : addr_(addr), length_(length) {}
  void* addr_ = nullptr;
  std::size_t length_ = 0;
};

}  // namespace deploylab
