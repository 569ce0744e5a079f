#!/bin/sh
# hypervisor/vmhost/guest_init.sh: /init of the vmhost test host (packed into
# BUILD/assets/vmhost-initramfs.cpio.gz by scripts/assets/vmhost-initramfs.sh). The `vmhost`
# tool (hypervisor/vmhost/) boots the Debian kernel under QEMU with an emulated AMD-V and this
# init then:
#   1. loads the modules the test host needs (virtio, 9p, overlay, kvm-amd, tun) in dependency order;
#   2. mounts the host's / read-only over 9p (tag hostroot) under a tmpfs overlay, so every host
#      tool and library is there and writes stay in the guest; mounts the project's build
#      directory read-write over 9p (tag build) at the same path, so results come back;
#   3. mounts the job directory (tag job) where vmhost left run.sh: the command, its working
#      directory and environment;
#   4. runs run.sh chrooted into that root with stdin/stdout/stderr on the second serial port
#      (ttyS1), which vmhost connects to its own stdio; the kernel console is ttyS0 (a log file);
#   5. writes run.sh's exit status to the job directory, then powers off.
# All along, a heartbeat in the job directory tells vmhost the test host is alive (runner.cpp).
# A setup failure is written to job/init-error (when the job directory is mounted) and to the
# console, and the guest powers off: vmhost reports it instead of a missing exit status.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "vmhost-init: $*"; }
fail() {
  log "error: $*"
  if mountpoint -q /job; then echo "$*" >/job/init-error; fi
  sync
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

MODE=run BUILD=
for word in $(cat /proc/cmdline); do
  case $word in
    vmhost.mode=*) MODE=${word#*=} ;;
    vmhost.build=*) BUILD=${word#*=} ;;
  esac
done

while read -r module; do
  insmod "/vmhost/modules/$module" || fail "insmod $module failed: the initramfs and the kernel do not match; rerun make deps"
done </vmhost/load-order

NINEP="trans=virtio,version=9p2000.L,msize=262144"
mkdir -p /job /host /scratch /newroot
mount -t 9p -o "$NINEP" job /job || fail "mounting the job directory (9p tag job) failed"
# The heartbeat: a counter in job/heartbeat every 2 s. When it stops, vmhost takes the test host
# for frozen (QEMU's emulation sometimes loses the interrupt that wakes it) and starts afresh.
(beat=0; while :; do beat=$((beat + 1)); echo $beat >/job/heartbeat; sleep 2; done) &
echo $! >/job/heartbeat.pid  # the loop's pid: tests stop it to play a frozen test host
mount -t 9p -o "$NINEP,ro" hostroot /host || fail "mounting the host root (9p tag hostroot) failed"
mount -t tmpfs -o mode=755 tmpfs /scratch
mkdir -p /scratch/upper /scratch/work
mount -t overlay overlay -o lowerdir=/host,upperdir=/scratch/upper,workdir=/scratch/work /newroot ||
  fail "the overlay of the host root failed"
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
# /run is the guest's own (the host's sockets and pid files mean nothing here); /tmp stays the
# host's, seen through the overlay, so a tree checked out under /tmp works in the test host too.
mount -t tmpfs tmpfs /newroot/run
if [ -n "$BUILD" ]; then
  mkdir -p "/newroot$BUILD"
  mount -t 9p -o "$NINEP" build "/newroot$BUILD" || fail "mounting the build directory $BUILD (9p tag build) failed"
fi
mkdir -p /newroot/run/vmhost
mount --bind /job /newroot/run/vmhost
hostname vmhost
[ -e /dev/kvm ] || log "warning: no /dev/kvm after loading kvm-amd (is the QEMU CPU model missing svm?)"
log "ready, mode $MODE"

case $MODE in
  run)
    stty -F /dev/ttyS1 raw -echo
    chroot /newroot /bin/sh /run/vmhost/run.sh </dev/ttyS1 >/dev/ttyS1 2>&1
    ;;
  shell)
    setsid -c chroot /newroot /bin/sh /run/vmhost/run.sh </dev/ttyS1 >/dev/ttyS1 2>&1
    ;;
  *) fail "unknown vmhost.mode=$MODE" ;;
esac
echo $? >/job/status
sync
poweroff -f
