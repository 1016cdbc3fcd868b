"""edgesim checks itself: a small stream + REST client (Python, Decimal
truth) drives every REST endpoint and every fault kind of issue 3 against a
running simulator and checks what a client sees: envelopes and pagination,
strictly increasing per-contest timestamps, the contest_state channel,
convergence through refresh_required and through a slow snapshot that
changed silently (hold and re-apply), close codes for bad frames, stalls,
upgrade rejections and REST faults; then both venues' order routes (issue 4):
OpenMarkets buys checked against an independent Decimal fill walk, the
liquidity a real fill consumes streamed to subscribers, Connect Trade's
place/modify/cancel/list, their error statuses, every order fault, keep-alive
and the idle timeout. Usage: sim_selfcheck.py PATH/TO/edgesim.
Exit 0 when all pass, 1 on a failure, 77 (skip) without python3-websockets."""

import asyncio
import atexit
import socket
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal, ROUND_DOWN, ROUND_HALF_UP

try:
    import websockets
except ImportError:
    print("skip: python3-websockets is not installed")
    raise SystemExit(77)

BIN = sys.argv[1]
d = tempfile.mkdtemp(prefix="simchk-")
proc = subprocess.Popen([BIN, "--port", "0", "--port-file", d + "/port", "--state-dir", d, "--contests", "4",
                         "--positions", "8", "--seed", "5", "--rate", "300", "--state-interval-ms", "200"],
                        stdout=open(d + "/log", "w"), stderr=subprocess.STDOUT)
for _ in range(100):
    if os.path.exists(d + "/port") and open(d + "/port").read().strip(): break
    time.sleep(0.1)
port = int(open(d + "/port").read())
atexit.register(lambda: proc.poll() is None and proc.kill())
ctx = ssl.create_default_context(cafile=d + "/ca.pem")
U = f"https://127.0.0.1:{port}"
results = []

def check(name, cond, info=""):
    results.append((name, bool(cond)))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"  {info}"), flush=True)

def call(path, method="GET", key=True, body=None, timeout=10):
    req = urllib.request.Request(U + path, method=method, data=body)
    if key: req.add_header("X-API-Key", "sim-key")
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def fault(q):
    st, b = call("/_sim/fault?" + q, "POST")
    assert st == 200, b
    return json.loads(b)

def fired(kind):
    return json.loads(call("/_sim/status")[1])["faults"]["fired"][kind]

contests = open(d + "/contests.txt").read().split()

class Client:
    def __init__(self):
        self.book = {}; self.snap_ts = {}; self.held = {}; self.last_ts = {}; self.msgs = []
        self.mono_ok = True; self.refresh = 0; self.big = 0; self.states = 0; self.nheld = 0
        self.seen = set()  # liquidity_hash of every streamed entry
    def apply(self, c, e):
        if Decimal(str(e["available"])) == 0: self.book.pop(e["liquidity_hash"], None)
        else: self.book[e["liquidity_hash"]] = (Decimal(str(e["price"])), Decimal(str(e["available"])))
    async def snapshot(self, c):
        self.held.setdefault(c, [])
        st, b = await asyncio.to_thread(call, f"/flow/v1/contests/{c}/liquidity")
        j = json.loads(b)
        for k in [k for k in self.book if k.split(":")[1] == c]: del self.book[k]
        for p in j["data"]:
            for pl in p["partner_liquidities"]:
                self.apply(c, {"liquidity_hash": pl["partner_id"] + ":" + p["position_hash"], "price": pl["price"], "available": pl["available"]})
        ts = j["meta"]["timestamp"]
        for (uts, es) in self.held.pop(c):
            if uts >= ts:
                for e in es: self.apply(c, e)
    def on(self, m, c_list):
        if m.get("type") == "contest_state.update": self.states += 1
        if "timestamp" in m and "contest_id" in m:
            c = m["contest_id"]
            if c in self.last_ts and not m["timestamp"] > self.last_ts[c]: self.mono_ok = False
            self.last_ts[c] = m["timestamp"]
        if m.get("type") == "liquidity.update":
            c = m["contest_id"]
            if m["refresh_required"]:
                self.refresh += 1
                return c
            self.seen.update(e["liquidity_hash"] for e in m["changed_entries"])
            if c in self.held:
                self.held[c].append((m["timestamp"], m["changed_entries"])); self.nheld += 1
            else:
                for e in m["changed_entries"]: self.apply(c, e)
        return None
    def truth(self, cs):
        t = {}
        for c in cs:
            for line in call(f"/_sim/truth?contest={c}")[1].splitlines():
                j = json.loads(line); t[j["liquidity_hash"]] = (Decimal(j["price"]), Decimal(j["available"]))
        return t

