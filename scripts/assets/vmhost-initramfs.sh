#!/usr/bin/env bash
# scripts/assets/vmhost-initramfs.sh: BUILD/assets/vmhost-initramfs.cpio.gz, the initramfs of the
# KVM test host (`vmhost`, hypervisor/vmhost/). Called by scripts/deps.sh after kernel.sh and
# rootfs.sh; usage: vmhost-initramfs.sh BUILD_DIR
#
# Contents: the busybox rootfs, /init (hypervisor/vmhost/guest_init.sh), and the kernel modules
# the test host needs, taken from the same kernel package as BUILD/assets/kernel/vmlinuz (a module
# only loads into the kernel it was built for): virtio PCI, 9p over virtio (the host's files),
# overlayfs (a writable layer over them), kvm-amd (a /dev/kvm on QEMU's emulated AMD-V) and tun
# (/dev/net/tun: taps for the VMs' NICs, bench/vm's network row), with everything they depend on,
# in the order `modprobe --show-depends` gives. The order is written to /vmhost/load-order for
# init's insmod loop.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
LOG_TAG=assets/vmhost-initramfs
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

INIT_SCRIPT="$REPO_ROOT/hypervisor/vmhost/guest_init.sh"
MODULES=(virtio_pci 9pnet_virtio 9p overlay kvm-amd tun)

# module_files KERNEL_DIR: the .ko paths (relative to the modules tree) for MODULES and their
# dependencies, each once, dependencies first.
module_files() {
  local kernel=$1 version tree module
  version=$(cut -d' ' -f1 "$kernel/VERSION")
  # modprobe -d wants ROOT/lib/modules/VERSION; the asset keeps the tree at kernel/modules.
  tree=$(mktemp -d)
  mkdir -p "$tree/lib/modules"
  ln -s "$kernel/modules" "$tree/lib/modules/$version"
  for module in "${MODULES[@]}"; do
    modprobe -d "$tree" -S "$version" --show-depends "$module" ||
      { rm -rf "$tree"; die "module $module is not in $kernel/modules: rerun scripts/assets/kernel.sh"; }
  done | awk '$1 == "insmod" { print $2 }' | sed "s|^$tree/lib/modules/$version/||" | awk '!seen[$0]++'
  rm -rf "$tree"
}

# stage KERNEL_DIR ROOTFS DIR: rootfs + /init + the modules and their load order.
stage() {
  local kernel=$1 rootfs=$2 dir=$3 file
  cp -a "$rootfs" "$dir"
  install -m 755 "$INIT_SCRIPT" "$dir/init"
  mkdir -p "$dir/vmhost/modules"
  module_files "$kernel" >"$dir/vmhost/module-paths"
  [ -s "$dir/vmhost/module-paths" ] || die "no modules resolved from $kernel/modules"
  while read -r file; do
    cp "$kernel/modules/$file" "$dir/vmhost/modules/"
    basename "$file" >>"$dir/vmhost/load-order"
  done <"$dir/vmhost/module-paths"
  rm "$dir/vmhost/module-paths"
}

main() {
  [ $# -eq 1 ] || die "usage: vmhost-initramfs.sh BUILD_DIR"
  # Absolute: the staging step runs modprobe from another directory.
  local build kernel rootfs out
  build=$(realpath -m "$1")
  kernel="$build/assets/kernel" rootfs="$build/assets/rootfs" out="$build/assets/vmhost-initramfs.cpio.gz"
  [ -f "$kernel/VERSION" ] || die "$kernel is missing: run scripts/assets/kernel.sh $build first"
  [ -f "$build/assets/rootfs.stamp" ] || die "$rootfs is missing: run scripts/assets/rootfs.sh $build first"
  local stamp tmp
  stamp="kernel=$(cat "$kernel/VERSION") rootfs=$(cat "$build/assets/rootfs.stamp") script=$(digest "${BASH_SOURCE[0]}" "$INIT_SCRIPT")"
  stamp_matches "$out.stamp" "$stamp" && [ -f "$out" ] && return 0
  note "packing $out"
  tmp=$(make_temp_beside "$out")
  stage "$kernel" "$rootfs" "$tmp/stage"
  pack_initramfs "$tmp/stage" "$tmp/initramfs.cpio.gz"
  mv -T "$tmp/initramfs.cpio.gz" "$out"
  rm -rf "$tmp"
  write_stamp "$out.stamp" "$stamp"
}

main "$@"
