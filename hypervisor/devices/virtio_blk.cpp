// hypervisor/devices/virtio_blk.cpp: virtio-blk requests served from a host file (see
// virtio_blk.h).
#include "hypervisor/devices/virtio_blk.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/file_io.h"

namespace deploylab::hv {

using namespace virtio_blk;

// A parsed request: the header's fields and the data buffers between header and status byte.
struct VirtioBlk::Request {
  std::uint32_t type = 0;
  std::uint64_t sector = 0;
  std::vector<std::span<std::uint8_t>> data_out;  // device-readable data (OUT)
  std::vector<std::span<std::uint8_t>> data_in;   // device-writable data (IN, GET_ID)
};

namespace {

enum class Direction { read, write };

// preadv/pwritev of `buffers` at file offset `offset`, straight between the file and guest RAM
// (no bounce buffer). The kernel may move fewer bytes than asked (a signal, a large request), so
// the loop continues where it stopped; reaching the end of the file is an error, not a short read.
Result<void> transfer(int fd, Direction direction, std::vector<std::span<std::uint8_t>> buffers,
                      std::uint64_t offset, const std::filesystem::path& path) {
  buffers = sub_buffers(buffers, 0, total_bytes(buffers));  // drops empty buffers
  while (!buffers.empty()) {
    std::vector<iovec> iov;
    for (std::size_t i = 0; i < buffers.size() && i < IOV_MAX; ++i) iov.push_back({buffers[i].data(), buffers[i].size()});
    auto count = static_cast<int>(iov.size());
    ssize_t done = direction == Direction::read ? ::preadv(fd, iov.data(), count, static_cast<off_t>(offset))
                                                : ::pwritev(fd, iov.data(), count, static_cast<off_t>(offset));
    if (done < 0 && errno == EINTR) continue;
    if (done < 0) return Error::os(direction == Direction::read ? "preadv" : "pwritev", path.string(), errno);
    if (done == 0) {
      return Error::invalid("end of file at byte " + std::to_string(offset), path.string(),
                            "the disk image shrank while the guest was using it");
    }
    offset += static_cast<std::uint64_t>(done);
    std::uint64_t left = total_bytes(buffers) - static_cast<std::uint64_t>(done);
    buffers = sub_buffers(buffers, static_cast<std::uint64_t>(done), left);
  }
  return {};
}

template <class T>
void put_le(std::span<std::uint8_t> bytes, std::size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);  // x86 is little-endian, like virtio
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  for (; value >= 1024 && unit + 1 < std::size(units); ++unit) value /= 1024;
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

}  // namespace

Result<std::shared_ptr<VirtioBlk>> VirtioBlk::open(const std::filesystem::path& path, DiskAccess access,
                                                   std::string serial) {
  std::string context = "opening virtio-blk disk image `" + path.string() + "`";
  int flags = access == DiskAccess::read_only ? O_RDONLY : O_RDWR;
  UniqueFd fd = DL_TRY(open_file(path, flags, 0644,
                                 "create one with `truncate -s 64M disk.img && mkfs.ext4 disk.img`")
                           .context(context));
  off_t size = ::lseek(fd.get(), 0, SEEK_END);  // works for block devices too, unlike st_size
  if (size < 0) return Error::os("lseek", path.string(), errno).with_context(context);
  if (size == 0 || size % static_cast<off_t>(kSectorSize) != 0) {
    return Error::invalid("its size, " + std::to_string(size) + " bytes, is not a non-zero multiple of " +
                              std::to_string(kSectorSize) + "-byte sectors",
                          path.string(),
                          "virtio-blk counts a disk in 512-byte sectors; resize the image, e.g. "
                          "`truncate -s 64M " + path.string() + "`")
        .with_context(context);
  }
  return std::make_shared<VirtioBlk>(OpenKey{}, path, std::move(fd), access,
                                     static_cast<std::uint64_t>(size) / kSectorSize, std::move(serial));
}

VirtioBlk::VirtioBlk(OpenKey, std::filesystem::path path, UniqueFd fd, DiskAccess access,
                     std::uint64_t sectors, std::string serial)
    : path_(std::move(path)), fd_(std::move(fd)), access_(access), sectors_(sectors),
      serial_(std::move(serial)) {
  put_le<std::uint64_t>(config_, 0, sectors_);                         // capacity
  put_le<std::uint32_t>(config_, 12, virtq::kMaxSize - 2);             // seg_max: all but header and status
  put_le<std::uint32_t>(config_, 20, static_cast<std::uint32_t>(kSectorSize));  // blk_size
}

std::uint64_t VirtioBlk::features() const {
  std::uint64_t features = kFeatureSegMax | kFeatureBlkSize | kFeatureFlush;
  if (read_only()) features |= kFeatureRo;
  return features;
}

Result<void> VirtioBlk::process_queue(std::size_t index, Virtqueue& queue) {
  if (index != 0) return Error::invalid("virtio-blk has one queue, not queue " + std::to_string(index));
  for (;;) {
    auto chain = DL_TRY(queue.pop());
    if (!chain) return {};
    queue.push(chain->head, serve(*chain));
  }
}

std::uint32_t VirtioBlk::serve(const DescriptorChain& chain) {
  std::uint64_t readable = total_bytes(chain.readable);
  std::uint64_t writable = total_bytes(chain.writable);
  if (readable < kHeaderBytes || writable < 1) {
    // No room for a header or a status byte: nothing to answer into. Hand the chain back empty.
    spdlog::warn("{}: malformed request at descriptor {}: {} readable bytes (the header needs {}), {} "
                 "writable (the status needs 1)",
                 name(), chain.head, readable, kHeaderBytes, writable);
    counters_.errors.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  std::array<std::uint8_t, kHeaderBytes> header{};
  gather(chain.readable, 0, header);
  Request request;
  std::memcpy(&request.type, header.data(), sizeof request.type);
  std::memcpy(&request.sector, header.data() + 8, sizeof request.sector);
  request.data_out = sub_buffers(chain.readable, kHeaderBytes, readable - kHeaderBytes);
  request.data_in = sub_buffers(chain.writable, 0, writable - 1);

  Outcome outcome = execute(request);
  scatter(chain.writable, writable - 1, std::span<const std::uint8_t>(&outcome.status, 1));
  // The chain is at most 4 GiB (Virtqueue checks), so this fits.
  return static_cast<std::uint32_t>(outcome.data_written + 1);
}

VirtioBlk::Outcome VirtioBlk::execute(const Request& request) {
  switch (request.type) {
    case kTypeIn: return read_sectors(request);
    case kTypeOut: return write_sectors(request);
    case kTypeFlush: return flush();
    case kTypeGetId: return get_id(request);
  }
  counters_.unsupported.fetch_add(1, std::memory_order_relaxed);
  spdlog::debug("{}: request type {} is not supported", name(), request.type);
  return Outcome{kStatusUnsupported, 0};
}

bool VirtioBlk::in_range(const Request& request, std::uint64_t bytes) const {
  // Written so that sector + count cannot overflow.
  return bytes % kSectorSize == 0 && request.sector <= sectors_ &&
         bytes / kSectorSize <= sectors_ - request.sector;
}

VirtioBlk::Outcome VirtioBlk::failed(const std::string& what) {
  spdlog::warn("{}: {}", name(), what);
  counters_.errors.fetch_add(1, std::memory_order_relaxed);
  return Outcome{kStatusIoErr, 0};
}

VirtioBlk::Outcome VirtioBlk::read_sectors(const Request& request) {
  std::uint64_t bytes = total_bytes(request.data_in);
  if (!in_range(request, bytes)) {
    return failed("read of " + std::to_string(bytes) + " bytes at sector " + std::to_string(request.sector) +
                  " is not whole sectors inside the disk's " + std::to_string(sectors_));
  }
  auto done = transfer(fd_.get(), Direction::read, request.data_in, request.sector * kSectorSize, path_);
  if (!done) return failed(done.error().message());
  counters_.reads.fetch_add(1, std::memory_order_relaxed);
  counters_.bytes_read.fetch_add(bytes, std::memory_order_relaxed);
  return Outcome{kStatusOk, bytes};
}

VirtioBlk::Outcome VirtioBlk::write_sectors(const Request& request) {
  std::uint64_t bytes = total_bytes(request.data_out);
  if (read_only()) return failed("write to a read-only disk refused");
  if (!in_range(request, bytes)) {
    return failed("write of " + std::to_string(bytes) + " bytes at sector " + std::to_string(request.sector) +
                  " is not whole sectors inside the disk's " + std::to_string(sectors_));
  }
  auto done = transfer(fd_.get(), Direction::write, request.data_out, request.sector * kSectorSize, path_);
  if (!done) return failed(done.error().message());
  counters_.writes.fetch_add(1, std::memory_order_relaxed);
  counters_.bytes_written.fetch_add(bytes, std::memory_order_relaxed);
  return Outcome{kStatusOk, 0};
}

VirtioBlk::Outcome VirtioBlk::flush() {
  // fdatasync: the file's data (and the size, if it changed) reach the disk; timestamps need not.
  if (::fdatasync(fd_.get()) != 0) return failed(Error::os("fdatasync", path_.string(), errno).message());
  counters_.flushes.fetch_add(1, std::memory_order_relaxed);
  return Outcome{kStatusOk, 0};
}

VirtioBlk::Outcome VirtioBlk::get_id(const Request& request) {
  // 20 bytes, NUL-padded; a 20-byte serial has no terminating NUL (the spec's rule).
  std::array<std::uint8_t, kIdBytes> id{};
  std::memcpy(id.data(), serial_.data(), std::min(serial_.size(), id.size()));
  std::uint64_t copied = scatter(request.data_in, 0, id);
  counters_.get_ids.fetch_add(1, std::memory_order_relaxed);
  return Outcome{kStatusOk, copied};
}

VirtioBlk::Stats VirtioBlk::stats() const {
  auto get = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
  return Stats{get(counters_.reads),       get(counters_.writes),      get(counters_.flushes),
               get(counters_.get_ids),     get(counters_.unsupported), get(counters_.errors),
               get(counters_.bytes_read),  get(counters_.bytes_written)};
}

std::string describe(const VirtioBlk::Stats& stats) {
  return "virtio-blk: " + std::to_string(stats.reads) + " reads (" + human_bytes(stats.bytes_read) + "), " +
         std::to_string(stats.writes) + " writes (" + human_bytes(stats.bytes_written) + "), " +
         std::to_string(stats.flushes) + " flushes, " + std::to_string(stats.errors) + " errors, " +
         std::to_string(stats.unsupported) + " unsupported";
}

}  // namespace deploylab::hv
