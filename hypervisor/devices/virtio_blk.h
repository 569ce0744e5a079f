// hypervisor/devices/virtio_blk.h: VirtioBlk, a virtio block device backed by a host file (lab 04).
//
// Part of devices/; it sits behind the virtio-mmio transport (virtio_mmio.h), which gives it the
// guest's requests one descriptor chain at a time. The guest's virtio_blk driver sees a disk of
// `capacity` 512-byte sectors (/dev/vda) and the host sees ordinary pread/pwrite on a file, which
// is the whole point of paravirtualisation: no emulated disk controller, one exit per batch.
//
// A request is one chain: a 16-byte header the device reads, then data, then one status byte the
// device writes:
//   struct { le32 type; le32 reserved; le64 sector; }  data[]  u8 status
//   type IN (0): read  -> data is device-writable, filled from the file at sector * 512
//   type OUT (1): write -> data is device-readable, written to the file
//   type FLUSH (4): make earlier writes durable (fdatasync)
//   type GET_ID (8): data receives a 20-byte serial string (/sys/block/vda/serial)
// status: OK (0), IOERR (1), UNSUPP (2). A read or write past the last sector, or of a length
// that is not whole sectors, is IOERR: the device never returns a short read silently.
//
// Offered features: FLUSH (our writes land in the host page cache, a write-back cache, so the
// guest must be able to ask for durability), BLK_SIZE (512), SEG_MAX (how many data segments
// fit a request: the queue size minus header and status) and RO for a read-only disk.
//
// Thread safety: the transport calls process_queue() under its lock; stats() may be called from
// any thread (the counters are atomic).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "hypervisor/devices/virtio_mmio.h"

namespace deploylab::hv {

namespace virtio_blk {
inline constexpr std::uint32_t kDeviceId = 2;
inline constexpr std::uint64_t kSectorSize = 512;  // virtio-blk counts in 512-byte sectors, always
inline constexpr std::size_t kIdBytes = 20;        // VIRTIO_BLK_ID_BYTES
// Feature bits.
inline constexpr std::uint64_t kFeatureSegMax = 1ull << 2, kFeatureRo = 1ull << 5,
                               kFeatureBlkSize = 1ull << 6, kFeatureFlush = 1ull << 9;
// Request types and status values.
inline constexpr std::uint32_t kTypeIn = 0, kTypeOut = 1, kTypeFlush = 4, kTypeGetId = 8;
inline constexpr std::uint8_t kStatusOk = 0, kStatusIoErr = 1, kStatusUnsupported = 2;
inline constexpr std::uint64_t kHeaderBytes = 16;
// struct virtio_blk_config up to blk_size: capacity (u64 at 0), size_max (u32 at 8), seg_max (u32
// at 12), geometry (4 bytes at 16), blk_size (u32 at 20). Later fields belong to features we do
// not offer, and the transport reads them as 0.
inline constexpr std::size_t kConfigBytes = 24;
}  // namespace virtio_blk

enum class DiskAccess { read_write, read_only };

class VirtioBlk : public VirtioDevice {
 public:
  struct Stats {
    std::uint64_t reads = 0, writes = 0, flushes = 0, get_ids = 0;
    std::uint64_t unsupported = 0;  // requests of a type we do not serve
    std::uint64_t errors = 0;       // requests answered with IOERR (or malformed)
    std::uint64_t bytes_read = 0, bytes_written = 0;
  };

  // Opens the disk image `path`. Its size must be a whole number of 512-byte sectors and not 0.
  // `serial` is what GET_ID returns (at most 20 bytes are used).
  static Result<std::shared_ptr<VirtioBlk>> open(const std::filesystem::path& path, DiskAccess access,
                                                 std::string serial = "deploylab-disk");

 private:
  struct OpenKey {  // only open() can make one, so only open() can construct a VirtioBlk
    explicit OpenKey() = default;
  };

 public:
  VirtioBlk(OpenKey, std::filesystem::path path, UniqueFd fd, DiskAccess access,
            std::uint64_t sectors, std::string serial);

  std::string name() const override { return "virtio-blk " + path_.string(); }
  std::uint32_t device_id() const override { return virtio_blk::kDeviceId; }
  std::uint64_t features() const override;
  std::span<const std::uint8_t> config() const override { return config_; }
  std::size_t queue_count() const override { return 1; }
  Result<void> process_queue(std::size_t index, Virtqueue& queue) override;

  std::uint64_t capacity_sectors() const { return sectors_; }
  bool read_only() const { return access_ == DiskAccess::read_only; }
  Stats stats() const;

 private:
  struct Request;
  struct Outcome {
    std::uint8_t status = virtio_blk::kStatusOk;
    std::uint64_t data_written = 0;  // bytes written into the request's data buffers
  };
  // Serves one chain; returns how many bytes it wrote into the chain's writable buffers.
  std::uint32_t serve(const DescriptorChain& chain);
  Outcome execute(const Request& request);
  Outcome read_sectors(const Request& request);
  Outcome write_sectors(const Request& request);
  Outcome flush();
  Outcome get_id(const Request& request);
  Outcome failed(const std::string& what);
  bool in_range(const Request& request, std::uint64_t bytes) const;

  const std::filesystem::path path_;
  const UniqueFd fd_;
  const DiskAccess access_;
  const std::uint64_t sectors_;
  const std::string serial_;
  std::array<std::uint8_t, virtio_blk::kConfigBytes> config_{};

  struct Counters {
    std::atomic<std::uint64_t> reads{0}, writes{0}, flushes{0}, get_ids{0}, unsupported{0},
        errors{0}, bytes_read{0}, bytes_written{0};
  };
  Counters counters_;
};

// One line for the VMM's report: "virtio-blk: 120 reads (4.5 MiB), 3 writes (12 KiB), 1 flush".
std::string describe(const VirtioBlk::Stats& stats);

}  // namespace deploylab::hv
