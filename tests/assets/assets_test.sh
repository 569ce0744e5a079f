#!/usr/bin/env bash
# tests/assets/assets_test.sh: checks the prebuilt assets that scripts/deps.sh (`make deps`)
# puts in the build directory: the guest kernel, kubectl, the busybox rootfs and the guest
# initramfs, ending with a real boot of kernel + initramfs under QEMU (software emulation).
# Usage: bash tests/assets/assets_test.sh BUILD_DIR   (registered in CTest; runs standalone)
# Prints one line per check, then "N passed, N failed"; exits 1 if any check failed.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "${1:?usage: assets_test.sh BUILD_DIR}" 2>/dev/null && pwd) ||
  { echo "assets_test: build directory '$1' does not exist: run make deps" >&2; exit 1; }
ASSETS="$BUILD/assets"
KERNEL="$ASSETS/kernel"
ROOTFS="$ASSETS/rootfs"
INITRAMFS="$ASSETS/initramfs.cpio.gz"
FIX="run 'make deps' (or: bash scripts/deps.sh --build-dir $BUILD)"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

passed=0 failed=0 skipped=0
REASON=   # set by a failing check: what was expected and what was seen
INFO=     # set by a passing check that measured something worth showing

# run_check NAME FUNCTION: run one check and report it; FUNCTION sets REASON when it fails.
run_check() {
  REASON='' INFO=
  if "$2"; then echo "ok    $1${INFO:+ ($INFO)}"; passed=$((passed + 1)); return; fi
  if [ "$REASON" = skip ]; then skipped=$((skipped + 1)); return; fi
  echo "FAIL  $1: $REASON"
  failed=$((failed + 1))
}

# fail MESSAGE: record why the current check failed; returns 1, the check's result.
fail() { REASON=$*; return 1; }

# chrooted ROOT CMD...: CMD inside ROOT, as root or through an unprivileged user namespace.
chrooted() {
  local root=$1; shift
  if [ "$(id -u)" -eq 0 ]; then chroot "$root" "$@"; else unshare --map-root-user chroot "$root" "$@"; fi
}

# le16 FILE OFFSET: the little-endian 16-bit number at OFFSET of FILE.
le16() { od -An -tu1 -j "$2" -N2 "$1" | awk '{ print $1 + 256 * $2 }'; }

check_bzimage() {
  local image="$KERNEL/vmlinuz" magic proto
  [ -f "$image" ] || { fail "$image is missing: $FIX"; return; }
  magic=$(dd if="$image" bs=1 skip=$((0x202)) count=4 status=none | tr -c '[:print:]' '?')
  [ "$magic" = HdrS ] || { fail "$image: expected 'HdrS' at 0x202, found '$magic': not a bzImage; delete $KERNEL and $FIX"; return; }
  proto=$(le16 "$image" $((0x206)))
  [ "$proto" -ge $((0x020c)) ] || { fail "$image: boot protocol $(printf '%#06x' "$proto") is older than 2.12; the labs' loader needs >= 2.12"; return; }
  INFO=$(printf 'boot protocol %d.%02d' $((proto >> 8)) $((proto & 255)))
}

check_version_file() {
  local release version extra
  [ -f "$KERNEL/VERSION" ] || { fail "$KERNEL/VERSION is missing: $FIX"; return; }
  read -r release version extra <"$KERNEL/VERSION"
  { [[ "$release" =~ ^[0-9]+\.[0-9]+.*-amd64$ ]] && [ -n "$version" ] && [ -z "$extra" ]; } ||
    { fail "$KERNEL/VERSION holds '$(cat "$KERNEL/VERSION")', expected '<release>-amd64 <package version>': $FIX"; return; }
  [ -f "$KERNEL/config" ] || { fail "$KERNEL/config is missing: $FIX"; return; }
  INFO="$release, package $version"
}

check_modules() {
  local name found
  [ -d "$KERNEL/modules/kernel" ] || { fail "$KERNEL/modules/kernel is missing: $FIX"; return; }
  for name in kvm-amd 9p 9pnet_virtio virtio_blk; do
    found=$(find "$KERNEL/modules/kernel" -name "$name.ko*" -print -quit)
    [ -n "$found" ] || { fail "no $name module under $KERNEL/modules: the kernel package changed; check scripts/assets/kernel.sh"; return; }
  done
}

check_kubectl() {
  local kubectl="$BUILD/tools/bin/kubectl" out
  [ -x "$kubectl" ] || { fail "$kubectl is missing or not executable: $FIX"; return; }
  out=$("$kubectl" version --client 2>&1) || { fail "'$kubectl version --client' failed: $out"; return; }
  INFO=$(grep -o 'GitVersion:"[^"]*"' <<<"$out" | head -1)
}

check_rootfs_shell() {
  local out
  [ -x "$ROOTFS/bin/busybox" ] || { fail "$ROOTFS/bin/busybox is missing: $FIX"; return; }
  out=$(chrooted "$ROOTFS" /bin/sh -c 'echo ok' 2>&1)
  [ "$out" = ok ] || fail "chroot $ROOTFS /bin/sh -c 'echo ok' printed '$out' (run as root; else user namespaces must be enabled)"
}

check_rootfs_applet() {
  local out
  out=$(chrooted "$ROOTFS" /bin/ls / 2>&1) || { fail "chroot $ROOTFS /bin/ls / failed: $out"; return; }
  { grep -qx proc <<<"$out" && grep -qx etc <<<"$out"; } ||
    fail "ls / in the rootfs shows '$(tr '\n' ' ' <<<"$out")', expected proc and etc among them: $FIX"
}

