#!/usr/bin/env bash
# scripts/assets/kubectl.sh: Debian's kubectl, unpacked (never installed) into
# BUILD/tools/kubernetes-client/, with BUILD/tools/bin/kubectl pointing at it.
# Called by scripts/deps.sh; usage: kubectl.sh BUILD_DIR
#
# Why unpack: the kubernetes-client package conflicts with the `kubectl` package that some
# images carry (cloud SDK repositories), and installing it would remove that one. Labs compare
# kubectl-lite with the real kubectl by running BUILD/tools/bin/kubectl.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=assets/kubectl
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/../lib.sh"

PACKAGE=kubernetes-client
BINARY=usr/bin/kubectl      # inside the package

# check_kubectl FILE: fail unless FILE runs `version --client`.
check_kubectl() {
  "$1" version --client >/dev/null 2>&1 ||
    die "$1 version --client failed: delete $(dirname "$1") and rerun scripts/deps.sh"
}

# link_binary BUILD: (re)point BUILD/tools/bin/kubectl at the unpacked binary, atomically.
link_binary() {
  local bin="$1/tools/bin"
  mkdir -p "$bin"
  ln -sfn "../$PACKAGE/$BINARY" "$bin/.kubectl.tmp.$$"
  mv -T "$bin/.kubectl.tmp.$$" "$bin/kubectl"
}

# resolve_version BUILD: the candidate version of $PACKAGE, updating the package index once if
# it knows none; nothing when offline but kubectl is already there.
resolve_version() {
  local version
  version=$(apt_candidate "$PACKAGE")
  if [ -z "$version" ]; then
    [ -x "$1/tools/bin/kubectl" ] && return 0
    apt_refresh_index
    version=$(apt_candidate "$PACKAGE")
    [ -n "$version" ] || die "apt-cache knows no $PACKAGE: add Debian 'main' to the apt sources"
  fi
  printf '%s\n' "$version"
}

# build_kubectl BUILD OUT VERSION STAMP: download, unpack, check, publish, link.
build_kubectl() {
  local build=$1 out=$2 version=$3 stamp=$4 deb tmp
  deb=$(apt_fetch "$PACKAGE" "$version" "$build/assets/cache")
  note "unpacking $(basename "$deb") into $out"
  tmp=$(make_temp_beside "$out")
  dpkg -x "$deb" "$tmp/pkg" || die "dpkg -x $deb failed: delete it and rerun"
  [ -x "$tmp/pkg/$BINARY" ] || die "$PACKAGE $version has no $BINARY: fix scripts/assets/kubectl.sh"
  check_kubectl "$tmp/pkg/$BINARY"
  printf '%s\n' "$stamp" >"$tmp/pkg/.stamp"
  publish "$out" "$tmp/pkg"
  rm -rf "$tmp"
  link_binary "$build"
}

main() {
  [ $# -eq 1 ] || die "usage: kubectl.sh BUILD_DIR"
  local build=$1 out="$1/tools/$PACKAGE" script version stamp
  script=$(digest "${BASH_SOURCE[0]}")
  # Fast path: same package index and same script as at the last full check.
  checked_since_update "$out" "$script" && [ -x "$build/tools/bin/kubectl" ] && return 0

  version=$(resolve_version "$build")
  [ -n "$version" ] || return 0   # offline, no package index: keep what we have
  stamp="$PACKAGE $version script=$script"
  if ! { stamp_matches "$out/.stamp" "$stamp" && [ -x "$build/tools/bin/kubectl" ]; }; then
    build_kubectl "$build" "$out" "$version" "$stamp"
  fi
  mark_checked "$out" "$script"
}

main "$@"
