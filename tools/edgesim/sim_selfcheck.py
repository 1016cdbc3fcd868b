"""edgesim checks itself: a small stream + REST client (Python, Decimal
truth) drives every REST endpoint and every fault kind of issue 3 against a
running simulator and checks what a client sees: envelopes and pagination,
strictly increasing per-contest timestamps, the contest_state channel,
convergence through refresh_required and through a slow snapshot that
changed silently (hold and re-apply), close codes for bad frames, stalls,
upgrade rejections and REST faults. Usage: sim_selfcheck.py PATH/TO/edgesim.
Exit 0 when all pass, 1 on a failure, 77 (skip) without python3-websockets."""

import asyncio
import atexit
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
from decimal import Decimal

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
st = json.loads(call("/_sim/status")[1])
print(json.dumps(st["faults"]["fired"]))
proc.terminate()
proc.wait()
ok = all(r for _, r in results)
print("ALL OK" if ok else "FAILED", sum(1 for _, r in results if r), "/", len(results))
raise SystemExit(0 if ok else 1)
