#!/usr/bin/env bash
# scripts/assets/initramfs.sh: the guest initramfs BUILD/assets/initramfs.cpio.gz that boots
# with BUILD/assets/kernel/vmlinuz (lab 04's hypervisor; QEMU in tests/assets/assets_test.sh).
# Called by scripts/deps.sh after rootfs.sh; usage: initramfs.sh BUILD_DIR [--out FILE]
#   --out FILE  build into FILE unconditionally (no stamp); the test uses it to check that two
#               builds give the same bytes.
#
# Contents: BUILD/assets/rootfs plus /init (scripts/assets/initramfs-init.sh). Format: newc cpio,
# gzip, as the kernel expects. Reproducible: names sorted, every mtime fixed, owners 0:0,
# inode and device numbers renumbered by cpio, no name or time in the gzip header.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=assets/initramfs
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

INIT_SCRIPT="$SCRIPT_DIR/initramfs-init.sh"
# stage ROOTFS DIR: a copy of ROOTFS plus /init, with every timestamp fixed.
stage() {
  local rootfs=$1 dir=$2
  cp -a "$rootfs" "$dir"
  install -m 755 "$INIT_SCRIPT" "$dir/init"
}

# check_archive OUT: /init and /bin/busybox must be in the archive.
check_archive() {
  local names
  names=$(gzip -dc "$1" | cpio --quiet -it)
  grep -qx init <<<"$names" || die "$1 has no /init: fix scripts/assets/initramfs.sh"
  grep -qx bin/busybox <<<"$names" || die "$1 has no /bin/busybox: fix scripts/assets/initramfs.sh"
}

# build ROOTFS OUT: stage, pack and check into a temporary file, then rename it to OUT.
build() {
  local rootfs=$1 out=$2 tmp
  tmp=$(make_temp_beside "$out")
  stage "$rootfs" "$tmp/stage"
  pack_initramfs "$tmp/stage" "$tmp/initramfs.cpio.gz"
  check_archive "$tmp/initramfs.cpio.gz"
  mv -T "$tmp/initramfs.cpio.gz" "$out"
  rm -rf "$tmp"
}

main() {
  local build_dir='' out='' forced=no
  while [ $# -gt 0 ]; do
    case $1 in
      --out) [ $# -ge 2 ] || die "--out needs a file"; out=$2; forced=yes; shift 2 ;;
      *) [ -z "$build_dir" ] || die "usage: initramfs.sh BUILD_DIR [--out FILE]"
         build_dir=$1; shift ;;
    esac
  done
  [ -n "$build_dir" ] || die "usage: initramfs.sh BUILD_DIR [--out FILE]"
  local rootfs="$build_dir/assets/rootfs" rootfs_stamp="$build_dir/assets/rootfs.stamp" stamp
  { [ -x "$rootfs/bin/busybox" ] && [ -f "$rootfs_stamp" ]; } ||
    die "$rootfs is missing or incomplete: run scripts/assets/rootfs.sh $build_dir first"
  if [ "$forced" = yes ]; then build "$rootfs" "$out"; return; fi

  out="$build_dir/assets/initramfs.cpio.gz"
  stamp="$(cat "$rootfs_stamp") script=$(digest "${BASH_SOURCE[0]}" "$INIT_SCRIPT")"
  stamp_matches "$out.stamp" "$stamp" && [ -f "$out" ] && return 0
  note "packing $out"
  build "$rootfs" "$out"
  write_stamp "$out.stamp" "$stamp"
}

main "$@"
