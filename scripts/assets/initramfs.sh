#!/usr/bin/env bash
# scripts/assets/initramfs.sh: the guest initramfs BUILD/assets/initramfs.cpio.gz that boots
# with BUILD/assets/kernel/vmlinuz (lab 04's hypervisor; QEMU in tests/assets/assets_test.sh).
# Called by scripts/deps.sh after kernel.sh and rootfs.sh; usage: initramfs.sh BUILD_DIR [--out FILE]
#   --out FILE  build into FILE unconditionally (no stamp); the test uses it to check that two
#               builds give the same bytes.
#
# Contents: BUILD/assets/rootfs, /init (scripts/assets/initramfs-init.sh) and, in /modules, the
# kernel modules the guest needs to mount an ext4 disk on virtio-mmio (lab 04's virtio-blk), taken
# from BUILD/assets/kernel/modules, the same kernel package as vmlinuz (a module only loads into
# the kernel it was built for). /modules/load-order lists them dependencies first, as modules.dep
# resolves them, for init's insmod loop. Format: newc cpio, gzip, as the kernel expects.
# Reproducible: names sorted, every mtime fixed, owners 0:0, inode and device numbers renumbered
# by cpio, no name or time in the gzip header.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=assets/initramfs
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

INIT_SCRIPT="$SCRIPT_DIR/initramfs-init.sh"
# The modules init loads; modules.dep adds what they need. ext4 also asks for "crypto-crc32c"
# (a soft dependency, for its metadata checksums), which modules.dep does not list: crc32c_generic
# answers it on every CPU, so it is named here (crc32c-intel, the other answer, fails to load on
# a guest CPU without SSE4.2).
MODULES=(virtio_mmio virtio_blk crc32c_generic ext4)

# module_files KERNEL_DIR: the .ko paths (relative to KERNEL_DIR/modules) of MODULES and their
# dependencies, each once, dependencies first. A modules.dep line is "path/m.ko: dep1 dep2 ...",
# its dependencies listed so that loading them last to first works; module names treat - and _
# alike (crc32c-intel.ko is crc32c_intel).
module_files() {
  local deps="$1/modules/modules.dep" module
  [ -f "$deps" ] || die "$deps is missing: rerun scripts/assets/kernel.sh"
  for module in "${MODULES[@]}"; do
    awk -v want="$module" '
      { path = $1; sub(/:$/, "", path); name = path; sub(/.*\//, "", name); sub(/\.ko.*/, "", name)
        gsub(/-/, "_", name) }
      name == want { for (i = NF; i > 1; i--) print $i; print path; found = 1; exit }
      END { exit !found }' "$deps" ||
      die "module $module is not in $deps: rerun scripts/assets/kernel.sh"
  done | awk '!seen[$0]++'
}

# stage KERNEL_DIR ROOTFS DIR MODULE_FILES: a copy of ROOTFS plus /init and the modules with
# their load order.
stage() {
  local kernel=$1 rootfs=$2 dir=$3 files=$4 file
  cp -a "$rootfs" "$dir"
  install -m 755 "$INIT_SCRIPT" "$dir/init"
  mkdir -p "$dir/modules"
  while read -r file; do
    cp "$kernel/modules/$file" "$dir/modules/"
    basename "$file" >>"$dir/modules/load-order"
  done <<<"$files"
}

# check_archive OUT: /init, /bin/busybox and the modules' load order must be in the archive.
check_archive() {
  local names name
  names=$(gzip -dc "$1" | cpio --quiet -it)
  for name in init bin/busybox modules/load-order; do
    grep -qx "$name" <<<"$names" || die "$1 has no /$name: fix scripts/assets/initramfs.sh"
  done
}

# build KERNEL_DIR ROOTFS MODULE_FILES OUT: stage, pack and check into a temporary file, then
# rename it to OUT.
build() {
  local kernel=$1 rootfs=$2 files=$3 out=$4 tmp
  tmp=$(make_temp_beside "$out")
  stage "$kernel" "$rootfs" "$tmp/stage" "$files"
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
  local rootfs="$build_dir/assets/rootfs" rootfs_stamp="$build_dir/assets/rootfs.stamp"
  local kernel="$build_dir/assets/kernel" files stamp
  { [ -x "$rootfs/bin/busybox" ] && [ -f "$rootfs_stamp" ]; } ||
    die "$rootfs is missing or incomplete: run scripts/assets/rootfs.sh $build_dir first"
  [ -f "$kernel/VERSION" ] || die "$kernel is missing: run scripts/assets/kernel.sh $build_dir first"
  files=$(module_files "$kernel")
  [ -n "$files" ] || die "no modules resolved from $kernel/modules"
  if [ "$forced" = yes ]; then build "$kernel" "$rootfs" "$files" "$out"; return; fi

  out="$build_dir/assets/initramfs.cpio.gz"
  # The module files are named in the stamp, so a new kernel or module set repacks the archive.
  stamp="$(cat "$rootfs_stamp") kernel=$(cat "$kernel/VERSION") modules=$(xargs -n1 basename <<<"$files" | paste -sd,)"
  stamp+=" script=$(digest "${BASH_SOURCE[0]}" "$INIT_SCRIPT")"
  stamp_matches "$out.stamp" "$stamp" && [ -f "$out" ] && return 0
  note "packing $out"
  build "$kernel" "$rootfs" "$files" "$out"
  write_stamp "$out.stamp" "$stamp"
}

main "$@"
