// hypervisor/devices/virtio_mmio.h: VirtioMmio, the virtio-mmio transport (version 2, "modern"),
// and VirtioDevice, what a virtio device (virtio_blk.h) gives the transport (lab 04).
//
// Part of devices/. Virtio splits a paravirtual device in two: the transport is how the guest
// finds the device and sets it up (PCI, or here a page of MMIO registers), and the device type
// (block, net, console) is what travels over the queues. MMIO has no discovery of its own: the
// firmware tables must say where the page and its interrupt are. Linux reads that from an ACPI
// device with _HID "LNRO0005" or a device-tree node "virtio,mmio", or, in kernels built with
// CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES (Debian's 6.1 is not), from `virtio_mmio.device=4K@ADDR:IRQ`
// on the command line. VirtioMmio is the transport; the device
// logic sits behind the small VirtioDevice interface, so a virtio-net could reuse it.
//
// The registers (32-bit little-endian, at offsets from the device's base address):
//   0x000 MagicValue "virt"   0x004 Version (2)          0x008 DeviceID      0x00c VendorID
//   0x010 DeviceFeatures      0x014 DeviceFeaturesSel    0x020 DriverFeatures 0x024 DriverFeaturesSel
//   0x030 QueueSel            0x034 QueueNumMax          0x038 QueueNum      0x044 QueueReady
//   0x050 QueueNotify         0x060 InterruptStatus      0x064 InterruptACK  0x070 Status
//   0x080/0x084 QueueDesc     0x090/0x094 QueueDriver    0x0a0/0x0a4 QueueDevice (low/high)
//   0x0fc ConfigGeneration    0x100... the device-specific configuration space
//
// How a driver brings the device up (Linux's virtio_mmio + virtio core, in this order):
//   reset (Status = 0); Status |= ACKNOWLEDGE, DRIVER; read DeviceFeatures (Sel 0 and 1); write
//   the accepted subset to DriverFeatures; Status |= FEATURES_OK and read it back (we clear it if
//   the subset is not acceptable); for each queue: QueueSel, read QueueNumMax, write QueueNum and
//   the three addresses, QueueReady = 1; Status |= DRIVER_OK. Then: fill a queue, write its index
//   to QueueNotify; we answer with an interrupt (InterruptStatus bit 0), the driver reads
//   InterruptStatus, writes it to InterruptACK and collects the used buffers.
//
// Requests are handled synchronously: the vCPU that writes QueueNotify runs the device's work
// (for virtio-blk a pread/pwrite) before it returns to the guest. That is simple and easy to
// follow, but the vCPU stalls for the length of the I/O. Real VMMs register an ioeventfd for
// QueueNotify (KVM signals an eventfd without even leaving the kernel) and let a worker thread
// serve the queue and raise the interrupt through an irqfd, so the vCPU runs on meanwhile.
//
// A driver that misbehaves (notify before the queue is ready, a bad queue index, a 64-bit access
// to a 32-bit register, a broken ring) gets a log line and no crash; a broken ring sets
// DEVICE_NEEDS_RESET and stops the device until the driver resets it.
//
// Thread safety: every vCPU thread may access the registers. The device bus holds one lock for
// all accesses today, but VirtioMmio takes its own mutex too, so it stays correct if the bus
// drops to per-device locking or a worker thread starts serving the queues.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "hypervisor/devices/device.h"
#include "hypervisor/devices/irq_line.h"
#include "hypervisor/devices/virtqueue.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

namespace virtio {
// Register offsets (virtio 1.x, "MMIO Device Register Layout").
inline constexpr std::uint64_t kMagicValue = 0x000, kVersion = 0x004, kDeviceId = 0x008,
                               kVendorId = 0x00c, kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014,
                               kDriverFeatures = 0x020, kDriverFeaturesSel = 0x024, kQueueSel = 0x030,
                               kQueueNumMax = 0x034, kQueueNum = 0x038, kQueueReady = 0x044,
                               kQueueNotify = 0x050, kInterruptStatus = 0x060, kInterruptAck = 0x064,
                               kStatus = 0x070, kQueueDescLow = 0x080, kQueueDescHigh = 0x084,
                               kQueueDriverLow = 0x090, kQueueDriverHigh = 0x094,
                               kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4, kShmSel = 0x0ac,
                               kShmLenLow = 0x0b0, kShmBaseHigh = 0x0bc, kConfigGeneration = 0x0fc,
                               kConfig = 0x100;
inline constexpr std::uint32_t kMagic = 0x74726976;  // "virt" in little-endian ASCII
inline constexpr std::uint32_t kMmioVersion = 2;     // modern; 1 was the legacy layout
inline constexpr std::uint32_t kVendor = 0x4c424c44; // "DLBL": any value; drivers ignore it

// Device status bits (the Status register).
inline constexpr std::uint32_t kStatusAcknowledge = 1, kStatusDriver = 2, kStatusDriverOk = 4,
                               kStatusFeaturesOk = 8, kStatusNeedsReset = 64, kStatusFailed = 128;
// InterruptStatus bits.
inline constexpr std::uint32_t kInterruptUsedBuffer = 1, kInterruptConfigChange = 2;
// Transport feature bits every device offers or refuses.
inline constexpr std::uint64_t kFeatureVersion1 = 1ull << 32;  // VIRTIO_F_VERSION_1: a modern device
}  // namespace virtio

