#!/usr/bin/env bash
# The main job, on built-in defaults: a simulated venue over real TLS, the
# edgefeed daemon writing its books into shared memory, a consumer process
# reading them through the C ABI, and edgestat watching. Ends by checking that
# the shared-memory book equals the venue's truth, entry for entry.
#   tools/demo.sh          (EDGEFEED_DEMO_SECONDS=20 by default)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${EDGEFEED_DEMO_SECONDS:-20}

"$root/tools/setup.sh" release
bin="$root/build/release"
run=$(mktemp -d /tmp/edgefeed-demo.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "venue simulator: edgesim (TLS on 127.0.0.1, its own test CA, 2000 updates/s for ${seconds}s)"
"$bin/tools/edgesim/edgesim" --port 0 --port-file "$run/port" --state-dir "$run/sim" \
    --contests 8 --positions 32 --rate 2000 --rate-seconds "$seconds" \
    --truth-file "$run/truth.jsonl" >"$run/edgesim.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$run/port" ] && break; sleep 0.1; done
port=$(cat "$run/port")
cat "$run/edgesim.log"

say "daemon: edgefeed (built-in defaults; venue URL, CA, key file and contests on the command line)"
printf 'sim-key\n' >"$run/api.key"
chmod 600 "$run/api.key"
cores=0
[ "$(nproc)" -gt 1 ] && cores=1 # keep the spinning loop off the core the others share
# One position whose full per-partner depth the daemon keeps (GET /depth).
first=$(head -n 1 "$run/sim/contests.txt")
printf '[openmarkets.depth]\npositions = ["%s:mk_ml:side_home:var_0:p_team0:tf_full"]\n' "$first" >"$run/edgefeed.toml"
# The order path: OpenMarkets orders go to the feed's REST host on defaults;
# Connect Trade needs its host and credentials (secrets in files, mode 0600).
printf 'sim-client-secret\n' >"$run/ct-client.secret"
printf 'ct-user-secret\n' >"$run/ct-user.secret"
chmod 600 "$run/ct-client.secret" "$run/ct-user.secret"
cat >>"$run/edgefeed.toml" <<TOML
[orders.connecttrade]
enabled = true
rest_url = "https://127.0.0.1:$port"
ca_file = "$run/sim/ca.pem"
client_id = "sim-client"
client_secret_file = "$run/ct-client.secret"
[[orders.connecttrade.accounts]]
account_id = "ct-acct-1"
user_id = "ct-user"
user_secret_file = "$run/ct-user.secret"
TOML
"$bin/src/daemon/edgefeed" --venue "wss://127.0.0.1:$port/flow/v1/stream" \
    --ca-file "$run/sim/ca.pem" --api-key-file "$run/api.key" --cores "$cores" \
    --config "$run/edgefeed.toml" --journal-dir "$run/journal" \
    --contest "$(paste -sd, "$run/sim/contests.txt")" >"$run/edgefeed.log" 2>&1 &
pids+=($!)
"$bin/tools/edgestat/edgestat" --wait 10 >/dev/null
sleep 1
cat "$run/edgefeed.log"

say "consumer: edgefeed-consumer follows the journal through the C ABI (one line a second)"
"$bin/tools/example_consumer/edgefeed-consumer" --quiet --seconds "$((seconds - 4))" &
pids+=($!)

rounds=$(((seconds - 4) / 5))
for i in $(seq 1 "$rounds"); do
    sleep 5
    if [ "$i" = 1 ]; then
        say "fault: the venue drops the TCP connection; edgefeed reconnects (TLS resumed) and resyncs every contest by REST"
        python3 - "$port" "$run/sim/ca.pem" <<'PY'
import ssl, sys, urllib.request
ctx = ssl.create_default_context(cafile=sys.argv[2])
urllib.request.urlopen(urllib.request.Request(
    f"https://127.0.0.1:{sys.argv[1]}/_sim/fault?kind=drop", method="POST"), context=ctx).read()
PY
        sleep 2
    fi
    say "edgestat"
    "$bin/tools/edgestat/edgestat"
done
wait "${pids[2]}" || true

say "after the burst: the book in shared memory against the venue's truth"
sleep 4
kill -USR1 "${pids[0]}"
sleep 0.5
"$bin/tools/edgestat/edgestat" book --json >"$run/book.jsonl"
entries=$(wc -l <"$run/book.jsonl")
"$bin/tools/edgestat/edgestat" book >"$run/book.txt"
head -n 12 "$run/book.txt"
echo "... ($entries entries in all)"
if cmp -s "$run/book.jsonl" "$run/truth.jsonl"; then
    printf '\n\033[1;32mthe shared-memory book equals the venue truth: %s entries, exact decimals\033[0m\n' "$entries"
else
    printf '\n\033[1;31mthe book differs from the venue truth\033[0m\n'
    diff "$run/truth.jsonl" "$run/book.jsonl" | head -n 20
    exit 1
fi
say "live contest state (contest_state channel) and full depth (GET /depth) in shared memory"
"$bin/tools/edgestat/edgestat" state
"$bin/tools/edgestat/edgestat" depth | head -n 12
say "orders: a strategy acts on the book through shared memory (edgeorder, as strategy 'default')"
order() { "$bin/tools/edgeorder/edgeorder" --strategy default "$@" || true; }
# The cheapest offer in the book, and the position it is at.
read -r pos price < <("$bin/tools/edgestat/edgestat" book --json | python3 -c '
import json, sys
from decimal import Decimal
best = min((json.loads(l) for l in sys.stdin), key=lambda e: (Decimal(e["price"]), e["liquidity_hash"]))
print(best["liquidity_hash"].split(":", 1)[1], best["price"])')
echo "OpenMarkets buy, 5 shares at most $price, at $pos:"
order om-buy --account demo-user --position "$pos" --shares 5 --max-price "$price"
echo "Connect Trade market buy of 500 USD of AAPL:"
order ct-new --account ct-acct-1 --broker alpaca --side buy --type MKT --tif DAY --instrument EQUITY --symbol AAPL --notional 500
echo "Connect Trade limit buy below the market (works), then cancelled:"
working=$(order ct-new --json --account ct-acct-1 --broker alpaca --side buy --type LMT --tif GTC --instrument EQUITY --symbol MSFT --qty 1 --limit 400 |
    python3 -c 'import json, sys; r = json.loads(sys.stdin.read().splitlines()[-1]); print(r["order_id"]); print(r["outcome"], r["venue_status"], file=sys.stderr)')
order ct-cancel --account ct-acct-1 --order-id "$working"
echo "pre-trade risk: a price above 1 never leaves the box:"
order om-buy --account demo-user --position "$pos" --amount 10 --max-price 1.5
echo "kill switch: edgestat halt, an order is refused at once, edgestat resume:"
"$bin/tools/edgestat/edgestat" halt
order om-buy --account demo-user --position "$pos" --amount 1 --max-price "$price"
"$bin/tools/edgestat/edgestat" resume
say "edgestat orders: each order's life, from the on-disk journal"
"$bin/tools/edgestat/edgestat" orders --journal-dir "$run/journal"

say "final edgestat"
"$bin/tools/edgestat/edgestat"
echo "(logs and files of this run: $run)"
