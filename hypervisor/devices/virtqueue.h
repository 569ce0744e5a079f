// hypervisor/devices/virtqueue.h: Virtqueue, the device's side of a virtio split virtqueue (lab 04),
// and VirtqueueDriver, the guest's side, with which tests and the fuzzer play the guest.
//
// Part of devices/. A virtqueue is how a virtio driver in the guest and a device in the VMM pass
// buffers without an exit per byte: three tables in guest RAM that both sides read and write.
//
//   descriptor table (16 bytes each)   available ring (driver area)    used ring (device area)
//   +------+-----+-------+------+      flags | idx | ring[size]       flags | idx | {id, len}[size]
//   | addr | len | flags | next |        written by the driver only      written by the device only
//   +------+-----+-------+------+
//
// The driver puts a request in descriptors chained by `next` (header, data, status byte: the
// device may read the first ones and write the last ones, WRITE flag), writes the chain's first
// index into avail.ring[avail.idx % size], bumps avail.idx and notifies the device (an MMIO write,
// virtio_mmio.h). The device pops chains up to avail.idx, does the work, writes {head, bytes
// written} into used.ring[used.idx % size], bumps used.idx and interrupts. Both indexes run freely
// and wrap at 65536, which is why the size must be a power of two. Everything is little-endian.
//
// The guest is untrusted: a chain may loop, point outside RAM, or be longer than the queue. The
// device copies each descriptor once and checks it before use, and reports a broken ring as an
// Error (the transport then sets DEVICE_NEEDS_RESET), never reading outside guest RAM.
//
// Memory ordering: the driver runs on another CPU (a vCPU thread) and writes the rings while we
// read them. Compilers and CPUs may reorder plain loads and stores, so the order matters where
// one side publishes data with an index:
//   - pop(): load avail.idx with ACQUIRE before reading the ring entries and descriptors. The
//     driver wrote them before a write barrier and then avail.idx; acquire guarantees we see at
//     least what was written before the index we read (the pair of a release/acquire handshake).
//   - push(): write the used element, then store used.idx with RELEASE, so the driver, which
//     reads used.idx and then the element, never sees the index before the element.
//   - should_interrupt(): a full fence between our used.idx store and reading avail.flags, because
//     the driver does the mirror (writes flags, then reads used.idx); without it both sides could
//     read the old value and an interrupt would be lost. Acquire/release cannot order a store
//     before a later load; only a full (seq_cst) fence does.
//
// Not offered (so not implemented): indirect descriptors (VIRTIO_F_INDIRECT_DESC) and event
// indexes (VIRTIO_F_EVENT_IDX); a chain with the INDIRECT flag is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// The layout constants of the split ring (virtio 1.x, "Split Virtqueues").
namespace virtq {
inline constexpr std::uint16_t kDescNext = 1;        // VIRTQ_DESC_F_NEXT: the chain goes on at `next`
inline constexpr std::uint16_t kDescWrite = 2;       // VIRTQ_DESC_F_WRITE: the device writes this buffer
inline constexpr std::uint16_t kDescIndirect = 4;    // VIRTQ_DESC_F_INDIRECT: not offered
inline constexpr std::uint16_t kAvailNoInterrupt = 1;  // VIRTQ_AVAIL_F_NO_INTERRUPT in avail.flags
inline constexpr std::uint64_t kDescSize = 16;
inline constexpr std::uint64_t kUsedElemSize = 8;
inline constexpr std::uint64_t kDescAlign = 16, kAvailAlign = 2, kUsedAlign = 4;
// The largest queue we offer (QueueNumMax). Linux takes the largest offered, up to 32768.
inline constexpr std::uint16_t kMaxSize = 256;

inline constexpr std::uint64_t desc_table_bytes(std::uint16_t size) { return kDescSize * size; }
inline constexpr std::uint64_t avail_ring_bytes(std::uint16_t size) { return 6 + 2ull * size; }
inline constexpr std::uint64_t used_ring_bytes(std::uint16_t size) { return 6 + kUsedElemSize * size; }
}  // namespace virtq

// Where a queue lives in guest RAM, as the driver told the transport.
struct QueueLayout {
  std::uint16_t size = 0;       // number of descriptors (QueueNum)
  std::uint64_t desc = 0;       // descriptor table (QueueDesc)
  std::uint64_t driver = 0;     // available ring (QueueDriver)
  std::uint64_t device = 0;     // used ring (QueueDevice)
};

// One popped request: the chain's head index and its buffers, as host views of guest RAM.
struct DescriptorChain {
  std::uint16_t head = 0;
  std::vector<std::span<std::uint8_t>> readable;  // driver -> device, in chain order
  std::vector<std::span<std::uint8_t>> writable;  // device -> driver, after all readable ones
};