// What a device type tells the transport. Called with the transport's lock held, from whichever
// vCPU thread touched the registers, so a device needs no lock of its own for these calls.
class VirtioDevice {
 public:
  virtual ~VirtioDevice() = default;
  virtual std::string name() const = 0;
  // The virtio device ID (2 = block, 1 = net, 3 = console).
  virtual std::uint32_t device_id() const = 0;
  // The device-specific feature bits offered; the transport adds VIRTIO_F_VERSION_1.
  virtual std::uint64_t features() const = 0;
  // The device-specific configuration space, little-endian, as the driver reads it from 0x100.
  virtual std::span<const std::uint8_t> config() const = 0;
  virtual std::size_t queue_count() const = 0;
  // The driver notified queue `index`: pop every available chain, serve it, push it back. An
  // error means the ring is broken (the transport sets DEVICE_NEEDS_RESET); a failed request
  // (an I/O error) is not an error here but a status the device writes into the request.
  virtual Result<void> process_queue(std::size_t index, Virtqueue& queue) = 0;
  // The driver reset the device (Status = 0): forget anything negotiated.
  virtual void reset() {}
};

class VirtioMmio : public Device {
 public:
  // `base`: the guest-physical address claimed for the device's page. `memory` must outlive the
  // transport. `irq` is the device's interrupt line; its level is (InterruptStatus != 0).
  VirtioMmio(std::uint64_t base, const GuestMemory& memory, std::shared_ptr<VirtioDevice> device,
             IrqLine irq);

  std::string name() const override;
  std::optional<StopRequest> access(IoAccess& access) override;

  // For tests and the VMM's report.
  std::uint32_t status() const;
  std::uint32_t interrupt_status() const;
  std::uint64_t driver_features() const;

 private:
  // What the driver told us about one queue. `ring` exists while QueueReady is 1.
  struct Queue {
    std::uint16_t num = 0;
    QueueLayout layout;
    std::optional<Virtqueue> ring;
  };

  std::uint32_t read_register(std::uint64_t offset);
  void write_register(std::uint64_t offset, std::uint32_t value);
  void read_config(std::uint64_t offset, std::span<std::uint8_t> data) const;
  void write_queue_register(std::uint64_t offset, std::uint32_t value);
  void write_status(std::uint32_t value);
  void set_queue_ready(std::uint32_t value);
  void notify(std::uint32_t index);
  void process(std::size_t index);
  void device_error(const std::string& what);
  void reset();
  Queue* selected_queue();
  std::uint64_t offered_features() const;
  void update_irq() { irq_.set(interrupt_status_ != 0); }

  const std::uint64_t base_;
  const GuestMemory& memory_;
  const std::shared_ptr<VirtioDevice> device_;

  mutable std::mutex mutex_;  // guards everything below
  IrqLine irq_;
  std::uint32_t status_ = 0;
  std::uint32_t interrupt_status_ = 0;
  std::uint32_t device_features_sel_ = 0, driver_features_sel_ = 0;
  std::uint64_t driver_features_ = 0;
  std::uint32_t queue_sel_ = 0;
  std::uint32_t config_generation_ = 0;
  std::vector<Queue> queues_;
};

// The guest driver's side of the registers, in the order Linux's virtio_mmio and virtio core use
// them (see the top of this file). Tests and the fuzzer play the guest with it; it goes through
// Device::access() exactly as a vCPU's MMIO exits do.
class VirtioMmioDriver {
 public:
  VirtioMmioDriver(Device& device, std::uint64_t base) : device_(device), base_(base) {}

  std::uint32_t read(std::uint64_t offset);
  void write(std::uint64_t offset, std::uint32_t value);
  std::uint64_t device_features();

  // Checks the magic value and version, resets, sets ACKNOWLEDGE and DRIVER, accepts
  // `wanted & offered` and sets FEATURES_OK, failing if the device clears it. Returns the features.
  Result<std::uint64_t> negotiate(std::uint64_t wanted);
  // Selects queue `index`, checks QueueNumMax, writes size and addresses, sets QueueReady.
  Result<void> setup_queue(std::uint32_t index, const QueueLayout& layout);
  void driver_ok() { write(virtio::kStatus, read(virtio::kStatus) | virtio::kStatusDriverOk); }
  void notify(std::uint32_t queue) { write(virtio::kQueueNotify, queue); }
  // What the interrupt handler does: read InterruptStatus, acknowledge it, return it.
  std::uint32_t acknowledge_interrupt();

 private:
  Device& device_;
  std::uint64_t base_;
};

}  // namespace deploylab::hv
