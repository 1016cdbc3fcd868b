#!/usr/bin/env bash
# Runs every libFuzzer target of build/fuzz for SECONDS each, starting from
# its committed seed corpus (tests/fuzz/corpus/<target>); new inputs go to a
# scratch directory so the committed corpus only changes on purpose.
#   tools/fuzz.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-30}
work=$(mktemp -d /tmp/edgefeed-fuzz.XXXXXX)
# One libFuzzer process per core: each is single-threaded, so on N cores N
# targets run side by side for the same time each.
parallel=$(nproc 2>/dev/null || echo 1)

run_one() {
    local exe=$1 name=$2
    mkdir -p "$work/$name"
    if "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/$name-" \
        "$work/$name" "$root/tests/fuzz/corpus/$name" >"$work/$name.log" 2>&1; then
        echo ok >"$work/$name.status"
    else
        echo failed >"$work/$name.status"
    fi
}

names=()
for exe in "$root"/build/fuzz/tests/fuzz/fuzz_*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    name=$(basename "$exe")
    name=${name#fuzz_}
    names+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
    run_one "$exe" "$name" &
done
wait

status=0
for name in "${names[@]}"; do
    printf '[fuzz] %-24s ' "$name"
    if [ "$(cat "$work/$name.status" 2>/dev/null)" = ok ]; then
        grep -E '^stat::number_of_executed_units' "$work/$name.log" | awk '{print $2 " runs, no crash"}'
    else
        echo "FAILED (log: $work/$name.log)"
        tail -n 40 "$work/$name.log"
        status=1
    fi
done
exit $status
