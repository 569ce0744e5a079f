// hypervisor/devices/virtio_mmio.cpp: the virtio-mmio transport's registers, status machine and
// queue notifications (see virtio_mmio.h).
#include "hypervisor/devices/virtio_mmio.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

namespace deploylab::hv {

using namespace virtio;

VirtioMmio::VirtioMmio(std::uint64_t base, const GuestMemory& memory,
                       std::shared_ptr<VirtioDevice> device, IrqLine irq)
    : base_(base), memory_(memory), device_(std::move(device)), irq_(std::move(irq)),
      queues_(device_->queue_count()) {}

std::string VirtioMmio::name() const { return "virtio-mmio " + device_->name() + " at " + hex(base_); }

std::uint32_t VirtioMmio::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::uint32_t VirtioMmio::interrupt_status() const {
  std::lock_guard lock(mutex_);
  return interrupt_status_;
}

std::uint64_t VirtioMmio::driver_features() const {
  std::lock_guard lock(mutex_);
  return driver_features_;
}

std::optional<StopRequest> VirtioMmio::access(IoAccess& access) {
  std::lock_guard lock(mutex_);
  std::uint64_t offset = access.address - base_;
  bool is_read = access.kind == AccessKind::read;
  if (offset >= kConfig) {
    if (is_read) read_config(offset - kConfig, access.data);
    else spdlog::warn("{}: ignored a write to configuration offset {:#x}: nothing there is writable", name(), offset - kConfig);
    return std::nullopt;
  }
  if (access.data.size() != 4 || offset % 4 != 0) {
    spdlog::warn("{}: ignored a {}-byte {} at register {:#x}: the registers take aligned 32-bit accesses only",
                 name(), access.data.size(), is_read ? "read" : "write", offset);
    if (is_read) std::fill(access.data.begin(), access.data.end(), 0);
    return std::nullopt;
  }
  std::uint32_t value = 0;
  if (is_read) {
    value = read_register(offset);
    std::memcpy(access.data.data(), &value, sizeof value);
    return std::nullopt;
  }
  std::memcpy(&value, access.data.data(), sizeof value);
  write_register(offset, value);
  return std::nullopt;
}

std::uint64_t VirtioMmio::offered_features() const { return device_->features() | kFeatureVersion1; }

VirtioMmio::Queue* VirtioMmio::selected_queue() {
  if (queue_sel_ >= queues_.size()) {
    spdlog::warn("{}: QueueSel is {}, but the device has {} queue(s)", name(), queue_sel_, queues_.size());
    return nullptr;
  }
  return &queues_[queue_sel_];
}

std::uint32_t VirtioMmio::read_register(std::uint64_t offset) {
  switch (offset) {
    case kMagicValue: return kMagic;
    case kVersion: return kMmioVersion;
    case kDeviceId: return device_->device_id();
    case kVendorId: return kVendor;
    case kDeviceFeatures:
      if (device_features_sel_ > 1) return 0;
      return static_cast<std::uint32_t>(offered_features() >> (32 * device_features_sel_));
    case kQueueNumMax: return queue_sel_ < queues_.size() ? virtq::kMaxSize : 0;  // 0: no such queue
    case kQueueReady: return queue_sel_ < queues_.size() && queues_[queue_sel_].ring ? 1 : 0;
    case kInterruptStatus: return interrupt_status_;
    case kStatus: return status_;
    case kConfigGeneration: return config_generation_;
  }
  // Shared memory regions (SHMLen/SHMBase): all ones means "no such region"; we have none.
  if (offset >= kShmLenLow && offset <= kShmBaseHigh) return 0xffffffff;
  spdlog::warn("{}: read of register {:#x}, which is write-only or unknown; returning 0", name(), offset);
  return 0;
}

void VirtioMmio::write_register(std::uint64_t offset, std::uint32_t value) {
  switch (offset) {
    case kDeviceFeaturesSel: device_features_sel_ = value; return;
    case kDriverFeaturesSel: driver_features_sel_ = value; return;
    case kDriverFeatures:
      if (status_ & kStatusFeaturesOk) {
        spdlog::warn("{}: DriverFeatures written after FEATURES_OK; ignored", name());
        return;
      }
      if (driver_features_sel_ > 1) return;
      driver_features_ &= ~(0xffffffffull << (32 * driver_features_sel_));
      driver_features_ |= std::uint64_t{value} << (32 * driver_features_sel_);
      return;
    case kQueueSel: queue_sel_ = value; return;
    case kQueueReady: set_queue_ready(value); return;
    case kQueueNotify: notify(value); return;
    case kInterruptAck:
      interrupt_status_ &= ~value;
      update_irq();
      return;
    case kStatus: write_status(value); return;
    case kShmSel: return;
  }
  if (offset == kQueueNum || (offset >= kQueueDescLow && offset <= kQueueDeviceHigh)) {
    write_queue_register(offset, value);
    return;
  }
  spdlog::warn("{}: write of {:#x} to register {:#x}, which is read-only or unknown; ignored", name(), value, offset);
}

void VirtioMmio::write_queue_register(std::uint64_t offset, std::uint32_t value) {
  Queue* queue = selected_queue();
  if (queue == nullptr) return;
  if (queue->ring) {
    spdlog::warn("{}: queue {} is ready; its setup can change only after QueueReady = 0", name(), queue_sel_);
    return;
  }
  auto set_half = [&](std::uint64_t& address, bool high) {
    int shift = high ? 32 : 0;
    address = (address & ~(0xffffffffull << shift)) | (std::uint64_t{value} << shift);
  };
  switch (offset) {
    case kQueueNum: queue->num = value > 0xffff ? 0xffff : static_cast<std::uint16_t>(value); return;
    case kQueueDescLow: set_half(queue->layout.desc, false); return;
    case kQueueDescHigh: set_half(queue->layout.desc, true); return;
    case kQueueDriverLow: set_half(queue->layout.driver, false); return;
    case kQueueDriverHigh: set_half(queue->layout.driver, true); return;
    case kQueueDeviceLow: set_half(queue->layout.device, false); return;
    case kQueueDeviceHigh: set_half(queue->layout.device, true); return;
  }
  spdlog::warn("{}: write to unknown queue register {:#x}; ignored", name(), offset);
}

void VirtioMmio::set_queue_ready(std::uint32_t value) {
  Queue* queue = selected_queue();
  if (queue == nullptr) return;
  if (value == 0) {  // the driver takes the queue back (Linux does this when it deletes a queue)
    queue->ring.reset();
    return;
  }
  if (queue->ring) return;
  if (queue->num > virtq::kMaxSize) {
    device_error("queue " + std::to_string(queue_sel_) + ": QueueNum " + std::to_string(queue->num) +
                 " is larger than QueueNumMax " + std::to_string(virtq::kMaxSize));
    return;
  }
  queue->layout.size = queue->num;
  auto ring = Virtqueue::create(memory_, queue->layout);
  if (!ring) {
    device_error("queue " + std::to_string(queue_sel_) + ": " + ring.error().message());
    return;
  }
  queue->ring.emplace(std::move(ring).value());
}

void VirtioMmio::write_status(std::uint32_t value) {
  if (value == 0) {
    reset();
    return;
  }
  std::uint32_t added = value & ~status_;
  if (added & kStatusFeaturesOk) {
    std::uint64_t refused = driver_features_ & ~offered_features();
    if (refused != 0 || !(driver_features_ & kFeatureVersion1)) {
      spdlog::warn("{}: the driver accepted features {:#x}, offered are {:#x} (VERSION_1 is required); "
                   "FEATURES_OK stays clear",
                   name(), driver_features_, offered_features());
      value &= ~kStatusFeaturesOk;
    }
  }
  if (added & kStatusFailed) spdlog::warn("{}: the driver gave up on the device (status FAILED)", name());
  // DEVICE_NEEDS_RESET is ours to set; only a reset clears it.
  status_ = value | (status_ & kStatusNeedsReset);
  if (!(added & kStatusDriverOk)) return;
  if (!(status_ & kStatusFeaturesOk)) spdlog::warn("{}: DRIVER_OK without FEATURES_OK", name());
  // Serve anything the driver queued (and perhaps notified) before it set DRIVER_OK.
  for (std::size_t index = 0; index < queues_.size(); ++index) {
    if (queues_[index].ring) process(index);
  }
}

void VirtioMmio::notify(std::uint32_t index) {
  if (index >= queues_.size()) {
    spdlog::warn("{}: QueueNotify names queue {}, but the device has {} queue(s)", name(), index, queues_.size());
    return;
  }
  if (!queues_[index].ring) {
    spdlog::warn("{}: QueueNotify for queue {}, which is not ready", name(), index);
    return;
  }
  if (status_ & (kStatusNeedsReset | kStatusFailed)) {
    spdlog::warn("{}: QueueNotify ignored: the device needs a reset or the driver failed", name());
    return;
  }
  if (!(status_ & kStatusDriverOk)) {
    // A device must not use buffers before DRIVER_OK; write_status() serves them then.
    spdlog::warn("{}: QueueNotify for queue {} before DRIVER_OK; served when DRIVER_OK is set", name(), index);
    return;
  }
  process(index);
}

void VirtioMmio::process(std::size_t index) {
  if (status_ & (kStatusNeedsReset | kStatusFailed)) return;
  Virtqueue& queue = *queues_[index].ring;
  Result<void> result = device_->process_queue(index, queue);
  // Even after an error, requests completed before it are in the used ring: tell the driver.
  if (queue.should_interrupt()) {
    interrupt_status_ |= kInterruptUsedBuffer;
    update_irq();
  }
  if (!result) device_error("queue " + std::to_string(index) + ": " + result.error().message());
}

void VirtioMmio::device_error(const std::string& what) {
  spdlog::error("{}: {}; setting DEVICE_NEEDS_RESET", name(), what);
  status_ |= kStatusNeedsReset;
  // The spec asks for a configuration-change interrupt so a running driver notices.
  if (status_ & kStatusDriverOk) {
    interrupt_status_ |= kInterruptConfigChange;
    update_irq();
  }
}

void VirtioMmio::reset() {
  device_->reset();
  status_ = 0;
  interrupt_status_ = 0;
  device_features_sel_ = driver_features_sel_ = 0;
  driver_features_ = 0;
  queue_sel_ = 0;
  queues_.assign(device_->queue_count(), Queue{});
  update_irq();
}

void VirtioMmio::read_config(std::uint64_t offset, std::span<std::uint8_t> data) const {
  // Drivers read config fields with accesses of the field's width (1, 2 or 4 bytes; a 64-bit
  // field as two 32-bit reads). Bytes past the end of the device's config read as 0.
  std::fill(data.begin(), data.end(), 0);
  auto config = device_->config();
  if (offset >= config.size()) return;
  std::size_t count = std::min<std::size_t>(data.size(), config.size() - offset);
  std::memcpy(data.data(), config.data() + offset, count);
}

// --- the driver's side (tests and fuzzing) -------------------------------------------------------

std::uint32_t VirtioMmioDriver::read(std::uint64_t offset) {
  std::uint32_t value = 0;
  IoAccess access{Space::mmio, AccessKind::read, base_ + offset,
                  std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&value), sizeof value)};
  device_.access(access);
  return value;
}