async def session(cl, subs, seconds, on_start=None, expect_close=None):
    hdr = {"X-API-Key": "sim-key"}
    code = None
    tasks = []
    try:
        async with websockets.connect(f"wss://127.0.0.1:{port}/flow/v1/stream", ssl=ctx, extra_headers=hdr, max_size=2**22) as ws:
            greet = json.loads(await ws.recv())
            assert greet["type"] == "connected"
            await ws.send(json.dumps({"action": "subscribe", "channel": "liquidity", "contest_ids": subs}))
            await ws.send(json.dumps({"action": "subscribe", "channel": "contest_state", "contest_ids": contests}))
            for c in subs:
                cl.held[c] = []
                tasks.append(asyncio.create_task(cl.snapshot(c)))
            if on_start: await asyncio.to_thread(on_start)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                try: raw = await asyncio.wait_for(ws.recv(), timeout=max(0.01, end - time.monotonic()))
                except asyncio.TimeoutError: break
                cl.msgs.append((time.monotonic(), len(raw)))
                try: m = json.loads(raw)
                except Exception: cl.msgs.append(("badjson", raw)); continue
                c = cl.on(m, subs)
                if c:
                    cl.held[c] = []
                    tasks.append(asyncio.create_task(cl.snapshot(c)))
            for t in tasks: await t
    except websockets.exceptions.ConnectionClosed as e:
        cl.cause = e.__cause__
        code = e.rcvd.code if e.rcvd else (e.sent.code if e.sent else 1006)
    except Exception as e:
        code = repr(e)
    return code

async def main():
    subs = contests[:2]
    # 1. plain stream + state channel + convergence
    cl = Client()
    await session(cl, subs, 2)
    check("updates arrive and state updates arrive", len(cl.msgs) > 100 and cl.states > 5, (len(cl.msgs), cl.states))
    check("per-contest timestamps strictly increase", cl.mono_ok)
    # 2. refresh_required: rate off, then compare
    call("/_sim/rate?per_second=0", "POST")
    cl = Client()
    await session(cl, subs, 1.5, on_start=lambda: fault("kind=refresh_required&count=2"))
    check("refresh_required arrives and re-fetch converges", cl.refresh == 2 and cl.book == cl.truth(subs),
          (cl.refresh, len(cl.book)))
    # 3. snapshot_change + rest_slow while updates stream
    call("/_sim/rate?per_second=400", "POST")
    fault("kind=rest_slow&ms=500"); fault(f"kind=snapshot_change&contest={subs[0]}")
    cl = Client()
    code = await session(cl, subs, 2.0, on_start=lambda: threading.Timer(1.0, lambda: call("/_sim/rate?per_second=0", "POST")).start())
    check("the stream session ended normally", code is None, code)
    fault("kind=rest_slow&ms=0")
    check("snapshot_change fired", fired("snapshot_change") == 1)
    check("updates were held during the slow snapshot", cl.nheld > 20, cl.nheld)
    tr = cl.truth(subs)
    diff = [(k, cl.book.get(k), tr.get(k)) for k in set(cl.book) | set(tr) if cl.book.get(k) != tr.get(k)]
    check("book converges after snapshot_change + rest_slow (hold/re-apply)", cl.book == tr, (len(cl.book), len(tr), diff[:5]))
    # 4. fragment + big
    fault("kind=fragment")
    cl = Client()
    await session(cl, subs, 1.0, on_start=lambda: fault("kind=big"))
    check("big message over 65535 bytes arrives fragmented and valid", any(isinstance(a, float) and b > 65535 for a, b in cl.msgs) and cl.book == cl.truth(subs))
    fault("kind=fragment&count=0")
    # 5. garbage / invalid_utf8 / truncated / drop / invalid_json
    for kind, want in [("garbage", 1002), ("garbage", 1002), ("invalid_utf8", 1007), ("truncated", 1006), ("drop", 1006)]:
        cl = Client()
        code = await session(cl, subs, 2.0, on_start=lambda k=kind: fault("kind=" + k))
        check(f"{kind} closes the client with {want}", code == want, code)
        if kind == "drop":
            check("drop is a TCP RST", isinstance(getattr(cl, "cause", None), ConnectionResetError), getattr(cl, "cause", None))
    cl = Client()
    await session(cl, subs, 1.0, on_start=lambda: fault("kind=invalid_json"))
    check("invalid_json arrives", any(a == "badjson" for a, b in cl.msgs))
    # 6. stall
    call("/_sim/rate?per_second=200", "POST")
    cl = Client()
    await session(cl, subs, 2.0, on_start=lambda: fault("kind=stall&ms=800"))
    times = [a for a, b in cl.msgs if isinstance(a, float)]
    gaps = max(b - a for a, b in zip(times, times[1:])) if len(times) > 2 else 0
    check("stall holds everything back ~0.8 s", 0.7 < gaps < 1.2, gaps)
    call("/_sim/rate?per_second=0", "POST")
    # 7. upgrade rejections
    fault("kind=reject_upgrade_401"); fault("kind=reject_upgrade_429&count=2")
    codes = []
    for _ in range(4):
        try:
            async with websockets.connect(f"wss://127.0.0.1:{port}/flow/v1/stream", ssl=ctx, extra_headers={"X-API-Key": "sim-key"}) as ws:
                codes.append(101)
        except websockets.exceptions.InvalidStatusCode as e:
            codes.append(e.status_code)
    check("reject_upgrade_401 then 429 x2 then 101", codes == [401, 429, 429, 101], codes)

