#!/usr/bin/env bash
# scripts/assets/rootfs.sh: a minimal busybox root filesystem in BUILD/assets/rootfs/, the
# image the container labs (05 namespaces, 06 rootfs) start from and the base of the guest
# initramfs (scripts/assets/initramfs.sh). Called by scripts/deps.sh; usage: rootfs.sh BUILD_DIR
#
# Contents: /bin/busybox (Debian's busybox-static), one symlink per applet at the path busybox
# itself reports (`busybox --list-full`), the directories a Linux userland expects, and a few
# /etc files so that `id`, `hostname` and `cat /etc/os-release` answer sensibly.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=assets/rootfs
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

BUSYBOX=/bin/busybox
BUSYBOX_PACKAGE=busybox-static

# check_static_busybox: fail unless $BUSYBOX exists and needs no shared libraries (the rootfs
# has none).
check_static_busybox() {
  [ -x "$BUSYBOX" ] || die "$BUSYBOX not found: run scripts/deps.sh (installs $BUSYBOX_PACKAGE)"
  file -bL "$BUSYBOX" | grep -q 'statically linked' ||
    die "$BUSYBOX is dynamically linked: apt-get install $BUSYBOX_PACKAGE (replaces busybox)"
}

# make_dirs ROOT: the empty directories; tmp dirs are world-writable with the sticky bit.
make_dirs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/tmp,mnt}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 700 "$root/root"
}

# link_applets ROOT: /bin/busybox plus an absolute symlink to it for every applet.
link_applets() {
  local root=$1 applet
  cp "$BUSYBOX" "$root/bin/busybox"
  while read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -s /bin/busybox "$root/$applet"
  done < <("$BUSYBOX" --list-full)
}

# write_etc ROOT BUSYBOX_VERSION: identity and naming files.
write_etc() {
  local root=$1 version=$2
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'deploylab\n' >"$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost\n127.0.1.1\tdeploylab\n' >"$root/etc/hosts"
  cat >"$root/etc/os-release" <<EOF
NAME="deploylab"
ID=deploylab
PRETTY_NAME="deploylab busybox rootfs"
VERSION_ID="1"
BUSYBOX_VERSION="$version"
EOF
}

# check_rootfs ROOT: the shell inside the new root must run.
check_rootfs() {
  local out
  out=$(run_chrooted "$1" /bin/sh -c 'echo ok' 2>&1) ||
    die "chroot $1 /bin/sh failed ($out): are you root, or are user namespaces disabled?"
  [ "$out" = ok ] || die "chroot $1 /bin/sh -c 'echo ok' printed '$out', not 'ok'"
}

main() {
  [ $# -eq 1 ] || die "usage: rootfs.sh BUILD_DIR"
  local out="$1/assets/rootfs" stamp_file="$1/assets/rootfs.stamp" version stamp tmp
  check_static_busybox
  version=$(dpkg-query -W -f='${Version}' "$BUSYBOX_PACKAGE" 2>/dev/null) ||
    die "$BUSYBOX_PACKAGE is not installed: run scripts/deps.sh"
  stamp="$BUSYBOX_PACKAGE $version script=$(digest "${BASH_SOURCE[0]}")"
  stamp_matches "$stamp_file" "$stamp" && [ -x "$out/bin/busybox" ] && return 0

  note "building $out from $BUSYBOX_PACKAGE $version"
  tmp=$(make_temp_beside "$out")
  make_dirs "$tmp/rootfs"
  link_applets "$tmp/rootfs"
  write_etc "$tmp/rootfs" "$version"
  check_rootfs "$tmp/rootfs"
  publish "$out" "$tmp/rootfs"
  rm -rf "$tmp"
  # The stamp lives beside, not inside, the rootfs: containers see every file in it.
  # It is written after the rename, so a crash in between only costs a rebuild.
  write_stamp "$stamp_file" "$stamp"
}

main "$@"