void VirtioMmioDriver::write(std::uint64_t offset, std::uint32_t value) {
  IoAccess access{Space::mmio, AccessKind::write, base_ + offset,
                  std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(&value), sizeof value)};
  device_.access(access);
}

std::uint64_t VirtioMmioDriver::device_features() {
  write(kDeviceFeaturesSel, 1);
  std::uint64_t high = read(kDeviceFeatures);
  write(kDeviceFeaturesSel, 0);
  return (high << 32) | read(kDeviceFeatures);
}

Result<std::uint64_t> VirtioMmioDriver::negotiate(std::uint64_t wanted) {
  if (read(kMagicValue) != kMagic || read(kVersion) != kMmioVersion) {
    return Error::invalid("no virtio-mmio version 2 device", "MMIO " + hex(base_));
  }
  write(kStatus, 0);
  write(kStatus, kStatusAcknowledge);
  write(kStatus, kStatusAcknowledge | kStatusDriver);
  std::uint64_t accepted = device_features() & wanted;
  write(kDriverFeaturesSel, 1);
  write(kDriverFeatures, static_cast<std::uint32_t>(accepted >> 32));
  write(kDriverFeaturesSel, 0);
  write(kDriverFeatures, static_cast<std::uint32_t>(accepted));
  write(kStatus, read(kStatus) | kStatusFeaturesOk);
  if (!(read(kStatus) & kStatusFeaturesOk)) {
    return Error::invalid("the device refused features " + hex(accepted), "MMIO " + hex(base_));
  }
  return accepted;
}