asyncio.run(main())
# REST faults
fault("kind=rest_fail&count=2")
s = [call("/flow/v1/partners")[0] for _ in range(3)]
check("rest_fail answers 503 twice", s == [503, 503, 200], s)
fault("kind=rest_slow&ms=300")
t = time.monotonic(); st, _ = call("/flow/v1/partners"); dt = time.monotonic() - t
check("rest_slow delays ~300 ms", st == 200 and 0.28 < dt < 0.6, dt)
fault("kind=rest_slow&ms=0")
fault("kind=rest_hang")
try:
    call("/flow/v1/partners", timeout=1.0); check("rest_hang never answers", False)
except Exception as e:
    check("rest_hang never answers", "timed out" in str(e), e)
check("rest_hang counted", fired("rest_hang") == 1)
n = fault("kind=contest_open")
newid = n["note"]["contest_id"]
lst = json.loads(call("/flow/v1/contests?limit=200")[1])["data"]
check("contest_open lists a new open contest", any(c["id"] == newid and c["status"] == "open" for c in lst))
fault(f"kind=contest_close&contest={contests[0]}")
cl = json.loads(call("/flow/v1/contests?status=closed")[1])["data"]
check("contest_close lists it closed", [c["id"] for c in cl] == [contests[0]], cl)
lines = call("/_sim/truth?view=contests")[1].splitlines()
check("truth view=contests has every contest", len(lines) == len(contests) + 1 and '"status":"closed"' in lines[0], lines[:1])
# pagination walk
ids, cur = [], None
while True:
    q = "/flow/v1/contests?limit=2&status=open" + (f"&cursor={cur}" if cur else "")
    j = json.loads(call(q)[1]); ids += [c["id"] for c in j["data"]]
    if not j["pagination"]["has_more"]: break
    cur = j["pagination"]["next_cursor"]
