#!/usr/bin/env bash
# tests/assets/deps_idempotent_test.sh: `make deps` must be cheap and silent once done, since
# the build runs it often. Runs scripts/deps.sh twice against BUILD_DIR and checks that the
# second run exits 0 and prints nothing (no apt-get, no asset rebuild).
# Usage: bash tests/assets/deps_idempotent_test.sh [BUILD_DIR]   (registered in CTest)
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-$REPO_ROOT/build}
DEPS="$REPO_ROOT/scripts/deps.sh"
LOG1=$(mktemp); LOG2=$(mktemp); trap 'rm -f "$LOG1" "$LOG2"' EXIT

# run_deps LOG: run deps.sh with all its output in LOG; its exit code is ours.
run_deps() { bash "$DEPS" --build-dir "$BUILD" >"$1" 2>&1; }

main() {
  local start ms rc
  run_deps "$LOG1" || {
    echo "FAIL  first run of scripts/deps.sh --build-dir $BUILD failed:"; sed 's/^/      | /' "$LOG1"
    echo "deps: 0 passed, 1 failed"; return 1; }
  start=$(date +%s%N)
  run_deps "$LOG2"; rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$rc" -ne 0 ] || [ -s "$LOG2" ]; then
    echo "FAIL  second run of scripts/deps.sh exited $rc and printed $(wc -l <"$LOG2") lines (expected exit 0, no output):"
    sed 's/^/      | /' "$LOG2"
    echo "      something is not idempotent: a package in scripts/packages.txt that dpkg never reports installed, or an asset script whose stamp never matches"
    echo "deps: 0 passed, 1 failed"; return 1
  fi
  printf 'ok    second run of scripts/deps.sh is silent (%d.%03d s)\n' $((ms / 1000)) $((ms % 1000))
  echo "deps: 1 passed, 0 failed"
}

main
