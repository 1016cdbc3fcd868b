"""One end-to-end test per venue fault (issue 3), over TLS on loopback:
edgesim injects the fault while updates flow; afterwards the daemon's book
must equal the simulator's truth entry for entry, and a separate reader
process (the example consumer's --watch-contests) must have seen the
contests that were out of sync marked stale, and fresh again at the end."""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import CONSUMER, Daemon, Sim, _procs, run, wait_until  # noqa: E402

# Fast reconnects and REST retries keep each case to a few seconds; the
# production defaults are the seed's (1 s doubling to 30 s).
CONFIG = """
[openmarkets.backoff]
initial_ms = 100
max_ms = 1000
healthy_after_ms = 500
[openmarkets.timeouts]
rest_timeout_ms = 1500
heartbeat_timeout_ms = 1500
app_ping_interval_ms = 300
"""

WATCH_SECONDS = 7


class Case:
    def __init__(self, sim_args=(), config=CONFIG, contests=3):
        self.sim = Sim("--contests", str(contests), "--positions", "6", "--rate", "150",
                       "--ping-interval-ms", "200", *sim_args)
        self.daemon = Daemon(self.sim.url(), self.sim.ca, self.sim.contests, config_text=config)
        self.daemon.wait_live()
        self.wait_all_fresh("the first sync")
        self.watch = subprocess.Popen(
            [CONSUMER(), "--instance", self.daemon.instance, "--watch-contests", str(WATCH_SECONDS)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _procs.append(self.watch)
        time.sleep(0.3)  # the watcher has seen everything fresh

    def contests(self):
        return {c["id"]: c for c in self.daemon.stats()["contests"]}

    def wait_all_fresh(self, what, timeout=30):
        return wait_until(f"every contest fresh after {what}",
                          lambda: all(c["sync"] == "fresh" for c in self.contests().values()),
                          timeout, 0.1)

    def fault(self, kind, **params):
        q = "&".join(f"{k}={v}" for k, v in params.items())
        return json.loads(self.sim.call(f"/_sim/fault?kind={kind}" + (f"&{q}" if q else ""), "POST"))

    def fired(self, kind):
        return self.sim.status()["faults"]["fired"][kind]

    def wait_fired(self, kind, n=1, timeout=20):
        return wait_until(f"fault {kind} to fire", lambda: self.fired(kind) >= n, timeout, 0.05)

    def settle(self, fault_what):
        """Updates stop, everything sent; the book must be the truth and every
        contest fresh; the watcher must have seen staleness and the end."""
        self.wait_all_fresh(fault_what)
        self.sim.rate(0)
        self.sim.wait_sent()
        time.sleep(0.2)
        self.daemon.wait_book_equals(self.sim.truth(), timeout=30)
        out, err = self.watch.communicate(timeout=WATCH_SECONDS + 20)
        summaries = {}
        for line in out.splitlines():
            if line.startswith("summary "):
                f = line.split()
                summaries[f[1]] = dict(kv.split("=") for kv in f[2:])
        assert summaries, f"the watcher printed no summary: {out!r} {err!r}"
        return summaries

    def conn(self, i=0):
        return self.daemon.stats()["connections"][i]

    def close(self):
        assert self.daemon.stop() == 0
        self.sim.stop()


def assert_stale_seen(summaries, contests=None):
    seen = [c for c, s in summaries.items() if s["stale_seen"] == "1"]
    if contests is None:
        assert seen, f"no reader saw a contest stale: {summaries}"
    else:
        assert set(contests) <= set(seen), f"stale not seen for {set(contests) - set(seen)}: {summaries}"
    assert all(s["fresh_at_end"] == "1" for s in summaries.values()), summaries


# ------------------------------------------------------------ the cases

def test_refresh_required_resyncs_the_contest():
    c = Case()
    target = c.sim.contests[0]
    before = c.contests()[target]["resyncs"]
    c.fault("rest_slow", ms=300)  # the reader has time to see the stale window
    c.fault("refresh_required", contest=target)
    c.wait_fired("refresh_required")
    wait_until("a resync", lambda: c.contests()[target]["resyncs"] > before, 10)
    c.fault("rest_slow", ms=0)
    assert_stale_seen(c.settle("refresh_required"), [target])
    c.close()


def test_snapshot_change_while_updates_are_held_converges():
    c = Case()
    target = c.sim.contests[1]
    c.fault("rest_slow", ms=400)
    c.fault("snapshot_change", contest=target)
    c.fault("refresh_required", contest=target)  # makes the client take that snapshot
    c.wait_fired("snapshot_change")
    wait_until("updates held during the snapshot",
               lambda: c.contests()[target]["held_updates"] > 0 and c.contests()[target]["sync"] == "fresh", 10)
    c.fault("rest_slow", ms=0)
    assert_stale_seen(c.settle("snapshot_change"), [target])
    c.close()


def test_abrupt_drop_reconnects_and_resyncs_everything():
    c = Case()
    c.fault("drop")
    c.wait_fired("drop")
    wait_until("a reconnect", lambda: c.conn()["reconnects"] >= 1, 10)
    s = c.settle("drop")
    assert_stale_seen(s, c.sim.contests)
    assert c.conn()["tls_resumed"] >= 1, "the reconnect resumes the TLS session"
    c.close()


def test_stall_is_detected_by_the_heartbeat_and_recovers():
    c = Case()
    c.fault("stall", ms=4000)
    c.wait_fired("stall")
    wait_until("the heartbeat timeout", lambda: c.conn()["errors"]["heartbeat_timeout"] >= 1, 10)
    assert_stale_seen(c.settle("stall"), c.sim.contests)
    c.close()


def check_protocol_fault(kind, error, close_reason=None):
    c = Case()
    c.fault(kind)
    c.wait_fired(kind)
    wait_until(f"{error} counted", lambda: c.conn()["errors"][error] >= 1, 10)
    assert_stale_seen(c.settle(kind), c.sim.contests)
    c.close()


def test_garbage_frame_closes_with_1002_and_resyncs():
    check_protocol_fault("garbage", "ws_protocol_violation")


def test_truncated_frame_reconnects_and_resyncs():
    c = Case()
    c.fault("truncated")
    c.wait_fired("truncated")
    wait_until("a reconnect", lambda: c.conn()["reconnects"] >= 1, 10)
    assert_stale_seen(c.settle("truncated"), c.sim.contests)
    c.close()


def test_invalid_json_is_counted_and_resynced():
    c = Case()
    c.fault("rest_slow", ms=300)
    c.fault("invalid_json")
    c.wait_fired("invalid_json")
    wait_until("json_malformed counted", lambda: c.conn()["errors"]["json_malformed"] >= 1, 10)
    c.fault("rest_slow", ms=0)
    assert_stale_seen(c.settle("invalid_json"))
    c.close()


def test_invalid_utf8_closes_with_1007_and_resyncs():
    check_protocol_fault("invalid_utf8", "ws_invalid_utf8")


def test_fragmented_messages_with_pings_between_fragments():
    c = Case()
    pings = c.conn()["pings_answered"]
    c.fault("fragment")
    c.fault("rest_slow", ms=300)
    c.fault("refresh_required", contest=c.sim.contests[2])
    c.wait_fired("refresh_required")
    time.sleep(1.0)
    c.fault("rest_slow", ms=0)
    s = c.settle("fragment")
    assert c.conn()["pings_answered"] > pings, "pings between fragments were answered"
    assert all(v == 0 for k, v in c.conn()["errors"].items()), c.conn()["errors"]
    assert_stale_seen(s, [c.sim.contests[2]])
    c.close()


def test_big_message_with_a_64_bit_length():
    c = Case()
    c.fault("rest_slow", ms=300)
    c.fault("big")
    c.fault("refresh_required", contest=c.sim.contests[0])
    c.wait_fired("big")
    c.fault("rest_slow", ms=0)
    s = c.settle("big")
    assert c.conn()["errors"]["ws_message_too_big"] == 0
    assert_stale_seen(s, [c.sim.contests[0]])
    c.close()


def check_upgrade_rejection(kind, status):
    c = Case()
    c.fault(kind, count=2)
    c.fault("drop")
    c.wait_fired(kind, 2)
    wait_until("the rejections reported", lambda: c.conn()["errors"]["http_upgrade_rejected"] >= 2, 10)
    text = c.conn()["last_error"]
    assert str(status) in text or c.conn()["errors"]["http_upgrade_rejected"] >= 2, text
    s = c.settle(kind)
    assert_stale_seen(s, c.sim.contests)
    # Backoff, not a tight loop: two rejections, a handful of attempts.
    assert c.sim.status()["upgrades"] < 12, c.sim.status()
    c.close()


def test_upgrade_rejected_401_is_reported_and_retried_with_backoff():
    check_upgrade_rejection("reject_upgrade_401", 401)


def test_upgrade_rejected_429_is_reported_and_retried_with_backoff():
    check_upgrade_rejection("reject_upgrade_429", 429)


def test_rest_failures_5xx_leave_the_contest_stale_then_retry():
    c = Case()
    target = c.sim.contests[0]
    c.fault("rest_fail", count=3)
    c.fault("refresh_required", contest=target)
    c.wait_fired("rest_fail", 1)
    wait_until("snapshot failures counted", lambda: c.conn()["errors"]["snapshot_failed"] >= 1, 10)
    assert_stale_seen(c.settle("rest_fail"), [target])
    c.close()


def test_rest_hang_times_out_and_retries():
    c = Case()
    target = c.sim.contests[1]
    c.fault("rest_hang", count=1)
    c.fault("refresh_required", contest=target)
    c.wait_fired("rest_hang", 1)
    wait_until("the REST timeout", lambda: any(x["timeouts"] >= 1 for x in c.daemon.stats()["connections"]), 10)
    assert_stale_seen(c.settle("rest_hang"), [target])
    c.close()


def test_rest_slow_keeps_the_contest_stale_until_its_snapshot():
    c = Case()
    target = c.sim.contests[2]
    c.fault("rest_slow", ms=800)
    c.fault("refresh_required", contest=target)
    c.wait_fired("refresh_required")
    wait_until("the contest stale while its snapshot is slow",
               lambda: c.contests()[target]["sync"] == "stale", 5, 0.02)
    c.fault("rest_slow", ms=0)
    assert_stale_seen(c.settle("rest_slow"), [target])
    c.close()


def test_hold_overflow_drops_held_updates_and_snapshots_again():
    # A tiny hold buffer and a slow snapshot: the held updates overflow, are
    # dropped and counted, and a later snapshot still brings the truth.
    c = Case(config=CONFIG + "[capacity]\nhold_bytes = 65536\n", sim_args=("--entries", "8"))
    target = c.sim.contests[0]
    c.sim.rate(1500)
    c.fault("rest_slow", ms=1200)
    c.fault("refresh_required", contest=target)
    wait_until("hold_full counted", lambda: c.conn()["errors"]["hold_full"] >= 1, 15)
    c.fault("rest_slow", ms=0)
    assert_stale_seen(c.settle("hold overflow"), [target])
    c.close()


if __name__ == "__main__":
    run([
        test_refresh_required_resyncs_the_contest,
        test_snapshot_change_while_updates_are_held_converges,
        test_abrupt_drop_reconnects_and_resyncs_everything,
        test_stall_is_detected_by_the_heartbeat_and_recovers,
        test_garbage_frame_closes_with_1002_and_resyncs,
        test_truncated_frame_reconnects_and_resyncs,
        test_invalid_json_is_counted_and_resynced,
        test_invalid_utf8_closes_with_1007_and_resyncs,
        test_fragmented_messages_with_pings_between_fragments,
        test_big_message_with_a_64_bit_length,
        test_upgrade_rejected_401_is_reported_and_retried_with_backoff,
        test_upgrade_rejected_429_is_reported_and_retried_with_backoff,
        test_rest_failures_5xx_leave_the_contest_stale_then_retry,
        test_rest_hang_times_out_and_retries,
        test_rest_slow_keeps_the_contest_stale_until_its_snapshot,
        test_hold_overflow_drops_held_updates_and_snapshots_again,
    ])