check("cursor walk lists every open contest once", sorted(ids) == sorted(contests[1:] + [newid]), ids)
# REST errors and shapes
st, b = call("/flow/v1/partners", key=False)
check("REST without a key is 401 unauthorized", st == 401 and json.loads(b)["error"]["code"] == "unauthorized", b)
st, b = call("/flow/v1/nowhere")
check("unknown REST path is 404 not_found", st == 404 and json.loads(b)["error"]["code"] == "not_found", b)
st, b = call("/flow/v1/contests/" + contests[1] + "?x=1")
check("unknown query parameter is 400 unknown_parameter", st == 400 and json.loads(b)["error"]["code"] == "unknown_parameter", b)
snap = json.loads(call(f"/flow/v1/contests/{contests[1]}/liquidity")[1])
pos = snap["data"][0]
st, b = call("/flow/v1/depth/" + pos["position_hash"].replace(":", "%3A"))
dep = json.loads(b)["data"]
best = {p["partner_id"]: (Decimal(str(p["levels"][0]["price"])), Decimal(str(p["levels"][0]["available"]))) for p in dep["partners"]}
want = {p["partner_id"]: (Decimal(str(p["price"])), Decimal(str(p["available"]))) for p in pos["partner_liquidities"]}
check("depth's best level per partner equals the snapshot's", st == 200 and best == want, (best, want))
check("depth total_available is the sum of its levels", all(Decimal(str(p["total_available"])) == sum(Decimal(str(l["available"])) for l in p["levels"]) for p in dep["partners"]))
check("unknown depth hash is 404", call("/flow/v1/depth/ct_x%3Aa%3Ab%3Ac%3Ad%3Ae")[0] == 404)
st, b = call("/flow/v1/contest-state/batch", "POST", body=json.dumps({"contest_ids": [contests[1], "nope"]}).encode())
check("batch state omits misses", st == 200 and list(json.loads(b)["data"]) == [contests[1]], b)
st, b = call(f"/flow/v1/contests/{contests[1]}/state")
check("state has the seed's fields", st == 200 and {"game_status", "clock", "period", "scores"} <= set(json.loads(b)["data"]["state"]), b)
conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
framing = []
for _ in range(4):
    conn.request("GET", "/flow/v1/partners", headers={"X-API-Key": "sim-key"})
    r = conn.getresponse()
    body = r.read()
    framing.append(r.getheader("Transfer-Encoding") == "chunked")
    json.loads(body)
conn.close()
check("keep-alive answers alternate Content-Length and chunked", framing in ([False, True] * 2, [True, False] * 2), framing)
# chaos fires while a session is up
before = sum(json.loads(call("/_sim/status")[1])["faults"]["fired"].values())
call("/_sim/rate?per_second=200", "POST")
call("/_sim/chaos?period_ms=100&seed=9", "POST")
asyncio.run(session(Client(), contests[1:3], 1.5))
call("/_sim/chaos?period_ms=0", "POST")
call("/_sim/rate?per_second=0", "POST")
after = json.loads(call("/_sim/status")[1])["faults"]
check("chaos fires faults", after["chaos_fired"] >= 1 and sum(after["fired"].values()) > before, after)
# ---------------------------------------------------------------- orders (issue 4)
OMH = {"X-API-Key": "sim-key", "X-OpenMarkets-Account": "demo-user", "Content-Type": "application/json"}
CTH = {"client-id": "sim-client", "client-secret": "sim-client-secret", "user-id": "ct-user",
       "user-secret": "ct-user-secret", "Content-Type": "application/json"}
PARTNERS = ["kalshi", "polymarket", "novig", "prophetx", "sporttrade"]  # the venue's order
E9 = Decimal("0.000000001")

def oreq(method, path, body=None, headers=None, conn=None, timeout=10, p=None):
    c = conn or http.client.HTTPSConnection("127.0.0.1", p or port, context=ctx, timeout=timeout)
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    c.request(method, path, body=data, headers=headers or {})
    r = c.getresponse()
    raw = r.read().decode()
    if conn is None: c.close()
    return r.status, (json.loads(raw) if raw else None)

def om_buy(legs, mode=None, headers=OMH):
    body = {"orders": legs}
    if mode: body["mode"] = mode
    return oreq("POST", "/flow/v1/auth/orders/buy", body, headers)

def truth_levels(c):
    out = {}
    for line in call(f"/_sim/truth?contest={c}")[1].splitlines():
        j = json.loads(line)
        partner, h = j["liquidity_hash"].split(":", 1)
        out.setdefault(h, {})[partner] = (Decimal(j["price"]), Decimal(j["available"]))
    return out

