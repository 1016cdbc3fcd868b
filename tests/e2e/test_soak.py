"""Bounded soak with random faults (issue 3): the simulator fires random
stream faults (drops, stalls, garbage, truncated and invalid frames,
refresh_required, silent snapshot changes, big messages) while this test
adds random REST faults (slow, failing, hanging answers), for
EDGEFEED_SOAK_SECONDS (default 90; longer by hand). Then the venue goes
quiet and the book must converge to the truth; after warm-up the daemon
must not have allocated at all, reconnects and resyncs included; and it must
stop cleanly (under ASan, a leak makes the exit status non-zero)."""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Daemon, Sim, Skip, run, wait_until  # noqa: E402

SECONDS = float(os.environ.get("EDGEFEED_SOAK_SECONDS", "90"))

CONFIG = """
[openmarkets]
connections = 2
[openmarkets.backoff]
initial_ms = 50
max_ms = 800
healthy_after_ms = 300
[openmarkets.timeouts]
rest_timeout_ms = 800
heartbeat_timeout_ms = 1200
app_ping_interval_ms = 300
"""


def test_random_faults_converge_without_allocating_or_leaking():
    rng = random.Random(int(os.environ.get("EDGEFEED_SOAK_SEED", "7")))
    sim = Sim("--contests", "6", "--positions", "12", "--rate", "400", "--ping-interval-ms", "200",
              "--seed", str(rng.randrange(1 << 30)))
    d = Daemon(sim.url(), sim.ca, sim.contests, config_text=CONFIG)
    d.wait_live(connections=2)
    stats = d.stats()
    if stats["tls_crypto"] != "aes-ni":
        raise Skip("fallback wolfSSL (no source build): it allocates per record")

    # Warm-up: one of every fault, so every path has run once (pools grown,
    # positions and partners created, tickets received).
    for kind in ["drop", "refresh_required", "garbage", "stall&ms=1500", "invalid_json", "big",
                 "truncated", "invalid_utf8", "snapshot_change"]:
        sim.call(f"/_sim/fault?kind={kind}", "POST")
        time.sleep(0.4)
    for kind in ["rest_slow&ms=300", "rest_fail&count=2", "rest_hang&count=1"]:
        sim.call(f"/_sim/fault?kind={kind}", "POST")
        sim.call("/_sim/fault?kind=refresh_required", "POST")
        time.sleep(1.0)
    sim.call("/_sim/fault?kind=rest_slow&ms=0", "POST")
    wait_until("everything fresh after warm-up",
               lambda: all(c["sync"] == "fresh" for c in d.stats()["contests"]), 30, 0.2)
    before = d.stats()

    sim.call(f"/_sim/chaos?period_ms=700&seed={rng.randrange(1 << 30)}", "POST")
    end = time.monotonic() + SECONDS
    rest_faults = 0
    while time.monotonic() < end:
        assert d.alive(), d.log_text()[-3000:]
        time.sleep(rng.uniform(0.5, 2.5))
        kind = rng.choice(["rest_slow&ms=200", "rest_fail&count=2", "rest_hang&count=1", "none", "none"])
        if kind != "none":
            sim.call(f"/_sim/fault?kind={kind}", "POST")
            rest_faults += 1
        if kind.startswith("rest_slow"):
            time.sleep(0.5)
            sim.call("/_sim/fault?kind=rest_slow&ms=0", "POST")
    sim.call("/_sim/chaos?period_ms=0", "POST")
    sim.call("/_sim/fault?kind=rest_slow&ms=0", "POST")
    sim.rate(0)
    sim.wait_sent()
    wait_until("every contest fresh after the soak",
               lambda: all(c["sync"] == "fresh" for c in d.stats()["contests"]), 60, 0.2)
    d.wait_book_equals(sim.truth(), timeout=60)

    after = d.stats()
    fired = sim.status()["faults"]["chaos_fired"]
    reconnects = sum(c["reconnects"] for c in after["connections"]) - \
        sum(c["reconnects"] for c in before["connections"])
    resyncs = sum(c["resyncs"] for c in after["contests"]) - sum(c["resyncs"] for c in before["contests"])
    grew = after["allocs_since_ready"] - before["allocs_since_ready"]
    print(f"     {SECONDS:.0f} s: {fired} stream faults, {rest_faults} REST faults, "
          f"{reconnects} reconnects, {resyncs} resyncs, {grew} allocations")
    assert fired >= SECONDS / 2, f"only {fired} faults fired"
    assert reconnects > 0 and resyncs > 0, (reconnects, resyncs)
    assert grew == 0, (f"{grew} heap allocations ({after['alloc_bytes_since_ready'] - before['alloc_bytes_since_ready']}"
                       f" bytes) after warm-up")
    assert d.stop() == 0, d.log_text()[-3000:]
    sim.stop()


if __name__ == "__main__":
    run([test_random_faults_converge_without_allocating_or_leaking])
