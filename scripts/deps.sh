#!/usr/bin/env bash
# scripts/deps.sh: installs deploylab's Debian packages and builds the prebuilt assets.
# Called by `make deps` (and by hand: bash scripts/deps.sh [--build-dir DIR] [--no-assets]).
# Neighbours: scripts/packages.txt lists the packages; scripts/assets/*.sh build the guest
# kernel, kubectl, the busybox rootfs and the guest initramfs into BUILD/{assets,tools}.
#
# Steps:
#   1. ask dpkg which packages of packages.txt are missing; if none, stay silent;
#   2. otherwise apt-get update + install them, with daemons kept from starting
#      (a temporary policy-rc.d), then stop any daemon the install started anyway;
#   3. build the assets (each script is silent when its output is up to date).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
LOG_TAG=deps
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/lib.sh"

PACKAGE_LIST="$SCRIPT_DIR/packages.txt"
POLICY_RC=/usr/sbin/policy-rc.d
# Daemons that postinst scripts may start: libvirt-daemon-system (and the dbus and polkitd it
# pulls in) and etcd-server. Names as in /proc/PID/comm (15 characters at most).
DAEMONS=(libvirtd virtqemud virtlogd virtlockd virtnetworkd virtstoraged virtproxyd dnsmasq
         etcd dbus-daemon polkitd)

usage() {
  cat <<EOF
usage: $0 [--build-dir DIR] [--no-assets]
  --build-dir DIR  where assets go (default: $REPO_ROOT/build)
  --no-assets      install packages only
EOF
}

# read_packages: the package names in packages.txt, comments and blank lines dropped.
read_packages() {
  [ -r "$PACKAGE_LIST" ] || die "cannot read $PACKAGE_LIST: is the checkout complete?"
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$PACKAGE_LIST"
}

# missing_packages NAME...: the names dpkg does not report as installed, one per line.
missing_packages() {
  local installed
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null |
    awk '$2 == "installed" { print $1 }' || true)
  local pkg
  for pkg in "$@"; do
    grep -qxF "$pkg" <<<"$installed" || printf '%s\n' "$pkg"
  done
}

# daemon_pids: PIDs of the watched daemons that run in this script's root filesystem (so a
# run inside a chroot never touches the host's daemons). Reads /proc directly: on a fresh
# machine pgrep (procps) is one of the packages still to be installed.
daemon_pids() {
  local dir comm
  for dir in /proc/[0-9]*; do
    comm=$(cat "$dir/comm" 2>/dev/null) || continue
    is_watched "$comm" && same_root "${dir#/proc/}" && printf '%s\n' "${dir#/proc/}"
  done
  return 0
}

# is_watched NAME: true when NAME is one of $DAEMONS.
is_watched() {
  local name
  for name in "${DAEMONS[@]}"; do [ "$1" = "$name" ] && return 0; done
  return 1
}

# same_root PID: true when PID sees the same / as we do.
same_root() {
  [ "$(stat -L -c %d:%i "/proc/$1/root" 2>/dev/null)" = "$(stat -L -c %d:%i /)" ]
}

# stop_new_daemons BEFORE: stop (TERM, then KILL) watched daemons not in the BEFORE list.
stop_new_daemons() {
  local before=$1 pid
  for pid in $(daemon_pids); do
    grep -qxF "$pid" <<<"$before" && continue
    note "the install started $(cat "/proc/$pid/comm" 2>/dev/null) (pid $pid); stopping it"
    as_root kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" || as_root kill -KILL "$pid" 2>/dev/null || true
  done
}

# wait_gone PID: wait up to 5 s for PID to exit.
wait_gone() {
  local _
  for _ in $(seq 50); do
    [ -d "/proc/$1" ] || return 0
    sleep 0.1
  done
  return 1
}

# block_service_starts: install a policy-rc.d that forbids starting services (exit 101), unless
# one exists already; the EXIT trap removes only the one we put there.
block_service_starts() {
  [ -e "$POLICY_RC" ] && return 0
  printf '#!/bin/sh\n# temporary, from deploylab scripts/deps.sh: no service starts\nexit 101\n' |
    as_root tee "$POLICY_RC" >/dev/null
  as_root chmod 755 "$POLICY_RC"
  trap 'as_root rm -f "$POLICY_RC"' EXIT
}

# install_packages NAME...: apt-get update, then a non-interactive install without recommends.
install_packages() {
  as_root apt-get update -qq ||
    die "apt-get update failed: check /etc/apt/sources.list* and the network, then rerun"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$@" ||
    die "apt-get install failed for: $*; read apt's message above, fix it, then rerun"
}

# ensure_packages: steps 1 and 2.
ensure_packages() {
  local packages missing before
  mapfile -t packages < <(read_packages)
  mapfile -t missing < <(missing_packages "${packages[@]}")
  [ "${#missing[@]}" -eq 0 ] && return 0
  note "installing ${#missing[@]} missing packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    die "installing packages needs root: rerun as root, or install sudo"
  fi
  before=$(daemon_pids)
  block_service_starts
  install_packages "${missing[@]}"
  stop_new_daemons "$before"
}

# build_assets BUILD_DIR: step 3, in dependency order (the initramfs files pack the rootfs, and
# the vmhost one the kernel's modules too).
build_assets() {
  local build=$1 step
  for step in kernel kubectl rootfs initramfs vmhost-initramfs; do
    bash "$SCRIPT_DIR/assets/$step.sh" "$build"
  done
}

main() {
  local build_dir="$REPO_ROOT/build" assets=yes
  while [ $# -gt 0 ]; do
    case $1 in
      --build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; build_dir=$2; shift 2 ;;
      --no-assets) assets=no; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  ensure_packages
  [ "$assets" = yes ] || return 0
  mkdir -p "$build_dir"
  build_assets "$(cd "$build_dir" && pwd)"
}

main "$@"