def expect_walk(levels, shares=None, amount=None, max_price=Decimal(1)):
    """Independent fill walk: cheapest first, ties in partner order; exact Decimal."""
    lv = sorted(((p, a, PARTNERS.index(n), n) for n, (p, a) in levels.items() if p <= max_price and a > 0))
    fs, fn, left, by, done = Decimal(0), Decimal(0), shares if shares else amount, {}, False
    for p, a, _, n in lv:
        if shares:
            take = min(left, a); done = take == left
        else:
            afford = (left / p).quantize(E9, rounding=ROUND_DOWN); take = min(afford, a); done = afford <= a
        if take > 0:
            cost = (p * take).quantize(E9, rounding=ROUND_HALF_UP)
            fs += take; fn += cost; left -= take if shares else cost; by[n] = take
        if done: break
    status = "unfilled" if fs == 0 else "filled" if done else "partially_filled"
    avg = (fn / fs).quantize(E9, rounding=ROUND_HALF_UP) if fs else Decimal(0)
    return status, fs, fn, avg, by

oc = contests[1]
lv = truth_levels(oc)
h = max(lv, key=lambda k: len(lv[k]))
levels = lv[h]
cheapest = min(levels.values())
want_shares = cheapest[1] + Decimal(1)  # more than the cheapest level: the walk goes on
exp = expect_walk(levels, shares=want_shares)
st, b = om_buy([{"position_hash": h, "shares": json.loads(str(want_shares)), "max_price": 1}], mode="paper")
leg = b["data"]["orders"][0] if st == 200 else {}
check("OM paper buy walks the depth exactly (independent Decimal walk)",
      st == 200 and leg["status"] == exp[0] and Decimal(str(leg["filled_shares"])) == exp[1] and
      Decimal(str(leg["filled_notional"])) == exp[2] and Decimal(str(leg["avg_price"])) == exp[3], (b, exp))
check("OM paper buy changes nothing", truth_levels(oc) == lv)

got_update = []
def real_buy():
    time.sleep(0.4)
    got_update.append(om_buy([{"position_hash": h, "shares": json.loads(str(want_shares)), "max_price": 1}]))
cl = Client()
asyncio.run(session(cl, [oc], 1.6, on_start=lambda: threading.Thread(target=real_buy).start()))
st, b = got_update[0]
leg = b["data"]["orders"][0]
after = truth_levels(oc).get(h, {})
want_after = {n: (p, a - exp[4].get(n, 0)) for n, (p, a) in levels.items() if a - exp[4].get(n, 0) > 0}
check("OM real buy fills as walked and consumes the truth", st == 200 and leg["status"] == exp[0] and after == want_after,
      (leg, after, want_after))
check("OM sor_decision_id and partner_id are set", leg["sor_decision_id"].startswith("sor_") and leg["partner_id"] in PARTNERS, leg)
streamed = {f"{n}:{h}" for n in exp[4]}
check("OM real fill is streamed: the subscriber's book converges on the new truth",
      streamed <= cl.seen and cl.book == cl.truth([oc]), (streamed, len(cl.book)))
amount_levels = truth_levels(contests[2])
h2 = next(k for k, v in amount_levels.items() if v)
exp2 = expect_walk(amount_levels[h2], amount=Decimal("7.77"), max_price=Decimal("0.99"))
st, b = om_buy([{"position_hash": h2, "amount": 7.77, "max_price": 0.99}], mode="paper")
leg = b["data"]["orders"][0]
check("OM amount buy spends exactly (Decimal walk)", st == 200 and leg["status"] == exp2[0] and
      Decimal(str(leg["filled_notional"])) == exp2[2] and Decimal(str(leg["filled_shares"])) == exp2[1], (leg, exp2))
st, b = om_buy([{"position_hash": h2, "shares": 1, "max_price": 0.5, "side": "yes"}])
check("OM unknown leg key is 400 unknown_parameter naming it", st == 400 and b["error"]["code"] == "unknown_parameter" and "side" in b["error"]["message"], b)
st, b = oreq("POST", "/flow/v1/auth/orders/buy", {"orders": [{"position_hash": h2, "shares": 1, "max_price": 0.5}], "mode": "paper", "dry": 1}, OMH)
check("OM unknown top-level key is 400 unknown_parameter", st == 400 and b["error"]["code"] == "unknown_parameter", b)
for legx, why in [({"position_hash": h2, "shares": 1, "amount": 1, "max_price": 0.5}, "amount and shares"),
                  ({"position_hash": h2, "shares": 1, "max_price": 1.5}, "max_price > 1"),
                  ({"position_hash": h2, "shares": 0, "max_price": 0.5}, "zero shares")]:
    st, b = om_buy([legx])
    check(f"OM {why} is 400 invalid_parameter", st == 400 and b["error"]["code"] == "invalid_parameter", b)