check_initramfs_contents() {
  local names
  [ -f "$INITRAMFS" ] || { fail "$INITRAMFS is missing: $FIX"; return; }
  names=$(gzip -dc "$INITRAMFS" | cpio --quiet -t) || { fail "$INITRAMFS is not a gzip'd cpio archive: delete it and $FIX"; return; }
  grep -qx init <<<"$names" || { fail "$INITRAMFS has no 'init': check scripts/assets/initramfs.sh"; return; }
  grep -qx bin/busybox <<<"$names" || fail "$INITRAMFS has no 'bin/busybox': check scripts/assets/initramfs.sh"
}

# The modules init loads to mount a virtio-mmio ext4 disk (lab 04), with their load order.
INITRAMFS_MODULES="virtio_ring virtio virtio_mmio virtio_blk crc16 mbcache jbd2 crc32c_generic ext4"

check_initramfs_modules() {
  local names order module
  names=$(gzip -dc "$INITRAMFS" | cpio --quiet -t 2>/dev/null)
  order=$(gzip -dc "$INITRAMFS" | cpio --quiet -i --to-stdout modules/load-order 2>/dev/null)
  [ -n "$order" ] || { fail "$INITRAMFS has no modules/load-order: check scripts/assets/initramfs.sh"; return; }
  for module in $INITRAMFS_MODULES; do
    grep -qx "modules/$module.ko" <<<"$names" ||
      { fail "$INITRAMFS has no modules/$module.ko (it has: $(grep '^modules/' <<<"$names" | tr '\n' ' ')): check MODULES in scripts/assets/initramfs.sh"; return; }
    grep -qx "$module.ko" <<<"$order" ||
      { fail "modules/load-order in $INITRAMFS does not list $module.ko (it lists: $(tr '\n' ' ' <<<"$order"))"; return; }
  done
  INFO="$(wc -l <<<"$order") modules"
}

check_init_executable() {
  local mode
  mode=$(gzip -dc "$INITRAMFS" | cpio --quiet -tv init 2>/dev/null | awk '{ print $1 }')
  [[ "$mode" == -rwx* ]] || fail "'init' in $INITRAMFS has mode '$mode', expected -rwx...: the kernel cannot run it"
}

check_initramfs_reproducible() {
  local again="$WORK/again.cpio.gz"
  bash "$REPO_ROOT/scripts/assets/initramfs.sh" "$BUILD" --out "$again" ||
    { fail "rebuilding the initramfs with scripts/assets/initramfs.sh --out failed"; return; }
  cmp -s "$INITRAMFS" "$again" ||
    fail "a second build of the initramfs differs from $INITRAMFS ($(stat -c %s "$INITRAMFS") vs $(stat -c %s "$again") bytes): something unsorted or timestamped leaks into scripts/assets/initramfs.sh's output"
}

check_qemu_boot() {
  local log="$WORK/console.log" start elapsed rc
  command -v qemu-system-x86_64 >/dev/null ||
    { echo "skip  qemu boot: qemu-system-x86_64 not installed ($FIX)"; REASON=skip; return 1; }
  start=$(date +%s%N)
  timeout 120 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot \
    -kernel "$KERNEL/vmlinuz" -initrd "$INITRAMFS" \
    -append 'console=ttyS0 deploylab.poweroff panic=-1' </dev/null >"$log" 2>&1
  rc=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  INFO=$(printf 'boot to poweroff took %d.%03d s' $((elapsed / 1000)) $((elapsed % 1000)))
  if grep -q 'deploylab-initramfs: init started' "$log" && grep -q 'deploylab-initramfs: powering off' "$log"; then
    grep -q 'could not load module' "$log" || return 0
    fail "init could not load its modules (they must come from the same kernel package as vmlinuz):
$(grep 'could not load module' "$log" | tr -d '\r' | sed 's/^/      | /')"
    return
  fi
  [ "$rc" -eq 124 ] && INFO="timed out after 120 s; " || INFO="qemu exit $rc after ${INFO#boot to poweroff took }; "
  fail "${INFO}expected 'deploylab-initramfs: init started' and 'powering off' on the console; last lines seen:
$(tail -n 15 "$log" | tr -d '\r' | sed 's/^/      | /')"
}

main() {
  echo "assets in $BUILD"
  run_check "kernel: vmlinuz is a bzImage, boot protocol >= 2.12" check_bzimage
  run_check "kernel: VERSION and config" check_version_file
  run_check "kernel: modules tree has kvm-amd, 9p, 9pnet_virtio, virtio_blk" check_modules
  run_check "kubectl: version --client runs" check_kubectl
  run_check "rootfs: chroot /bin/sh -c 'echo ok'" check_rootfs_shell
  run_check "rootfs: chroot /bin/ls /" check_rootfs_applet
  run_check "initramfs: lists init and bin/busybox" check_initramfs_contents
  run_check "initramfs: init is executable" check_init_executable
  run_check "initramfs: carries the virtio-mmio and ext4 modules, in load order" check_initramfs_modules
  run_check "initramfs: rebuild gives the same bytes" check_initramfs_reproducible
  run_check "initramfs: boots the kernel under QEMU TCG, loads its modules and powers off" check_qemu_boot
  echo "assets: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

main