Result<void> VirtioMmioDriver::setup_queue(std::uint32_t index, const QueueLayout& layout) {
  write(kQueueSel, index);
  if (read(kQueueReady) != 0) return Error::invalid("queue " + std::to_string(index) + " is already ready");
  std::uint32_t max = read(kQueueNumMax);
  if (max == 0 || layout.size > max) {
    return Error::invalid("queue " + std::to_string(index) + " holds " + std::to_string(max) +
                          " entries, not " + std::to_string(layout.size));
  }
  write(kQueueNum, layout.size);
  write(kQueueDescLow, static_cast<std::uint32_t>(layout.desc));
  write(kQueueDescHigh, static_cast<std::uint32_t>(layout.desc >> 32));
  write(kQueueDriverLow, static_cast<std::uint32_t>(layout.driver));
  write(kQueueDriverHigh, static_cast<std::uint32_t>(layout.driver >> 32));
  write(kQueueDeviceLow, static_cast<std::uint32_t>(layout.device));
  write(kQueueDeviceHigh, static_cast<std::uint32_t>(layout.device >> 32));
  write(kQueueReady, 1);
  return {};
}

std::uint32_t VirtioMmioDriver::acknowledge_interrupt() {
  std::uint32_t status = read(kInterruptStatus);
  write(kInterruptAck, status);
  return status;
}

}  // namespace deploylab::hv
