// hypervisor/devices/virtio_mmio_fuzz.cpp: fuzz target for the virtio-mmio transport, the split
// virtqueue and the virtio-blk device behind them (virtio_mmio.h, virtqueue.h, virtio_blk.h). A
// hostile guest controls every register access and every byte of the rings and requests, so no
// sequence of them may crash the VMM, read or write outside guest RAM, or touch the disk image
// outside its sectors. Built and run as described in cmake/DeploylabFuzz.cmake.
//
// Each input gets a fresh device: guest RAM of two regions with a hole between them (so buffers
// can straddle a region's end), and a 16-sector disk image in a memfd (no file left behind).
// The input is a program, one op byte and its arguments per step (missing bytes read as 0):
//   op % 8 == 0  write register (offset u8 * 4, value u32)
//           1  read register (offset u8 * 4)
//           2  poke guest RAM (address u16, length u8 & 63, then the bytes)
//           3  bring the device up as Linux does, with a queue of 2^(u8 % 9) entries at u8 * 256
//           4  queue a block request: type, sector, up to 3 data buffers (address u16, length u16)
//           5  QueueNotify (queue u8 % 3)
//           6  a 1-, 2- or 8-byte access at offset u16 & 0x1ff (read or write)
//           7  write a raw descriptor (index, address, length, flags, next) and publish a head
// After every step it checks what must always hold:
//  - the interrupt line is high exactly when InterruptStatus is non-zero;
//  - FEATURES_OK is never set without VIRTIO_F_VERSION_1 among the driver's features;
//  - the disk image keeps its size: no write went past the last sector.
#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include "cmake/fuzz_check.h"
#include "hypervisor/devices/virtio_blk.h"

namespace {

using namespace deploylab::hv;
constexpr std::uint64_t kBase = 0xd0001000;
constexpr std::uint64_t kDiskBytes = 16 * 512;


// Reads the input front to back; past its end every value is 0.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return position_ >= size_; }
  template <class T>
  T take() {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      std::uint8_t byte = position_ < size_ ? data_[position_] : 0;
      ++position_;
      value = static_cast<T>(value | (static_cast<T>(byte) << (8 * i)));
    }
    return value;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, position_ = 0;
};

// The disk image: one memfd for the whole run (closed when the process exits), cut back to its
// size and so zeroed for each input. VirtioBlk opens it by path, as it opens any image.
struct Disk {
  int fd;
  std::string path;
};

const Disk& disk() {
  static const Disk disk = [] {
    int fd = ::memfd_create("virtio_mmio_fuzz_disk", 0);
    FUZZ_CHECK(fd >= 0);
    return Disk{fd, "/proc/self/fd/" + std::to_string(fd)};
  }();
  return disk;
}

struct Harness {
  Harness() {
    memory.add_region(0, 0x10000).value();
    memory.add_region(0x20000, 0x1000).value();
    blk = VirtioBlk::open(disk().path, DiskAccess::read_write).value();
    transport.emplace(kBase, memory, blk, IrqLine(5, [this](std::uint32_t, bool high) { line = high; }));
    driver.emplace(*transport, kBase);
  }

  void bring_up(Input& input) {
    auto size = static_cast<std::uint16_t>(1u << (input.take<std::uint8_t>() % 9));
    std::uint64_t base = std::uint64_t{input.take<std::uint8_t>()} * 256;
    std::uint64_t wanted = input.take<std::uint32_t>() | virtio::kFeatureVersion1;
    auto created = VirtqueueDriver::create(memory, base, size);
    if (!created) return;
    ring.emplace(std::move(created).value());
    if (!driver->negotiate(wanted)) return;
    if (!driver->setup_queue(0, ring->layout())) return;
    driver->driver_ok();
  }

