// containers/cgroups/resources.h: the resource limits of one container, as the OCI runtime spec
// states them (config.json's linux.resources) and independent of the cgroup version. oci/spec.h
// fills it from config.json; cgroups/ turns it into files to write under cgroup v1 or v2 (the
// version decides the file names and units: cpu.shares 1024 under v1 is cpu.weight 39 under v2,
// by the conversion runc uses; see cgroups/resource_writes.h).
// An empty optional means "not set": the container inherits its parent's limit.
#pragma once

#include <cstdint>
#include <optional>

namespace deploylab::ctr {

struct MemoryResources {
  std::optional<std::int64_t> limit;        // bytes; -1: unlimited
  std::optional<std::int64_t> reservation;  // bytes; a soft limit (v1 soft_limit_in_bytes, v2 memory.low)
  std::optional<std::int64_t> swap;         // bytes of memory+swap (OCI's meaning); -1: unlimited
};

struct CpuResources {
  std::optional<std::uint64_t> shares;      // relative weight, v1 units (2..262144; default 1024)
  std::optional<std::int64_t> quota;        // microseconds per period; -1: unlimited
  std::optional<std::uint64_t> period;      // microseconds (default 100000)
};

struct PidsResources {
  std::optional<std::int64_t> limit;        // at most this many tasks; -1 or 0: unlimited (OCI)
};

struct Resources {
  MemoryResources memory;
  CpuResources cpu;
  PidsResources pids;
};

}  // namespace deploylab::ctr
