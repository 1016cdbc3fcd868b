"""The order path end to end over TLS on loopback (issue 4): strategies
submit through shared memory with edgeorder (built on the C ABI), the
daemon checks and sends to edgesim's OpenMarkets and Connect Trade order
endpoints, and every outcome is checked against what the simulated venue
recorded: fills walked over its depth, rejects, strict fields never sent,
every risk limit and the kill switch, unknown-then-reconciled after a
dropped connection (never a duplicate), the journal after a killed daemon,
and zero heap allocations per order after warm-up."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import EDGESTAT, Daemon, Sim, Skip, exe, run, wait_until  # noqa: E402

EDGEORDER = lambda: exe("tools/edgeorder/edgeorder")
E9 = 10**9

CT_CLIENT_SECRET = "sim-client-secret"
CT_USER_SECRET = "ct-user-secret"


def daemon_config(sim, journal_dir, secrets_dir, extra=""):
    client_secret = os.path.join(secrets_dir, "ct-client.secret")
    user_secret = os.path.join(secrets_dir, "ct-user.secret")
    for path, value in ((client_secret, CT_CLIENT_SECRET), (user_secret, CT_USER_SECRET)):
        with open(path, "w") as f:
            f.write(value + "\n")
        os.chmod(path, 0o600)
    return f"""
[daemon]
# Several daemons share two cores in this test: spin briefly, then sleep.
idle = "spin-then-sleep"

[orders]
idle = "spin-then-sleep"
journal_dir = "{journal_dir}"
request_timeout_ms = 1500
reconcile_interval_ms = 200
warm_interval_ms = 50

[orders.default_limits]
max_order_qty = "5000"
max_order_notional = "1000"
max_open_notional = "20000"
max_daily_notional = "100000"
max_orders_per_s = 1000
fat_finger_bps = 2000

[[orders.strategies]]
name = "alpha"
accounts = ["demo-user", "stranger", "ct-acct-1", "ct-acct-2", "ct-acct-9"]

[[orders.strategies]]
name = "slow"
accounts = ["demo-user"]
max_orders_per_s = 3

[[orders.strategies]]
name = "small"
accounts = ["demo-user", "ct-acct-1"]
max_order_notional = "20"
max_order_qty = "30"
max_open_notional = "40"
max_daily_notional = "60"

[orders.connecttrade]
enabled = true
rest_url = "https://127.0.0.1:{sim.port}"
ca_file = "{sim.ca}"
client_id = "sim-client"
client_secret_file = "{client_secret}"

[[orders.connecttrade.accounts]]
account_id = "ct-acct-1"
user_id = "ct-user"
user_secret_file = "{user_secret}"

[[orders.connecttrade.accounts]]
account_id = "ct-acct-2"
user_id = "ct-user"
user_secret_file = "{user_secret}"

# Credentials the daemon has, for an account the venue's user does not own.
[[orders.connecttrade.accounts]]
account_id = "ct-acct-9"
user_id = "ct-user"
user_secret_file = "{user_secret}"
{extra}"""


class Venue:
    """edgesim with both venues' order endpoints, and a daemon trading on it."""

    def __init__(self, extra_config="", sim_args=()):
        self.sim = Sim("--contests", "2", "--positions", "8", "--rate", "0", "--seed", "44", *sim_args)
        self.journal = tempfile.mkdtemp(prefix="edgefeed-journal-")
        self.secrets = tempfile.mkdtemp(prefix="edgefeed-secrets-")
        self.extra_config = extra_config
        RUNNING.append(self)
        self.start_daemon()

    def start_daemon(self, instance=None):
        self.daemon = Daemon(self.sim.url(), self.sim.ca, self.sim.contests, instance=instance,
                             config_text=daemon_config(self.sim, self.journal, self.secrets, self.extra_config),
                             extra=("--journal-dir", self.journal))
        self.daemon.wait_live()
        self.wait_orders_ready()

    def wait_orders_ready(self):
        def ready():
            s = self.daemon.stats()
            conns = [c for c in s["connections"] if "orders" in c["name"]]
            return conns and all(c["state"] == "live" for c in conns)
        wait_until("the order connections to be warm", ready, 30, 0.2)

    def order(self, strategy, kind, *args, timeout_ms=8000, local_checks=True):
        """Runs edgeorder --json; returns (exit code, [responses])."""
        out = subprocess.run([EDGEORDER(), "--instance", self.daemon.instance, "--strategy", strategy, "--json",
                              "--timeout-ms", str(timeout_ms),
                              *([] if local_checks else ["--no-local-checks"]), kind, *args],
                             capture_output=True, text=True, timeout=timeout_ms / 1000 + 20)
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
        if out.returncode == 1:
            raise AssertionError(f"edgeorder failed: {out.stderr}\n{self.daemon.log_text()[-2000:]}")
        return out.returncode, lines

    def venue_orders(self):
        return json.loads(self.sim.call("/_sim/orders"))["orders"]

    def fault(self, kind, **params):
        q = "&".join(f"{k}={v}" for k, v in params.items())
        return json.loads(self.sim.call(f"/_sim/fault?kind={kind}" + (f"&{q}" if q else ""), "POST"))

    def best_position(self):
        """A position with liquidity: (hash, best price as e9, partner)."""
        best = {}
        for line in self.sim.truth().splitlines():
            e = json.loads(line)
            partner, _, pos = e["liquidity_hash"].partition(":")
            if decimal_e9(e["available"]) > 0:
                p = decimal_e9(e["price"])
                if pos not in best or p < best[pos][0]:
                    best[pos] = (p, partner)
        pos = sorted(best)[0]
        return pos, best[pos][0], best[pos][1]

    def stop(self):
        self.daemon.stop()
        self.sim.stop()