st, b = oreq("POST", "/flow/v1/auth/orders/buy", "{not json", OMH)
check("OM non-JSON is 400 invalid_json", st == 400 and b["error"]["code"] == "invalid_json", b)
st, b = om_buy([{"position_hash": h2, "shares": 1, "max_price": 0.5}], headers={**OMH, "X-API-Key": "nope"})
check("OM bad key is 401 unauthorized", st == 401 and b["error"]["code"] == "unauthorized", b)
st, b = om_buy([{"position_hash": h2, "shares": 1, "max_price": 0.5}], headers={**OMH, "X-OpenMarkets-Account": "mallory"})
check("OM foreign user is 403 forbidden", st == 403 and b["error"]["code"] == "forbidden", b)
st, b = om_buy([{"position_hash": contests[2] + ":nope", "shares": 1, "max_price": 0.5}], mode="paper")
check("OM unknown position is a rejected leg with its reason", st == 200 and b["data"]["orders"][0]["status"] == "rejected" and b["data"]["orders"][0]["reason"] == "unknown position", b)
recs = json.loads(call("/_sim/orders")[1])["orders"]
om_recs = [r for r in recs if r["venue"] == "openmarkets"]
check("/_sim/orders records every OM request with its body and status",
      len(om_recs) == 12 and om_recs[0]["paper"] and om_recs[1]["status"] == 200 and not om_recs[1]["paper"] and json.loads(om_recs[1]["body"])["orders"][0]["position_hash"] == h
      and [r["status"] for r in om_recs[4:6]] == [400, 400], [(r["status"], r["paper"]) for r in om_recs])

# Connect Trade
def ct(method, path, body=None, headers=CTH, **kw):
    return oreq(method, path, body, headers, **kw)
def ct_new(cl, extra, account="ct-acct-1"):
    return ct("POST", "/orders", {"account_id": account, "cl_order_id": cl, "broker": "alpaca", "instrument": "EQUITY", **extra})
def all_orders(q=""):
    ids, cur = [], None
    while True:
        st, b = ct("GET", "/orders?status=all&limit=2" + q + (f"&next_cursor={cur}" if cur else ""))
        assert st == 200, b
        ids += [o["cl_order_id"] for o in b["orders"]]
        if b["next_cursor"] is None: return ids
        cur = b["next_cursor"]
MKT10 = {"symbol": "AAPL", "side": "buy", "order_type": "MKT", "order_tif": "DAY", "order_qty": "10"}
st, b = ct_new("sc-1", MKT10)
check("CT market buy fills at the ask with string numbers", st == 200 and b["status"] == "filled" and b["avg_fill_price"] == "190.03"
      and b["fills"][0]["qty"] == "10" and b["cl_order_id"] == "sc-1" and b["order_id"], b)
st, b = ct_new("sc-1", MKT10)
check("CT cl_order_id reused the same day is 409", st == 409 and "message" in b, b)
st, b = ct_new("sc-2", MKT10, account="ct-acct-9")
check("CT foreign account is 404 account not found", st == 404 and b["message"] == "account not found", b)
st, b = ct("POST", "/orders", {"account_id": "ct-acct-1"}, headers={"client-id": "sim-client"})
check("CT missing credentials is 401", st == 401 and "message" in b, b)
st, b = ct_new("sc-3", {**MKT10, "legs": []})
check("CT unknown field is 400 naming it", st == 400 and b["message"] == "unknown field: legs", b)
st, b = ct_new("sc-4", {**MKT10, "order_type": "LMT", "order_limit_price": "150", "order_tif": "GTC"})
wid = b["order_id"]
check("CT non-marketable limit is working", st == 200 and b["status"] == "working", b)
st, b = ct("PATCH", f"/accounts/ct-acct-1/orders/{wid}", {"new_cl_order_id": "sc-4b", "broker": "alpaca", "order_limit_price": "151"})
nid = b.get("order_id")
check("CT modify answers the new order", st == 200 and b["cl_order_id"] == "sc-4b" and b["status"] == "working" and nid != wid, b)
st, b = ct("DELETE", f"/accounts/ct-acct-1/orders/{wid}")
check("CT cancel of the replaced order is 400 order not open", st == 400 and b["message"] == "order not open", b)
st, b = ct("DELETE", f"/accounts/ct-acct-1/orders/{nid}")
check("CT cancel of the working order answers cancelled", st == 200 and b["status"] == "cancelled", b)
st, b = ct("DELETE", "/accounts/ct-acct-1/orders/ord_nope")
check("CT cancel of an unknown order is 404", st == 404, b)
st, _ = call("/_sim/quote?symbol=ZZZ&bid=9.5&bid_size=10&ask=10.25&ask_size=4", "POST")
st, b = ct_new("sc-5", {**MKT10, "symbol": "ZZZ"})
check("CT /_sim/quote sets a quote the next order fills against", b["status"] == "partially_filled" and b["filled_qty"] == "4" and b["avg_fill_price"] == "10.25", b)
for i in range(5): ct_new(f"sc-p{i}", {**MKT10, "order_qty": "1"})
ids = all_orders()
check("CT list walks every order once with limit=2 pages", ids == ["sc-1", "sc-4", "sc-4b", "sc-5"] + [f"sc-p{i}" for i in range(5)], ids)
st, b = ct("GET", "/orders?status=open&symbols=ZZZ")
check("CT list filters by status and symbol", st == 200 and [o["cl_order_id"] for o in b["orders"]] == ["sc-5"], b)
st, b = ct("GET", "/orders?limit=0")
check("CT list limit out of range is 400", st == 400, b)

