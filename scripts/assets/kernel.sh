#!/usr/bin/env bash
# scripts/assets/kernel.sh: the Debian guest kernel, unpacked (never installed) into
# BUILD/assets/kernel/. Called by scripts/deps.sh; usage: kernel.sh BUILD_DIR
#
# Output:
#   vmlinuz   the bzImage that minivmm, vmhost and QEMU boot (labs 04, 17)
#   config    its kernel .config
#   modules/  its lib/modules/<release> tree (vmhost builds a test-host initramfs from it:
#             kvm-amd, 9p, virtio)
#   VERSION   "<release> <package version>", e.g. "6.1.0-56-amd64 6.1.192-2"
# The kernel is whichever linux-image-<release> the linux-image-amd64 metapackage depends on,
# so a Debian point release moves every student to the same new kernel at the next `make deps`.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=assets/kernel
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

METAPACKAGE=linux-image-amd64

# kernel_package: the linux-image-<release> package the metapackage depends on right now.
kernel_package() {
  apt-cache depends "$METAPACKAGE" 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# bzimage_magic FILE: the 4 bytes at 0x202 of the x86 boot header ("HdrS" in a bzImage).
bzimage_magic() { dd if="$1" bs=1 skip=$((0x202)) count=4 status=none; }

# check_bzimage FILE: fail unless FILE is an x86 bzImage.
check_bzimage() {
  local magic
  magic=$(bzimage_magic "$1" | tr -c '[:print:]' '?')
  [ "$magic" = HdrS ] || die "$1 is not a bzImage: expected 'HdrS' at offset 0x202, found" \
    "'$magic'; the Debian package layout changed: fix scripts/assets/kernel.sh"
}

# lay_out UNPACKED RELEASE PKG_VERSION OUT: arrange the unpacked .deb tree as described above.
lay_out() {
  local tree=$1 release=$2 version=$3 out=$4 modules
  mkdir -p "$out"
  [ -f "$tree/boot/vmlinuz-$release" ] ||
    die "linux-image-$release has no boot/vmlinuz-$release: fix scripts/assets/kernel.sh"
  mv "$tree/boot/vmlinuz-$release" "$out/vmlinuz"
  mv "$tree/boot/config-$release" "$out/config"
  for modules in "$tree/lib/modules/$release" "$tree/usr/lib/modules/$release"; do
    [ -d "$modules" ] && mv "$modules" "$out/modules"
  done
  [ -d "$out/modules" ] || die "linux-image-$release has no lib/modules/$release tree"
  printf '%s %s\n' "$release" "$version" >"$out/VERSION"
}

# resolve_kernel: print "<package> <version>" of the current kernel, updating the package
# index once if it knows no kernel yet; print nothing when offline but an asset already exists.
resolve_kernel() {
  local out=$1 pkg version
  pkg=$(kernel_package)
  if [ -z "$pkg" ]; then
    [ -f "$out/vmlinuz" ] && return 0
    apt_refresh_index
    pkg=$(kernel_package)
    [ -n "$pkg" ] || die "apt-cache knows no $METAPACKAGE: add Debian 'main' to the apt sources"
  fi
  version=$(apt_candidate "$pkg")
  [ -n "$version" ] || die "apt-cache has no candidate version of $pkg: run apt-get update"
  printf '%s %s\n' "$pkg" "$version"
}

# build_kernel BUILD OUT PKG VERSION STAMP: download, unpack, lay out, check, publish.
build_kernel() {
  local build=$1 out=$2 pkg=$3 version=$4 stamp=$5 release=${3#linux-image-} deb tmp
  deb=$(apt_fetch "$pkg" "$version" "$build/assets/cache")
  note "unpacking $(basename "$deb") into $out"
  tmp=$(make_temp_beside "$out")
  dpkg -x "$deb" "$tmp/deb" || die "dpkg -x $deb failed: delete it and rerun"
  # The package leaves modules.dep to its postinst; make it here so modprobe works on the tree.
  depmod -b "$tmp/deb" "$release" || die "depmod for $release failed: is kmod installed?"
  lay_out "$tmp/deb" "$release" "$version" "$tmp/kernel"
  check_bzimage "$tmp/kernel/vmlinuz"
  printf '%s\n' "$stamp" >"$tmp/kernel/.stamp"
  publish "$out" "$tmp/kernel"
  rm -rf "$tmp"
}

main() {
  [ $# -eq 1 ] || die "usage: kernel.sh BUILD_DIR"
  local build=$1 out="$1/assets/kernel" script pkg_version stamp
  script=$(digest "${BASH_SOURCE[0]}")
  # Fast path: same package index and same script as at the last full check.
  checked_since_update "$out" "$script" && [ -f "$out/vmlinuz" ] && return 0

  pkg_version=$(resolve_kernel "$out")
  [ -n "$pkg_version" ] || return 0   # offline, no package index: keep what we have
  stamp="$pkg_version script=$script"
  if ! { stamp_matches "$out/.stamp" "$stamp" && [ -f "$out/vmlinuz" ]; }; then
    build_kernel "$build" "$out" "${pkg_version% *}" "${pkg_version#* }" "$stamp"
  fi
  mark_checked "$out" "$script"
}

main "$@"