def decimal_e9(text):
    """Exact decimal text -> int count of 1e-9 (no float)."""
    neg = text.startswith("-")
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    v = int(whole or "0") * E9 + int((frac + "000000000")[:9] or "0")
    return -v if neg else v


def fmt_e9(v):
    whole, frac = divmod(v, E9)
    return f"{whole}.{frac:09d}".rstrip("0").rstrip(".")


def last(responses):
    assert responses, "no response arrived"
    return responses[-1]


V = None
RUNNING = []  # every Venue started: a test with its own stops the others first (two cores)


def venue():
    global V
    if V is None:
        V = Venue()
    return V


# ------------------------------------------------------------ OpenMarkets

def test_openmarkets_buy_fills_over_the_venue_depth_and_the_book_converges():
    v = venue()
    pos, best, partner = v.best_position()
    before = len(v.venue_orders())
    rc, rs = v.order("alpha", "om-buy", "--account", "demo-user", "--position", pos,
                     "--shares", "3", "--max-price", fmt_e9(best))
    r = last(rs)
    assert rc == 0 and r["outcome"] in ("filled", "partial"), r
    assert decimal_e9(r["filled_qty"]) > 0 and r["sor_decision_id"], r
    at_venue = v.venue_orders()[before:]
    assert len(at_venue) == 1 and at_venue[0]["executed"], at_venue
    assert at_venue[0]["sor_decision_ids"] == [r["sor_decision_id"]], (at_venue, r)
    assert json.loads(at_venue[0]["body"]) == {"orders": [{"position_hash": pos, "shares": 3,
                                                            "max_price": json.loads(fmt_e9(best))}]}
    # filled_notional = filled_qty x avg_price, exactly (the avg is rounded to 1e-9 at most)
    assert abs(decimal_e9(r["filled_qty"]) * decimal_e9(r["avg_price"]) // E9 - decimal_e9(r["filled_notional"])) <= 3
    # The fill consumed liquidity at the venue: the book follows the venue.
    v.daemon.wait_book_equals(v.sim.truth())


def test_openmarkets_buy_below_the_best_price_is_unfilled():
    v = venue()
    pos, best, _ = v.best_position()
    rc, rs = v.order("alpha", "om-buy", "--account", "demo-user", "--position", pos,
                     "--amount", "5", "--max-price", fmt_e9(best - 1))
    assert rc == 0 and last(rs)["outcome"] == "unfilled", rs


def test_openmarkets_paper_buy_fills_without_consuming_liquidity():
    v = venue()
    pos, best, _ = v.best_position()
    truth = v.sim.truth()  # the venue streams nothing here (--rate 0): only fills change it
    rc, rs = v.order("alpha", "om-buy", "--account", "demo-user", "--position", pos,
                     "--shares", "1", "--max-price", fmt_e9(best), "--paper")
    assert rc == 0 and last(rs)["outcome"] in ("filled", "partial"), rs
    rec = v.venue_orders()[-1]
    assert rec["paper"] and json.loads(rec["body"]).get("mode") == "paper", rec
    assert v.sim.truth() == truth, "a paper fill changed the venue's liquidity"


def test_openmarkets_foreign_account_is_refused_by_the_venue_with_403():
    v = venue()
    pos, best, _ = v.best_position()
    rc, rs = v.order("alpha", "om-buy", "--account", "stranger", "--position", pos,
                     "--amount", "5", "--max-price", fmt_e9(best))
    r = last(rs)
    assert rc == 2 and r["outcome"] == "rejected" and r["reject_source"] == "venue", r
    assert r["http_status"] == 403, r


def test_malformed_orders_are_refused_before_sending():
    v = venue()
    pos, best, _ = v.best_position()
    before = len(v.venue_orders())
    cases = [
        ("om-buy", "--account", "demo-user", "--position", pos, "--amount", "5", "--shares", "5",
         "--max-price", fmt_e9(best)),
        ("om-buy", "--account", "demo-user", "--position", "not-a-position-hash", "--amount", "5",
         "--max-price", fmt_e9(best)),
        ("ct-new", "--account", "ct-acct-1", "--broker", "alpaca", "--side", "buy", "--type", "LMT",
         "--tif", "DAY", "--instrument", "EQUITY", "--symbol", "AAPL", "--qty", "1"),
        ("ct-new", "--account", "ct-acct-1", "--broker", "alpaca", "--side", "buy", "--type", "MKT",
         "--tif", "DAY", "--instrument", "EQUITY", "--symbol", "AAPL", "--qty", "1", "--stop", "10"),
    ]
    for args in cases:
        rc, rs = v.order("alpha", *args, local_checks=False)
        r = last(rs)
        # edgeorder itself may refuse an impossible combination (exit 1 is raised above);
        # what reaches the daemon is refused as invalid.
        assert rc == 2 and r["reject_source"] == "invalid", (args, r)
    assert len(v.venue_orders()) == before, "a malformed order reached the venue"


# ------------------------------------------------------------ risk

def risk_reject(v, strategy, *args):
    rc, rs = v.order(strategy, *args)
    r = last(rs)
    assert rc == 2 and r["outcome"] == "rejected" and r["reject_source"] == "risk", r
    return r["risk_limit"], r["reason"]


def test_every_pre_trade_limit_rejects_and_names_itself():
    v = venue()
    pos, best, _ = v.best_position()
    before = len(v.venue_orders())
    om = lambda *a: ("om-buy", "--account", "demo-user", "--position", pos, *a)
    checks = [
        ("price_bounds", risk_reject(v, "alpha", *om("--amount", "5", "--max-price", "1.5"))),
        ("account", risk_reject(v, "slow", "om-buy", "--account", "stranger", "--position", pos,
                                "--amount", "5", "--max-price", fmt_e9(best))),
        ("max_order_notional", risk_reject(v, "small", *om("--shares", "25", "--max-price", "1"))),
        ("max_order_qty", risk_reject(v, "small", *om("--shares", "31", "--max-price", fmt_e9(best)))),
        ("fat_finger_bps", risk_reject(v, "alpha", *om("--amount", "5", "--max-price",
                                                   fmt_e9(min(E9, best * 13 // 10 + 1))))),
        ("require_reference", risk_reject(v, "alpha", "om-buy", "--account", "demo-user", "--position",
                                     "ct_none:m:s:v:p:t", "--amount", "5", "--max-price", "0.5")),
    ]
    for name, (code, reason) in checks:
        assert name in code, (name, code, reason)
        assert reason, name
    assert len(v.venue_orders()) == before, "a risk reject reached the venue"


def test_order_rate_limit_rejects_the_fourth_order_in_a_second():
    v = venue()
    pos, best, _ = v.best_position()
    codes = []
    for _ in range(5):
        rc, rs = v.order("slow", "om-buy", "--account", "demo-user", "--position", pos,
                         "--amount", "1", "--max-price", fmt_e9(best - 1))
        codes.append(last(rs).get("risk_limit") or "" if rc == 2 else last(rs)["outcome"])
    assert any("max_orders_per_s" in c for c in codes), codes


def test_open_and_daily_notional_limits():
    v = venue()
    small = dict(strategy="small")
    # Open notional (max 40): working limit orders of 15 hold it; the third is refused.
    lmt = ("--side", "buy", "--type", "LMT", "--tif", "GTC", "--symbol", "MSFT", "--qty", "0.15", "--limit", "100")
    working = [last(ct(v, *lmt, **small)[1]) for _ in range(2)]
    assert all(r["outcome"] == "accepted" for r in working), working
    assert risk_reject(v, "small", "ct-new", "--account", "ct-acct-1", "--broker", "alpaca",
                       "--instrument", "EQUITY", *lmt)[0] == "max_open_notional"
    # Cancelling releases it.
    for r in working:
        rc, rs = v.order("small", "ct-cancel", "--account", "ct-acct-1", "--order-id", r["order_id"])
        assert rc == 0 and last(rs)["outcome"] == "cancelled", rs
    # Daily notional (max 60): filled market orders of 15 add up; the fifth is refused.
    mkt = ("--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "15")
    for _ in range(4):
        rc, rs = ct(v, *mkt, **small)
        assert rc == 0 and last(rs)["outcome"] == "filled", rs
    assert risk_reject(v, "small", "ct-new", "--account", "ct-acct-1", "--broker", "alpaca",
                       "--instrument", "EQUITY", *mkt)[0] == "max_daily_notional"


def test_kill_switch_halts_all_and_per_strategy_at_once():
    v = venue()
    pos, best, _ = v.best_position()
    om = ("om-buy", "--account", "demo-user", "--position", pos, "--amount", "1", "--max-price", fmt_e9(best - 1))
    halt = lambda *a: subprocess.run([EDGESTAT(), *a, "--instance", v.daemon.instance], check=True,
                                     capture_output=True, text=True, timeout=10)
    halt("halt")
    assert "halt" in risk_reject(v, "alpha", *om)[0]
    halt("resume")
    rc, rs = v.order("alpha", *om)
    assert rc == 0, rs
    halt("halt", "--strategy", "alpha")
    assert "halt" in risk_reject(v, "alpha", *om)[0]
    rc, rs = v.order("slow", *om)
    assert rc == 0 or "max_orders_per_s" in (last(rs).get("risk_limit") or ""), rs
    halt("resume", "--strategy", "alpha")
    rc, rs = v.order("alpha", *om)
    assert rc == 0, rs


# ------------------------------------------------------------ Connect Trade

def ct(v, *args, strategy="alpha", account="ct-acct-1"):
    return v.order(strategy, "ct-new", "--account", account, "--broker", "alpaca", "--instrument", "EQUITY", *args)


def test_connect_trade_market_order_fills_with_its_fills():
    v = venue()
    rc, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "400")
    r = last(rs)
    assert rc == 0 and r["outcome"] in ("filled", "partial"), r
    assert r["fills"], r
    assert r["cl_order_id"] and r["order_id"], r


def test_connect_trade_limit_order_works_then_is_modified_and_cancelled():
    v = venue()
    rc, rs = ct(v, "--side", "buy", "--type", "LMT", "--tif", "GTC", "--symbol", "SPY", "--qty", "1",
                "--limit", "1")
    r = last(rs)
    assert rc == 0 and r["outcome"] == "accepted" and r["venue_status"] == "working", r
    rc, rs = v.order("alpha", "ct-modify", "--account", "ct-acct-1", "--broker", "alpaca", "--order-id",
                     r["order_id"], "--limit", "2")
    m = last(rs)
    assert rc == 0 and m["outcome"] == "modified" and m["order_id"] != r["order_id"], m
    rc, rs = v.order("alpha", "ct-cancel", "--account", "ct-acct-1", "--broker", "alpaca", "--order-id", m["order_id"])
    c = last(rs)
    assert rc == 0 and c["outcome"] == "cancelled", c


def test_connect_trade_stop_orders_and_every_time_in_force_are_accepted():
    v = venue()
    for tif in ("DAY", "GTC", "IOC", "FOK", "OPEN", "CLOSE", "DAY+", "GTC+"):
        rc, rs = ct(v, "--side", "sell", "--type", "STPLMT", "--tif", tif, "--symbol", "MSFT", "--qty", "1",
                    "--stop", "1", "--limit", "1")
        assert rc in (0, 2) and last(rs)["outcome"] != "unknown", (tif, rs)
    rc, rs = ct(v, "--side", "buy", "--type", "STP", "--tif", "DAY", "--symbol", "MSFT", "--notional", "50",
                "--stop", "100000")
    assert rc == 0, rs


def test_connect_trade_foreign_account_is_refused_by_the_venue():
    v = venue()
    rc, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200",
                account="ct-acct-9")
    r = last(rs)
    assert rc == 2 and r["reject_source"] == "venue" and r["http_status"] in (403, 404), r


def test_dropped_connection_after_execution_is_unknown_then_reconciled_never_duplicated():
    v = venue()
    v.fault("order_drop", when="after")
    rc, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200")
    outcomes = [r["outcome"] for r in rs]
    assert outcomes[0] == "unknown" and outcomes[-1] == "reconciled", rs
    cl = rs[-1]["cl_order_id"]
    assert rs[-1]["venue_status"] in ("filled", "partially_filled"), rs[-1]
    same = [o for o in v.venue_orders() if o.get("cl_order_id") == cl]
    assert len(same) == 1, same


def test_dropped_connection_before_execution_is_reconciled_as_never_arrived():
    v = venue()
    v.fault("order_drop", when="before")
    rc, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200")
    assert rs[0]["outcome"] == "unknown" and rs[-1]["outcome"] == "reconciled", rs
    assert rs[-1]["venue_status"] == "not_found", rs[-1]
    assert not [o for o in v.venue_orders() if o.get("cl_order_id") == rs[-1]["cl_order_id"]]


def test_openmarkets_hang_is_unknown_and_never_resent():
    v = venue()
    pos, best, _ = v.best_position()
    before = len(v.venue_orders())
    v.fault("order_hang")
    rc, rs = v.order("alpha", "om-buy", "--account", "demo-user", "--position", pos,
                     "--amount", "1", "--max-price", fmt_e9(best))
    assert rc == 3 or last(rs)["outcome"] == "unknown", rs
    time.sleep(1.0)
    assert len(v.venue_orders()) == before + 1, "the order was sent again"


# ------------------------------------------------------------ journal, ids, allocations

def stop_shared_venue():
    global V
    V = None
    while RUNNING:
        RUNNING.pop().stop()
RUNNING = []  # every Venue started: a test with its own stops the others first (two cores)


def test_journal_after_a_killed_daemon_lists_every_order():
    stop_shared_venue()
    v = Venue()
    pos, best, _ = v.best_position()
    ids = []
    for i in range(5):
        _, rs = v.order("alpha", "om-buy", "--account", "demo-user", "--position", pos,
                        "--amount", "1", "--max-price", fmt_e9(best - 1))
        ids.append(last(rs)["cl_order_id"])
    _, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200")
    ids.append(last(rs)["cl_order_id"])
    time.sleep(0.3)
    v.daemon.proc.send_signal(signal.SIGKILL)
    v.daemon.proc.wait(10)
    out = subprocess.run([EDGESTAT(), "orders", "--json", "--journal-dir", v.journal, "--instance",
                          v.daemon.instance], capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    listed = out.stdout
    for cl in ids:
        assert cl in listed, f"{cl} missing from the journal after kill -9"
    # A restart of the instance never reuses a cl_order_id.
    v.start_daemon(instance=v.daemon.instance)
    _, rs = ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200")
    assert last(rs)["cl_order_id"] not in ids and last(rs)["outcome"] != "rejected", rs
    v.stop()


def test_orders_after_warm_up_make_zero_heap_allocations():
    stop_shared_venue()
    v = Venue()
    pos, best, _ = v.best_position()
    if v.daemon.stats()["tls_crypto"] != "aes-ni":
        raise Skip("fallback wolfSSL (no source build): it allocates per record")
    om = ("om-buy", "--account", "demo-user", "--position", pos, "--amount", "1", "--max-price", fmt_e9(best - 1))
    for _ in range(20):  # warm-up: every code path once
        v.order("alpha", *om)
        ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "200")
    before = v.daemon.stats()
    for _ in range(100):
        assert v.order("alpha", *om)[0] == 0
        assert ct(v, "--side", "buy", "--type", "MKT", "--tif", "DAY", "--symbol", "AAPL", "--notional", "50")[0] == 0
    after = v.daemon.stats()
    grew = after["allocs_since_ready"] - before["allocs_since_ready"]
    assert grew == 0, f"{grew} heap allocations during 200 orders"
    v.stop()


if __name__ == "__main__":
    run([
        test_openmarkets_buy_fills_over_the_venue_depth_and_the_book_converges,
        test_openmarkets_buy_below_the_best_price_is_unfilled,
        test_openmarkets_paper_buy_fills_without_consuming_liquidity,
        test_openmarkets_foreign_account_is_refused_by_the_venue_with_403,
        test_malformed_orders_are_refused_before_sending,
        test_every_pre_trade_limit_rejects_and_names_itself,
        test_order_rate_limit_rejects_the_fourth_order_in_a_second,
        test_open_and_daily_notional_limits,
        test_kill_switch_halts_all_and_per_strategy_at_once,
        test_connect_trade_market_order_fills_with_its_fills,
        test_connect_trade_limit_order_works_then_is_modified_and_cancelled,
        test_connect_trade_stop_orders_and_every_time_in_force_are_accepted,
        test_connect_trade_foreign_account_is_refused_by_the_venue,
        test_dropped_connection_after_execution_is_unknown_then_reconciled_never_duplicated,
        test_dropped_connection_before_execution_is_reconciled_as_never_arrived,
        test_openmarkets_hang_is_unknown_and_never_resent,
        test_journal_after_a_killed_daemon_lists_every_order,
        test_orders_after_warm_up_make_zero_heap_allocations,
    ], cleanup_each=False)