# Order faults
fault("order_latency_ms=400")
res = {}
def slow(): t = time.monotonic(); res["st"] = ct_new("sc-lat", MKT10)[0]; res["dt"] = time.monotonic() - t
th = threading.Thread(target=slow); th.start(); time.sleep(0.1)
t = time.monotonic(); call("/_sim/status"); other = time.monotonic() - t
th.join()
check("order_latency delays the answer ~400 ms without blocking the loop", res["st"] == 200 and 0.38 < res["dt"] < 0.9 and other < 0.2, (res, other))
fault("order_latency_ms=0")
def lost(fn):
    try:
        fn(); return False
    except (http.client.HTTPException, ConnectionError, ssl.SSLError, OSError):
        return True
fault("order_drop=before")
check("order_drop=before closes the connection", lost(lambda: ct_new("sc-db", MKT10)))
check("order_drop=before executed nothing", "sc-db" not in all_orders())
fault("order_drop=after")
check("order_drop=after closes the connection", lost(lambda: ct_new("sc-da", MKT10)))
check("order_drop=after executed it: the list finds it", "sc-da" in all_orders())
fault("kind=order_drop&when=after")
check("order_drop=after on OM closes the connection", lost(lambda: om_buy([{"position_hash": h2, "shares": 1, "max_price": 0.99}], mode="paper")))
fault("order_hang")
try:
    oreq("POST", "/orders", {"account_id": "ct-acct-1", "cl_order_id": "sc-hang", "broker": "alpaca", "instrument": "EQUITY", **MKT10}, CTH, timeout=1.0)
    check("order_hang never answers", False)
except Exception as e:
    check("order_hang never answers", "timed out" in str(e), e)
check("order_hang executed it: the list finds it", "sc-hang" in all_orders())
fault("order_status=503")
st, b = ct_new("sc-503", MKT10)
check("order_status=503 answers 503 with a CT error body", st == 503 and "message" in b, b)
check("order_status executed nothing", "sc-503" not in all_orders())
fault("kind=order_status&status=429")
st, b = om_buy([{"position_hash": h2, "shares": 1, "max_price": 0.99}], mode="paper")
check("order_status=429 answers an OM error body", st == 429 and b["error"]["code"] == "rate_limited", b)
recs = json.loads(call("/_sim/orders")[1])["orders"]
faults_seen = [(r["venue"], r["cl_order_id"], r["fault"], r["executed"], r["status"]) for r in recs if r["fault"]]
check("/_sim/orders names each fault and whether it executed", faults_seen == [
    ("connect_trade", "", "drop_before", False, 0), ("connect_trade", "sc-da", "drop_after", True, 0),
    ("openmarkets", "", "drop_after", True, 0), ("connect_trade", "sc-hang", "hang", True, 0),
    ("connect_trade", "", "status", False, 503), ("openmarkets", "", "status", False, 429)], faults_seen)
