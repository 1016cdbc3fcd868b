"""The OpenMarkets read side end to end over TLS on loopback (issue 3):
contest discovery by league (new contests subscribed, closed ones dropped
and marked), the partner table, full depth for a configured position, and
live contest state — each compared with what the simulator's own REST API
answers, as exact decimals."""

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from decimal import Decimal

sys.path.insert(0, os.path.dirname(__file__))
from harness import EDGESTAT, Daemon, Sim, run, wait_until  # noqa: E402


def rest(sim, path, body=None):
    req = urllib.request.Request(f"https://127.0.0.1:{sim.port}/flow/v1{path}",
                                 data=None if body is None else json.dumps(body).encode(),
                                 method="GET" if body is None else "POST",
                                 headers={"X-API-Key": sim.api_key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=sim.ctx, timeout=10) as r:
        return json.loads(r.read().decode())["data"]


def edgestat(daemon, *args):
    out = subprocess.run([EDGESTAT(), *args, "--json", "--instance", daemon.instance],
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def contests(daemon):
    return {c["id"]: c for c in daemon.stats()["contests"]}


def truth_of(sim, ids):
    return sorted(line for line in sim.truth().splitlines()
                  if line and json.loads(line)["liquidity_hash"].split(":")[1] in ids)


def book_of(daemon, ids):
    return sorted(line for c in ids for line in daemon.book(c).splitlines() if line)


def test_discovery_partners_depth_and_state():
    sim = Sim("--contests", "6", "--positions", "4", "--rate", "100", "--state-interval-ms", "300")
    listing = rest(sim, "/contests?limit=200")
    league = listing[0]["league_id"]
    selected = sorted(c["id"] for c in listing if c["league_id"] == league and c["status"] == "open")
    assert 1 <= len(selected) < len(listing), listing
    depth_hash = rest(sim, f"/contests/{selected[0]}/liquidity")[0]["position_hash"]
    config = f"""
[openmarkets]
partners_refresh_s = 1
[openmarkets.discovery]
leagues = ["{league}"]
refresh_s = 1
[openmarkets.depth]
positions = ["{depth_hash}"]
refresh_ms = 200
"""
    d = Daemon(sim.url(), sim.ca, [], config_text=config)
    d.wait_live()

    # Discovery: exactly the league's open contests, each in sync.
    wait_until("the league's contests subscribed and fresh",
               lambda: sorted(contests(d)) == selected and
               all(c["sync"] == "fresh" for c in contests(d).values()), 20)

    # Partners: the catalog's "p_" ids name the liquidity data's partners.
    catalog = {p["partner_id"]: p for p in rest(sim, "/partners")}
    table = {p["partner"]: p for p in edgestat(d, "partners")}
    for pid, p in catalog.items():
        short = pid[2:] if pid.startswith("p_") else pid
        assert short in table, (short, table)
        assert table[short]["name"] == p["name"] and table[short]["status"] == p["status"], table[short]

    # Live state: what the venue's REST says, through the batch hydration
    # and then the contest_state channel as the state keeps moving.
    def state_matches():
        venue = rest(sim, "/contest-state/batch", {"contest_ids": selected})
        ours = {s["contest"]: s for s in edgestat(d, "state")}
        for cid in selected:
            v, o = venue[cid]["state"], ours.get(cid)
            if not o or not o["present"] or o["game_status_text"] != v["game_status"]:
                return False
            if "scores" in v and v["scores"] and (o["score_home"], o["score_away"]) != (v["scores"]["home"], v["scores"]["away"]):
                return False
            if v.get("clock") and o["clock_display"] != v["clock"]["display"]:
                return False
        return True
    wait_until("the state table to match the venue", state_matches, 20, 0.1)
    assert all(s["updates"] >= 2 for s in edgestat(d, "state") if s["contest"] in selected), \
        "state kept moving through the contest_state channel"

    # A contest opens in the league: subscribed, synced; one closes: marked.
    sim.call("/_sim/fault?kind=contest_open", "POST")
    opened = wait_until("a new contest in the league",
                        lambda: [c["id"] for c in rest(sim, f"/contests?league_id={league}")
                                 if c["id"] not in selected], 10)[0]
    wait_until("the new contest subscribed and fresh",
               lambda: opened in contests(d) and contests(d)[opened]["sync"] == "fresh", 15)
    closing = selected[0]
    sim.call(f"/_sim/fault?kind=contest_close&contest={closing}", "POST")
    wait_until("the closed contest marked", lambda: contests(d)[closing]["stale_reason"] == "closed", 15)
    live_ids = [c for c in selected if c != closing] + [opened]

    # Quiet venue: the book equals the truth for every contest still served,
    # and the depth record equals the venue's depth answer exactly.
    sim.rate(0)
    sim.wait_sent()
    wait_until("the served contests' book to equal the truth",
               lambda: book_of(d, live_ids) == truth_of(sim, live_ids), 30, 0.25)

    def depth_matches():
        venue = rest(sim, "/depth/" + urllib.parse.quote(depth_hash, safe=""))
        ours = edgestat(d, "depth", "--position", depth_hash)
        if len(ours) != 1 or ours[0]["status"] != "ok":
            return False
        want = {p["partner_id"]: [(Decimal(str(l["price"])), Decimal(str(l["available"]))) for l in p["levels"]]
                for p in venue["partners"]}
        got = {p["partner"]: [(Decimal(l["price"]), Decimal(l["available"])) for l in p["levels"]]
               for p in ours[0]["partners"]}
        return want == got
    wait_until("the depth record to equal the venue's depth", depth_matches, 20, 0.2)
    assert d.stop() == 0
    sim.stop()


if __name__ == "__main__":
    run([test_discovery_partners_depth_and_state])
