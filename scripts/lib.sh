# shellcheck shell=bash
# scripts/lib.sh: shell helpers shared by scripts/deps.sh and scripts/assets/*.sh.
# Sourced, never run. Every asset script follows the same contract, built from these helpers:
#   1. compute a stamp: one line naming every input (package versions, script digests);
#   2. if the published asset carries the same stamp, exit at once and print nothing;
#   3. otherwise build into a temporary directory beside the asset, verify it there, and
#      publish it with rename(2), so an interrupted run never leaves a half-built asset.

# Assets must not depend on the caller's umask (the initramfs bytes include file modes).
umask 022

# note MESSAGE: one progress line on stderr, only ever printed when real work happens.
note() { printf '%s: %s\n' "${LOG_TAG:-deploylab}" "$*" >&2; }

# die MESSAGE: what failed, on which object, and what to do; then stop.
die() { printf '%s: error: %s\n' "${LOG_TAG:-deploylab}" "$*" >&2; exit 1; }

# as_root CMD...: run CMD with root rights: directly as root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; return; fi
  command -v sudo >/dev/null ||
    die "'$1' needs root: run this script as root, or install and configure sudo"
  sudo "$@"
}

LIB_FILE=${BASH_SOURCE[0]}

# digest FILE...: a short content hash of the given files and of this library (scripts are
# inputs of assets too, so editing one rebuilds what it makes).
digest() { cat "$LIB_FILE" "$@" | sha256sum | cut -c1-16; }

# stamp_matches FILE EXPECTED: true when FILE exists and holds exactly EXPECTED.
stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# write_stamp FILE CONTENT: replace FILE with CONTENT by rename, so it is never half written.
write_stamp() { printf '%s\n' "$2" >"$1.tmp.$$" && mv -T "$1.tmp.$$" "$1"; }

# apt_index_fingerprint: changes whenever `apt-get update` brings new package lists. Asset
# scripts that follow a package's candidate version record it after a full check and skip
# apt-cache while it is unchanged: without apt's binary cache (disabled in Docker-style
# images) every apt-cache call re-reads all lists, 0.5 s or more each.
apt_index_fingerprint() {
  stat -c '%n %Y %s' /var/lib/apt/lists/*Packages* 2>/dev/null | sha256sum | cut -c1-16
}

# checked_since_update DIR SCRIPT_DIGEST: true when DIR/.checked says the package index and the
# asset script are the same as at the last full check, so apt-cache need not be asked again.
checked_since_update() { stamp_matches "$1/.checked" "index=$(apt_index_fingerprint) script=$2"; }
# mark_checked DIR SCRIPT_DIGEST: records a full check, for checked_since_update.
mark_checked() { write_stamp "$1/.checked" "index=$(apt_index_fingerprint) script=$2"; }

# make_temp_beside DEST: a fresh temporary directory in DEST's parent, so the final rename
# stays on one filesystem. Leftovers of interrupted runs are swept first.
make_temp_beside() {
  local dest=$1 parent name
  parent=$(dirname "$dest"); name=$(basename "$dest")
  mkdir -p "$parent"
  rm -rf "$parent/.$name.tmp."* 2>/dev/null || as_root rm -rf "$parent/.$name.tmp."*
  mktemp -d "$parent/.$name.tmp.XXXXXX"
}

# publish DEST NEW: put NEW in DEST's place with renames. The old DEST is moved aside first
# and deleted last; a crash in between leaves DEST missing (rebuilt next run), never half.
publish() {
  local dest=$1 new=$2 old=
  if [ -e "$dest" ] || [ -L "$dest" ]; then
    old="$(dirname "$dest")/.$(basename "$dest").tmp.old$$"
    mv -T "$dest" "$old"
  fi
  mv -T "$new" "$dest"
  if [ -n "$old" ]; then rm -rf "$old" 2>/dev/null || as_root rm -rf "$old"; fi
}

# apt_candidate PKG: the version apt would install for PKG, or nothing if the package index
# does not know it (no `apt-get update` yet, or no such package).
apt_candidate() {
  apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

# apt_refresh_index: `apt-get update`, quietly; used only when an index look-up came back empty.
apt_refresh_index() {
  note "package index has no entry yet; running apt-get update"
  as_root apt-get update -qq ||
    die "apt-get update failed: check the apt sources in /etc/apt and the network"
}

# apt_fetch PKG VERSION CACHE_DIR: print the path of PKG_VERSION's .deb in CACHE_DIR, downloading
# it (hash-checked by apt) if not cached yet. Other cached versions of PKG are dropped.
apt_fetch() {
  local pkg=$1 version=$2 cache=$3 deb
  mkdir -p "$cache"
  deb=$(cached_deb "$pkg" "$version" "$cache")
  if [ -z "$deb" ]; then
    note "downloading $pkg $version into $cache"
    # apt drops to the _apt user to download; that user cannot write into e.g. /root/..., so
    # as root we keep root (the .deb is still verified against the signed index).
    local sandbox=()
    [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
    (cd "$cache" && apt-get download -qq "${sandbox[@]}" "$pkg=$version") ||
      die "apt-get download $pkg=$version failed: run 'apt-get update' and retry"
    deb=$(cached_deb "$pkg" "$version" "$cache")
    [ -n "$deb" ] || die "apt-get download $pkg=$version left no .deb in $cache"
  fi
  local other
  for other in "$cache/${pkg}"_*.deb; do
    [ "$other" = "$deb" ] || rm -f "$other"
  done
  printf '%s\n' "$deb"
}

# cached_deb PKG VERSION CACHE_DIR: the cached .deb of exactly PKG VERSION, if any.
cached_deb() {
  local f
  for f in "$3/$1"_*.deb; do
    [ -f "$f" ] || continue
    [ "$(dpkg-deb -f "$f" Version 2>/dev/null)" = "$2" ] && { printf '%s\n' "$f"; return; }
  done
  return 0
}

# run_chrooted ROOT CMD...: run CMD inside the root filesystem ROOT. As root this is a plain
# chroot; otherwise an unprivileged user namespace grants the chroot right.
run_chrooted() {
  local root=$1; shift
  if [ "$(id -u)" -eq 0 ]; then chroot "$root" "$@"; return; fi
  unshare --map-root-user chroot "$root" "$@"
}

# pack_initramfs DIR OUT: DIR as a gzip'd newc cpio archive in OUT, reproducibly: names sorted,
# every mtime fixed (1970-01-01: any constant works, this one says "not a real date"), owners
# 0:0, inode numbers renumbered by cpio, no name or time in the gzip header.
pack_initramfs() {
  local dir=$1 out=$2
  find "$dir" -exec touch -h -d @0 {} +
  (cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n >"$out" ||
    die "packing $dir into $out failed (cpio or gzip); is cpio installed? run scripts/deps.sh"
}
