#!/bin/sh
# /init of the deploylab guest initramfs (packed by scripts/assets/initramfs.sh). The kernel
# runs it as PID 1 with stdin/stdout on /dev/console (the kernel's own built-in initramfs
# provides that node before this archive is unpacked over it).
# Lab 04's hypervisor, bench/boot and tests/assets/assets_test.sh (under QEMU) wait for the
# "deploylab-initramfs:" lines below; keep their wording.
# Kernel command line words it understands:
#   deploylab.boot_timer=ADDR  write 1 to guest-physical ADDR first thing (minivmm's boot timer
#                              device: the VMM notes the moment userspace started)
#   deploylab.poweroff         power off after the checks instead of starting a shell
#   deploylab.run=PATH         once the disk is mounted, run `sh /mnt/PATH` (a script on the
#                              guest's disk: bench/vm's workloads), then power off
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

CMDLINE=" $(cat /proc/cmdline) "
for word in $CMDLINE; do
  case $word in
    deploylab.boot_timer=*) devmem "${word#*=}" 32 1 ;;
  esac
done

hostname -F /etc/hostname
echo "deploylab-initramfs: init started"

# The modules for a virtio-mmio ext4 disk, dependencies first (see initramfs.sh). A module that
# will not load costs one line, not the boot: the shell is still useful without a disk.
while read -r module; do
  error=$(insmod "/modules/$module" 2>&1) ||
    echo "deploylab-initramfs: could not load module $module: $error"
done </modules/load-order

# has_virtio_disk: true when a virtio device says it is a block device (virtio device ID 2).
# Checked first so that a machine without a disk does not wait for one.
has_virtio_disk() {
  grep -qx 0x0002 /sys/bus/virtio/devices/*/device 2>/dev/null
}

# mount_disk: /dev/vda at /mnt, waiting up to a second for its node to appear.
mount_disk() {
  has_virtio_disk || { echo "deploylab-initramfs: no virtio disk"; return; }
  tries=0
  while [ ! -b /dev/vda ] && [ $tries -lt 20 ]; do sleep 0.05; tries=$((tries + 1)); done
  [ -b /dev/vda ] || { echo "deploylab-initramfs: virtio disk found but no /dev/vda"; return; }
  error=$(mount -t ext4 /dev/vda /mnt 2>&1) ||
    { echo "deploylab-initramfs: mounting /dev/vda at /mnt failed: $error"; return; }
  echo "deploylab-initramfs: disk /dev/vda mounted at /mnt"
}

# power_off: the disk's writes reach it before the machine stops.
power_off() {
  sync
  if grep -q ' /mnt ' /proc/mounts; then umount /mnt; fi
  poweroff -f
}

mount_disk

# deploylab.run=PATH on the kernel command line: a script from the disk, then power off.
for word in $CMDLINE; do
  case $word in
    deploylab.run=*)
      sh "/mnt/${word#*=}"
      echo "deploylab-initramfs: powering off"
      power_off
      ;;
  esac
done

# deploylab.poweroff on the kernel command line: a boot test, not a session.
case $CMDLINE in
  *" deploylab.poweroff "*)
    echo "deploylab-initramfs: powering off"
    power_off
    ;;
esac

# An interactive shell with the console as its controlling terminal (so ^C works). It is not
# exec'd: PID 1 must not exit, or the kernel panics.
setsid cttyhack sh
echo "deploylab-initramfs: shell exited, powering off"
power_off