ids = [r["cl_order_id"] for r in recs if r["cl_order_id"] and r["executed"] and r["method"] in ("POST", "PATCH")]
check("/_sim/orders: no cl_order_id executed twice", len(ids) == len(set(ids)), ids)
fd = json.loads(call("/_sim/status")[1])["faults"]["fired"]
check("order faults are counted as fired", fd["order_latency"] >= 1 and fd["order_drop"] == 3 and fd["order_hang"] == 1 and fd["order_status"] == 2, fd)
# keep-alive: many order requests on one connection
conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
socks, sts = set(), []
for i in range(4):
    sts.append(oreq("POST", "/orders", {"account_id": "ct-acct-2", "cl_order_id": f"ka-{i}", "broker": "alpaca", "instrument": "EQUITY", **MKT10, "order_qty": "1"}, CTH, conn=conn)[0])
    sts.append(oreq("POST", "/flow/v1/auth/orders/buy", {"orders": [{"position_hash": h2, "shares": 1, "max_price": 0.99}], "mode": "paper"}, OMH, conn=conn)[0])
    socks.add(id(conn.sock))
conn.close()
check("order routes keep the connection alive", sts == [200] * 8 and len(socks) == 1, (sts, socks))
help_text = subprocess.run([BIN, "--help"], capture_output=True, text=True).stdout
check("--help lists the order faults and flags", all(k in help_text for k in ["order_latency", "order_drop", "order_hang", "order_status", "--idle-timeout-s", "--ct-users", "--om-users"]), help_text[-400:])

# idle timeout and the user/quote flags, on a second simulator
d2 = tempfile.mkdtemp(prefix="simchk2-")
open(d2 + "/ct-secret", "w").write("file-secret\n")
proc2 = subprocess.Popen([BIN, "--port", "0", "--port-file", d2 + "/port", "--state-dir", d, "--idle-timeout-s", "1",
                          "--om-users", "alice", "--ct-users", "bob:bsec:b-1", "--ct-client-id", "c2", "--ct-client-secret-file", d2 + "/ct-secret",
                          "--ct-quote", "QQQ:400:5:400.5:7"], stdout=open(d2 + "/log", "w"), stderr=subprocess.STDOUT)
atexit.register(lambda: proc2.poll() is None and proc2.kill())
for _ in range(100):
    if os.path.exists(d2 + "/port") and open(d2 + "/port").read().strip(): break
    time.sleep(0.1)
port2 = int(open(d2 + "/port").read())
st, b = oreq("POST", "/flow/v1/auth/orders/buy", {"orders": [{"position_hash": "x:y", "shares": 1, "max_price": 0.5}]}, {**OMH, "X-OpenMarkets-Account": "alice"}, p=port2)
check("--om-users sets who may trade", st == 200, b)
st, b = oreq("POST", "/orders", {"account_id": "b-1", "cl_order_id": "q1", "broker": "x", "instrument": "ETF", **MKT10, "symbol": "QQQ"},
             {"client-id": "c2", "client-secret": "file-secret", "user-id": "bob", "user-secret": "bsec"}, p=port2)
check("--ct-users, --ct-client-id, --ct-client-secret-file and --ct-quote take effect", st == 200 and b["filled_qty"] == "7" and b["avg_fill_price"] == "400.5", b)
raw = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port2)), server_hostname="127.0.0.1")
def get_on(sock):
    sock.sendall(b"GET /_sim/status HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data: data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    n = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    while len(rest) < n: rest += sock.recv(65536)
    return head.split(b" ")[1]
first = get_on(raw); time.sleep(0.6); second = get_on(raw)
check("a connection used within the idle timeout stays open", first == second == b"200", (first, second))
time.sleep(1.6)
raw.settimeout(2)
try:
    eof = raw.recv(1) == b""
except socket.timeout:
    eof = False  # still open: the timeout did not fire
except (ssl.SSLError, ConnectionError, OSError):
    eof = True
check("an idle connection is closed after --idle-timeout-s", eof)
proc2.terminate(); proc2.wait()
st = json.loads(call("/_sim/status")[1])
print(json.dumps(st["faults"]["fired"]))
proc.terminate()
proc.wait()
ok = all(r for _, r in results)
print("ALL OK" if ok else "FAILED", sum(1 for _, r in results if r), "/", len(results))
raise SystemExit(0 if ok else 1)
