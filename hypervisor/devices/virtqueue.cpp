// hypervisor/devices/virtqueue.cpp: the split virtqueue, device side and driver side (see
// virtqueue.h for the layout and the memory-ordering rules).
#include "hypervisor/devices/virtqueue.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <string>

namespace deploylab::hv {

// Virtio rings are little-endian; so is x86, so we read fields with memcpy and no byte swap.
static_assert(std::endian::native == std::endian::little, "virtqueue.cpp assumes a little-endian host");

namespace {

using virtq::kDescNext, virtq::kDescWrite, virtq::kDescIndirect, virtq::kDescSize,
    virtq::kUsedElemSize;

// Ring field offsets: avail = {flags, idx, ring[size]}, used = {flags, idx, {id, len}[size]}.
constexpr std::uint64_t kFlagsOffset = 0, kIdxOffset = 2, kRingOffset = 4;

// One descriptor as the guest wrote it. We copy it out of guest RAM once and only look at the
// copy, so a guest that rewrites the descriptor while we work cannot slip past a check.
struct RawDescriptor {
  std::uint64_t addr;
  std::uint32_t len;
  std::uint16_t flags;
  std::uint16_t next;
};
static_assert(sizeof(RawDescriptor) == kDescSize);

// An atomic view of a 16-bit ring index in guest RAM. The parts are aligned (create() checks),
// so every index is 2-byte aligned, as std::atomic_ref requires.
std::atomic_ref<std::uint16_t> index_at(std::span<std::uint8_t> part, std::uint64_t offset) {
  return std::atomic_ref<std::uint16_t>(*reinterpret_cast<std::uint16_t*>(part.data() + offset));
}

std::uint16_t read_u16(std::span<const std::uint8_t> part, std::uint64_t offset) {
  std::uint16_t value;
  std::memcpy(&value, part.data() + offset, sizeof value);
  return value;
}

void write_u16(std::span<std::uint8_t> part, std::uint64_t offset, std::uint16_t value) {
  std::memcpy(part.data() + offset, &value, sizeof value);
}

std::string queue_object(const QueueLayout& layout) {
  return "virtqueue (size " + std::to_string(layout.size) + ", descriptors at " + hex(layout.desc) + ")";
}

// Checks that one part of the queue is aligned and lies inside guest RAM; returns its host view.
Result<std::span<std::uint8_t>> map_part(const GuestMemory& memory, const char* part,
                                         std::uint64_t address, std::uint64_t bytes,
                                         std::uint64_t align) {
  if (address % align != 0) {
    return Error::invalid(std::string(part) + " at " + hex(address) + " is not " +
                              std::to_string(align) + "-byte aligned",
                          "", "the virtio spec requires this alignment of each part of a split queue");
  }
  return memory.slice(address, bytes).context(std::string("locating the ") + part);
}

// Checks one descriptor and adds its buffer to `chain`; `where` names it in errors.
Result<void> add_buffer(const GuestMemory& memory, DescriptorChain& chain, const RawDescriptor& d,
                        const std::string& where) {
  if (d.flags & kDescIndirect) {
    return Error::invalid(where + "INDIRECT flag set, but VIRTIO_F_INDIRECT_DESC was not offered");
  }
  auto buffer = DL_TRY(memory.slice(d.addr, d.len).context(where + "buffer"));
  if (!(d.flags & kDescWrite)) {
    if (!chain.writable.empty()) {
      return Error::invalid(where + "device-readable after a device-writable buffer", "",
                            "the spec puts all readable buffers of a chain before the writable ones");
    }
    chain.readable.push_back(buffer);
    return {};
  }
  chain.writable.push_back(buffer);
  return {};
}

}  // namespace

// --- buffer streams ------------------------------------------------------------------------------

std::uint64_t total_bytes(const std::vector<std::span<std::uint8_t>>& buffers) {
  std::uint64_t total = 0;
  for (const auto& buffer : buffers) total += buffer.size();
  return total;
}

std::vector<std::span<std::uint8_t>> sub_buffers(const std::vector<std::span<std::uint8_t>>& buffers,
                                                 std::uint64_t offset, std::uint64_t length) {
  std::vector<std::span<std::uint8_t>> result;
  for (const auto& buffer : buffers) {
    if (length == 0) break;
    if (offset >= buffer.size()) {
      offset -= buffer.size();
      continue;
    }
    std::uint64_t take = std::min<std::uint64_t>(buffer.size() - offset, length);
    result.push_back(buffer.subspan(offset, take));
    offset = 0;
    length -= take;
  }
  return result;
}

std::uint64_t gather(const std::vector<std::span<std::uint8_t>>& buffers, std::uint64_t offset,
                     std::span<std::uint8_t> dest) {
  std::uint64_t copied = 0;
  for (const auto& piece : sub_buffers(buffers, offset, dest.size())) {
    std::memcpy(dest.data() + copied, piece.data(), piece.size());
    copied += piece.size();
  }
  return copied;
}

std::uint64_t scatter(const std::vector<std::span<std::uint8_t>>& buffers, std::uint64_t offset,
                      std::span<const std::uint8_t> source) {
  std::uint64_t copied = 0;
  for (const auto& piece : sub_buffers(buffers, offset, source.size())) {
    std::memcpy(piece.data(), source.data() + copied, piece.size());
    copied += piece.size();
  }
  return copied;
}

// --- the device side -----------------------------------------------------------------------------

Result<Virtqueue> Virtqueue::create(const GuestMemory& memory, QueueLayout layout) {
  std::string object = queue_object(layout);
  if (layout.size == 0 || layout.size > virtq::kMaxSize || !std::has_single_bit(layout.size)) {
    return Error::invalid("queue size " + std::to_string(layout.size) + " is not a power of two from 1 to " +
                              std::to_string(virtq::kMaxSize),
                          object, "the driver must pick a size no larger than QueueNumMax");
  }
  auto desc = DL_TRY(map_part(memory, "descriptor table", layout.desc,
                              virtq::desc_table_bytes(layout.size), virtq::kDescAlign)
                         .context("setting up " + object));
  auto avail = DL_TRY(map_part(memory, "available ring", layout.driver,
                               virtq::avail_ring_bytes(layout.size), virtq::kAvailAlign)
                          .context("setting up " + object));
  auto used = DL_TRY(map_part(memory, "used ring", layout.device, virtq::used_ring_bytes(layout.size),
                              virtq::kUsedAlign)
                         .context("setting up " + object));
  return Virtqueue(memory, layout, desc, avail, used);
}

Result<std::optional<DescriptorChain>> Virtqueue::pop() {
  // ACQUIRE: everything the driver wrote before publishing this index (ring entries and
  // descriptors) is visible to the reads below.
  std::uint16_t avail_idx = index_at(avail_, kIdxOffset).load(std::memory_order_acquire);
  auto pending = static_cast<std::uint16_t>(avail_idx - next_avail_);  // wraps like the indexes
  if (pending == 0) return std::optional<DescriptorChain>{};
  if (pending > size()) {
    return Error::invalid("avail.idx " + std::to_string(avail_idx) + " is " + std::to_string(pending) +
                              " entries ahead of the device, more than the queue holds",
                          queue_object(layout_), "a driver never has more buffers out than the queue's size");
  }
  std::uint16_t head = read_u16(avail_, kRingOffset + 2ull * (next_avail_ % size()));
  DescriptorChain chain = DL_TRY(walk_chain(head));
  ++next_avail_;
  return std::optional<DescriptorChain>(std::move(chain));
}

Result<DescriptorChain> Virtqueue::walk_chain(std::uint16_t head) const {
  std::string object = "descriptor chain at " + std::to_string(head) + " of " + queue_object(layout_);
  if (head >= size()) {
    return Error::invalid("the available ring names descriptor " + std::to_string(head) +
                              ", past the end of the table",
                          object);
  }
  DescriptorChain chain{head, {}, {}};
  std::uint64_t total = 0;
  std::uint16_t index = head;
  for (std::uint32_t count = 1;; ++count) {
    RawDescriptor d;
    std::memcpy(&d, desc_.data() + kDescSize * index, sizeof d);
    std::string where = "descriptor " + std::to_string(index) + ": ";
    DL_TRY(add_buffer(*memory_, chain, d, where).context(object));
    total += d.len;
    if (total > std::numeric_limits<std::uint32_t>::max()) {
      return Error::invalid(where + "the chain holds more than 4 GiB", object);
    }
    if (!(d.flags & kDescNext)) return chain;
    if (d.next >= size()) {
      return Error::invalid(where + "next is " + std::to_string(d.next) + ", past the table", object);
    }
    // A chain can use each descriptor once, so one longer than the table must revisit one.
    if (count == size()) {
      return Error::invalid("the chain is longer than the queue's " + std::to_string(size()) +
                                " descriptors, so it loops",
                            object);
    }
    index = d.next;
  }
}

void Virtqueue::push(std::uint16_t head, std::uint32_t written) {
  std::uint64_t offset = kRingOffset + kUsedElemSize * (next_used_ % size());
  std::uint32_t element[2] = {head, written};  // struct virtq_used_elem {le32 id; le32 len;}
  std::memcpy(used_.data() + offset, element, sizeof element);
  ++next_used_;
  // RELEASE: the element above is visible to the driver before the index that covers it.
  index_at(used_, kIdxOffset).store(next_used_, std::memory_order_release);
  pushed_ = true;
}

bool Virtqueue::should_interrupt() {
  if (!pushed_) return false;
  pushed_ = false;
  // Store (used.idx) then load (avail.flags): only a full fence keeps that order (see the header).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  std::uint16_t flags = index_at(avail_, kFlagsOffset).load(std::memory_order_relaxed);
  return (flags & virtq::kAvailNoInterrupt) == 0;
}

// --- the driver side (tests and fuzzing) ---------------------------------------------------------

Result<VirtqueueDriver> VirtqueueDriver::create(const GuestMemory& memory, std::uint64_t base,
                                                std::uint16_t size) {
  QueueLayout layout{size, base, base + virtq::desc_table_bytes(size), 0};
  layout.device = (layout.driver + virtq::avail_ring_bytes(size) + 3) & ~std::uint64_t{3};
  std::uint64_t end = layout.device + virtq::used_ring_bytes(size);
  auto all = DL_TRY(memory.slice(base, end - base).context("placing the driver's queue"));
  std::fill(all.begin(), all.end(), 0);
  return VirtqueueDriver(memory, layout);
}

Result<void> VirtqueueDriver::write_descriptor(std::uint16_t index, std::uint64_t address,
                                               std::uint32_t length, std::uint16_t flags,
                                               std::uint16_t next) {
  RawDescriptor d{address, length, flags, next};
  auto bytes = std::as_bytes(std::span(&d, 1));
  return memory_->write(layout_.desc + kDescSize * index,
                        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

Result<std::uint16_t> VirtqueueDriver::add_chain(const std::vector<Buffer>& buffers) {
  auto head = static_cast<std::uint16_t>(next_desc_ % layout_.size);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    auto index = static_cast<std::uint16_t>((next_desc_ + i) % layout_.size);
    auto next = static_cast<std::uint16_t>((index + 1) % layout_.size);
    std::uint16_t flags = (buffers[i].device_writes ? kDescWrite : 0) |
                          (i + 1 < buffers.size() ? kDescNext : 0);
    DL_TRY(write_descriptor(index, buffers[i].address, buffers[i].length, flags, next));
  }
  next_desc_ = static_cast<std::uint16_t>(next_desc_ + buffers.size());
  DL_TRY(publish(head));
  return head;
}

Result<void> VirtqueueDriver::publish(std::uint16_t head) {
  auto avail = DL_TRY(memory_->slice(layout_.driver, virtq::avail_ring_bytes(layout_.size)));
  write_u16(avail, kRingOffset + 2ull * (avail_idx_ % layout_.size), head);
  ++avail_idx_;
  index_at(avail, kIdxOffset).store(avail_idx_, std::memory_order_release);
  return {};
}

Result<void> VirtqueueDriver::set_avail_flags(std::uint16_t flags) {
  return memory_->write_value<std::uint16_t>(layout_.driver + kFlagsOffset, flags);
}

Result<std::vector<VirtqueueDriver::Used>> VirtqueueDriver::take_used() {
  auto used = DL_TRY(memory_->slice(layout_.device, virtq::used_ring_bytes(layout_.size)));
  std::uint16_t used_idx = index_at(used, kIdxOffset).load(std::memory_order_acquire);
  std::vector<Used> result;
  for (; last_used_ != used_idx; ++last_used_) {
    Used element;
    std::memcpy(&element, used.data() + kRingOffset + kUsedElemSize * (last_used_ % layout_.size),
                sizeof element);
    result.push_back(element);
  }
  return result;
}

}  // namespace deploylab::hv