// Helpers to treat a list of buffers as one byte stream (the spec forbids a device to assume how
// the driver split a request into descriptors).
std::uint64_t total_bytes(const std::vector<std::span<std::uint8_t>>& buffers);
// Copies up to dest.size() bytes starting at stream offset `offset`; returns how many it copied.
std::uint64_t gather(const std::vector<std::span<std::uint8_t>>& buffers, std::uint64_t offset,
                     std::span<std::uint8_t> dest);
// Copies `source` into the stream at `offset`, as far as the buffers reach; returns the count.
std::uint64_t scatter(const std::vector<std::span<std::uint8_t>>& buffers, std::uint64_t offset,
                      std::span<const std::uint8_t> source);
// The buffers covering stream bytes [offset, offset + length), clipped to the stream's end.
std::vector<std::span<std::uint8_t>> sub_buffers(const std::vector<std::span<std::uint8_t>>& buffers,
                                                 std::uint64_t offset, std::uint64_t length);

class Virtqueue {
 public:
  // Checks the layout (size a power of two up to kMaxSize, each part aligned and inside guest
  // RAM) and returns a queue that starts at index 0 on both rings, as after a reset. `memory`
  // must outlive the queue, and its regions must stay mapped.
  static Result<Virtqueue> create(const GuestMemory& memory, QueueLayout layout);

  std::uint16_t size() const { return layout_.size; }
  const QueueLayout& layout() const { return layout_; }

  // The next chain the driver made available, nothing when the device has caught up, or an
  // error when the ring is broken (a loop, a bad index, a buffer outside RAM ...): the queue does
  // not advance past a broken chain.
  Result<std::optional<DescriptorChain>> pop();

  // Returns chain `head` to the driver with `written` bytes written into its writable buffers.
  void push(std::uint16_t head, std::uint32_t written);

  // Whether the driver wants an interrupt for what was pushed since the last call: false when
  // nothing was pushed or when the driver set VIRTQ_AVAIL_F_NO_INTERRUPT.
  bool should_interrupt();

 private:
  Virtqueue(const GuestMemory& memory, QueueLayout layout, std::span<std::uint8_t> desc,
            std::span<std::uint8_t> avail, std::span<std::uint8_t> used)
      : memory_(&memory), layout_(layout), desc_(desc), avail_(avail), used_(used) {}
  Result<DescriptorChain> walk_chain(std::uint16_t head) const;

  const GuestMemory* memory_;
  QueueLayout layout_;
  // Host views of the three parts, checked once at creation.
  std::span<std::uint8_t> desc_, avail_, used_;
  std::uint16_t next_avail_ = 0;   // the next avail.ring slot to pop (free-running)
  std::uint16_t next_used_ = 0;    // our copy of used.idx (only we write it)
  bool pushed_ = false;            // pushed since the last should_interrupt()
};

// The driver's side of a split queue, as a guest's virtio_ring does it, for tests and the fuzzer:
// it lays the three parts out from `base`, hands out descriptors in order and reads used entries.
class VirtqueueDriver {
 public:
  struct Buffer {
    std::uint64_t address = 0;
    std::uint32_t length = 0;
    bool device_writes = false;
  };
  struct Used {
    std::uint32_t id = 0, length = 0;
  };

  // Places the table at `base` (16-aligned), the avail ring after it and the used ring after
  // that (4-aligned); zeroes all three.
  static Result<VirtqueueDriver> create(const GuestMemory& memory, std::uint64_t base,
                                        std::uint16_t size);
  const QueueLayout& layout() const { return layout_; }

  // Writes `buffers` as one chain into the next free descriptors and publishes its head;
  // returns the head index.
  Result<std::uint16_t> add_chain(const std::vector<Buffer>& buffers);
  // Writes one raw descriptor (tests use it to build broken chains).
  Result<void> write_descriptor(std::uint16_t index, std::uint64_t address, std::uint32_t length,
                                std::uint16_t flags, std::uint16_t next);
  // Puts `head` into the avail ring and bumps avail.idx (release order, like the real driver).
  Result<void> publish(std::uint16_t head);
  Result<void> set_avail_flags(std::uint16_t flags);

  // Used entries the device added since the last call.
  Result<std::vector<Used>> take_used();

 private:
  VirtqueueDriver(const GuestMemory& memory, QueueLayout layout) : memory_(&memory), layout_(layout) {}
  const GuestMemory* memory_;
  QueueLayout layout_;
  std::uint16_t next_desc_ = 0, avail_idx_ = 0, last_used_ = 0;
};

}  // namespace deploylab::hv
