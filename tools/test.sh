#!/usr/bin/env bash
# Installs what is missing, builds, and passes the whole test suite:
#   release build: unit, fuzz-corpus replay and end-to-end tests
#   ASan+UBSan build: the same suites but the per-fault tests; a longer soak
#   TSan build: the shared-memory tests (seqlock, journal, two processes)
#   libFuzzer: every fuzz target for EDGEFEED_FUZZ_SECONDS (default 30) each
# `tools/test.sh quick` runs the release build's suites only.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-full}
say() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }

if [ "$mode" = quick ]; then
    "$root/tools/setup.sh" release
    meson test -C "$root/build/release" --print-errorlogs
    exit 0
fi

"$root/tools/setup.sh" release asan tsan fuzz

say "release build: all suites (soak ${EDGEFEED_SOAK_SECONDS_RELEASE:-30} s)"
EDGEFEED_SOAK_SECONDS=${EDGEFEED_SOAK_SECONDS_RELEASE:-30} meson test -C "$root/build/release" --print-errorlogs

# The per-fault tests ran above; under ASan the soak (every fault, at random,
# for longer) covers the same paths for leaks and memory errors.
say "ASan + UBSan build: all suites but the per-fault tests (soak ${EDGEFEED_SOAK_SECONDS:-60} s)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    EDGEFEED_SOAK_SECONDS=${EDGEFEED_SOAK_SECONDS:-60} \
    meson test -C "$root/build/asan" --print-errorlogs --timeout-multiplier 3 --no-suite faults

say "TSan build: shared-memory tests"
# --no-rebuild: setup.sh built only this suite's tests in this variant.
TSAN_OPTIONS=halt_on_error=1 meson test -C "$root/build/tsan" --no-rebuild --print-errorlogs --suite tsan

say "libFuzzer: each target for ${EDGEFEED_FUZZ_SECONDS:-30} s"
"$root/tools/fuzz.sh" "${EDGEFEED_FUZZ_SECONDS:-30}"
say "all tests passed"