  void add_request(Input& input) {
    auto type = input.take<std::uint8_t>();
    std::uint64_t sector = input.take<std::uint8_t>();
    auto header_at = std::uint64_t{input.take<std::uint16_t>()};
    unsigned buffers = input.take<std::uint8_t>() % 4u;
    if (!ring) return;
    std::uint8_t header[16] = {};
    header[0] = static_cast<std::uint8_t>(type % 10);
    header[8] = static_cast<std::uint8_t>(sector);
    if (!memory.write(header_at, header)) return;
    std::vector<VirtqueueDriver::Buffer> chain{{header_at, 16, false}};
    for (unsigned i = 0; i < buffers; ++i) {
      auto address = std::uint64_t{input.take<std::uint16_t>()};
      auto length = std::uint32_t{input.take<std::uint16_t>()} & 0x1fff;
      chain.push_back({address, length, type % 10 != virtio_blk::kTypeOut});
    }
    chain.push_back({header_at, 1, true});  // the status byte: the header's first byte
    (void)ring->add_chain(chain);
  }

  void odd_access(Input& input) {
    static constexpr std::size_t kWidths[] = {1, 2, 8};
    std::size_t width = kWidths[input.take<std::uint8_t>() % 3];
    auto offset = input.take<std::uint16_t>() & 0x1ff;
    auto kind = input.take<std::uint8_t>() & 1 ? AccessKind::write : AccessKind::read;
    std::uint64_t value = input.take<std::uint64_t>();
    IoAccess access{Space::mmio, kind, kBase + offset,
                    std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&value), width)};
    transport->access(access);
  }

  void raw_descriptor(Input& input) {
    auto index = input.take<std::uint8_t>();
    auto address = std::uint64_t{input.take<std::uint32_t>()} & 0x3ffff;
    auto length = input.take<std::uint32_t>() & 0x3ffff;
    auto flags = static_cast<std::uint16_t>(input.take<std::uint8_t>() & 7);
    auto next = input.take<std::uint8_t>();
    auto head = input.take<std::uint8_t>();
    if (!ring || index >= ring->layout().size) return;
    (void)ring->write_descriptor(index, address, length, flags, next);
    (void)ring->publish(head);
  }

  void step(Input& input) {
    switch (input.take<std::uint8_t>() % 8) {
      case 0: {
        std::uint64_t offset = std::uint64_t{input.take<std::uint8_t>()} * 4;
        driver->write(offset, input.take<std::uint32_t>());
        break;
      }
      case 1: driver->read(std::uint64_t{input.take<std::uint8_t>()} * 4); break;
      case 2: {
        auto address = std::uint64_t{input.take<std::uint16_t>()};
        std::uint8_t bytes[64];
        auto length = input.take<std::uint8_t>() & 63;
        for (int i = 0; i < length; ++i) bytes[i] = input.take<std::uint8_t>();
        (void)memory.write(address, std::span<const std::uint8_t>(bytes, length));
        break;
      }
      case 3: bring_up(input); break;
      case 4: add_request(input); break;
      case 5: driver->notify(input.take<std::uint8_t>() % 3); break;
      case 6: odd_access(input); break;
      case 7: raw_descriptor(input); break;
    }
  }

  void check() {
    FUZZ_CHECK(line == (transport->interrupt_status() != 0));
    if (transport->status() & virtio::kStatusFeaturesOk) {
      FUZZ_CHECK(transport->driver_features() & virtio::kFeatureVersion1);
    }
    FUZZ_CHECK(::lseek(disk().fd, 0, SEEK_END) == static_cast<off_t>(kDiskBytes));
  }

  GuestMemory memory;
  std::shared_ptr<VirtioBlk> blk;
  bool line = false;
  std::optional<VirtioMmio> transport;
  std::optional<VirtioMmioDriver> driver;
  std::optional<VirtqueueDriver> ring;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // a hostile guest makes the device log on every step
    return true;
  }();
  (void)quiet;
  FUZZ_CHECK(::ftruncate(disk().fd, 0) == 0 && ::ftruncate(disk().fd, kDiskBytes) == 0);

  Harness harness;
  Input input(data, size);
  for (int steps = 0; !input.done() && steps < 256; ++steps) {
    harness.step(input);
    harness.check();
  }
  return 0;
}
