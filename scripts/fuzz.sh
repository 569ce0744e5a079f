#!/usr/bin/env bash
# scripts/fuzz.sh: builds deploylab's fuzz targets with libFuzzer and runs each for a while.
# Called by `make fuzz`, or by hand:
#   bash scripts/fuzz.sh [TARGET ...]         (default: every target in BUILD_FUZZ/bin/fuzz)
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh serial_uart_fuzz
# Environment: BUILD_FUZZ (default build-fuzz), FUZZ_SECONDS per target (default 60), BUILD, the
# main build, whose kernel seeds the bzImage target (default build), JOBS (default nproc).
# cmake/DeploylabFuzz.cmake explains the fuzz build; hypervisor/fuzz.cmake lists the targets.
#
# Steps:
#   1. configure BUILD_FUZZ once, with clang++ and -DDEPLOYLAB_FUZZ=ON;
#   2. build only the fuzz targets (deploylab_fuzz_targets);
#   3. run each with its corpus in BUILD_FUZZ/fuzz/corpus/NAME (kept between runs, so each run
#      starts where the last one stopped), crash inputs in BUILD_FUZZ/fuzz/crashes/NAME and
#      libFuzzer's chatter in BUILD_FUZZ/fuzz/NAME.log; print one line per target;
#   4. exit 1 if any target crashed, naming the input that reproduces it.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
LOG_TAG=fuzz
# shellcheck source=scripts/lib.sh
. "$SCRIPT_DIR/lib.sh"

BUILD_FUZZ=$(realpath -m "${BUILD_FUZZ:-$REPO_ROOT/build-fuzz}")
BUILD=$(realpath -m "${BUILD:-$REPO_ROOT/build}")
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
KERNEL="$BUILD/assets/kernel/vmlinuz"
WORK="$BUILD_FUZZ/fuzz"

# 1. Configure.
command -v clang++ >/dev/null ||
  die "clang++ not found: the fuzz build needs clang and libFuzzer; run 'make deps' (scripts/packages.txt lists clang)"
if [ ! -f "$BUILD_FUZZ/CMakeCache.txt" ]; then
  note "configuring $BUILD_FUZZ (clang++, -DDEPLOYLAB_FUZZ=ON)"
  cmake -S "$REPO_ROOT" -B "$BUILD_FUZZ" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DDEPLOYLAB_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
grep -q '^DEPLOYLAB_FUZZ:BOOL=ON' "$BUILD_FUZZ/CMakeCache.txt" ||
  die "$BUILD_FUZZ is a build without -DDEPLOYLAB_FUZZ=ON; point BUILD_FUZZ at another directory"

# 2. Build.
cmake --build "$BUILD_FUZZ" -j "$JOBS" --target deploylab_fuzz_targets

# seed NAME CORPUS: starting inputs, so the fuzzer need not discover a file format from nothing.
# For the bzImage parser: the kernel's first 64 KiB (which the parser refuses as truncated), and
# the same bytes with syssize (u32 at 0x1f4, in 16-byte units) shrunk to what follows the setup
# sectors, which the parser accepts, so both paths are explored from the first run.
seed() {
  local name=$1 corpus=$2
  [ "$name" = bzimage_fuzz ] && [ -f "$KERNEL" ] || return 0
  [ -e "$corpus/seed-vmlinuz-64k" ] && return 0
  head -c 65536 "$KERNEL" >"$corpus/seed-vmlinuz-64k"
  local sectors
  sectors=$(od -An -tu1 -j $((0x1f1)) -N1 "$corpus/seed-vmlinuz-64k" | tr -d ' ')
  [ "$sectors" -eq 0 ] && sectors=4
  local syssize=$(((65536 - (sectors + 1) * 512) / 16))
  cp "$corpus/seed-vmlinuz-64k" "$corpus/seed-vmlinuz-64k-fitted"
  printf '%b' "$(printf '\\x%02x' $((syssize & 255)) $((syssize >> 8 & 255)) $((syssize >> 16 & 255)) \
    $((syssize >> 24)))" |
    dd of="$corpus/seed-vmlinuz-64k-fitted" bs=1 seek=$((0x1f4)) conv=notrunc status=none
}

# run_target NAME: fuzz one target for FUZZ_SECONDS; returns non-zero if it crashed.
run_target() {
  local name=$1 binary="$BUILD_FUZZ/bin/fuzz/$1"
  [ -x "$binary" ] || die "no fuzz target $name in $BUILD_FUZZ/bin/fuzz (hypervisor/fuzz.cmake lists them)"
  local corpus="$WORK/corpus/$name" crashes="$WORK/crashes/$name/" log="$WORK/$name.log"
  mkdir -p "$corpus" "$crashes"
  seed "$name" "$corpus"
  # libFuzzer's longest input is its default 4 KiB, or the longest seed (the 64 KiB kernel head).
  if "$binary" -max_total_time="$FUZZ_SECONDS" -artifact_prefix="$crashes" \
       -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    printf '%-24s ok: %s, corpus %s inputs\n' "$name" \
      "$(grep -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" || echo 'done')" \
      "$(find "$corpus" -type f | wc -l)"
    return 0
  fi
  printf '%-24s CRASHED (log: %s)\n' "$name" "$log"
  grep -E 'ERROR|check failed|SUMMARY|Test unit written to' "$log" | head -n 8 | sed 's/^/    /'
  return 1
}

# 3. Run.
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for binary in "$BUILD_FUZZ"/bin/fuzz/*; do targets+=("$(basename "$binary")"); done
fi
failed=0
for name in "${targets[@]}"; do
  run_target "$name" || failed=1
done

# 4. Report.
if [ "$failed" -ne 0 ]; then
  die "a fuzz target crashed; replay the input with $BUILD_FUZZ/bin/fuzz/NAME CRASH-FILE" \
    "(or with the normal build's bin/fuzz/NAME, which runs under gdb without sanitizers)"
fi
