#!/bin/sh
# /init of the deploylab guest initramfs (packed by scripts/assets/initramfs.sh). The kernel
# runs it as PID 1 with stdin/stdout on /dev/console (the kernel's own built-in initramfs
# provides that node before this archive is unpacked over it).
# Lab 04's hypervisor and tests/assets/assets_test.sh (under QEMU) wait for the lines below.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
hostname -F /etc/hostname
echo "deploylab-initramfs: init started"

# deploylab.poweroff on the kernel command line: a boot test, not a session.
case " $(cat /proc/cmdline) " in
  *" deploylab.poweroff "*)
    echo "deploylab-initramfs: powering off"
    poweroff -f
    ;;
esac

# An interactive shell with the console as its controlling terminal (so ^C works). It is not
# exec'd: PID 1 must not exit, or the kernel panics.
setsid cttyhack sh
echo "deploylab-initramfs: shell exited, powering off"
poweroff -f
