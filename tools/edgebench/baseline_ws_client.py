"""edgebench's baseline: the straightforward client a team might write first,
on a well-kept library (Debian's python3-websockets over Python's ssl, JSON
via the json module with exact Decimal numbers into a dict book). It consumes
the same simulator burst as edgefeed in the same run, and reports its CPU
time per message, so edgebench can print a ratio measured side by side.

  baseline_ws_client.py URL CA_FILE API_KEY CONTESTS MESSAGES OUT_JSON
"""

import asyncio
import json
import resource
import ssl
import sys
import time
from decimal import Decimal

import websockets


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def main(url, ca, key, contests, expected, out_path):
    ctx = ssl.create_default_context(cafile=ca)
    book = {}
    messages = entries = 0
    async with websockets.connect(url, ssl=ctx, extra_headers={"X-API-Key": key},
                                  compression=None, max_size=None) as ws:
        json.loads(await ws.recv())  # greeting
        await ws.send(json.dumps({"action": "subscribe", "channel": "liquidity", "contest_ids": contests}))
        json.loads(await ws.recv())  # subscribed
        open(out_path + ".ready", "w").close()
        cpu0, wall0 = None, None
        while messages < expected:
            raw = await asyncio.wait_for(ws.recv(), timeout=60)
            if cpu0 is None:
                cpu0, wall0 = cpu_seconds(), time.monotonic()
            msg = json.loads(raw, parse_float=Decimal, parse_int=Decimal)
            if msg.get("type") != "liquidity.update":
                continue
            messages += 1
            for e in msg["changed_entries"]:
                entries += 1
                if e["available"] == 0:
                    book.pop(e["liquidity_hash"], None)
                else:
                    book[e["liquidity_hash"]] = (e["price"], e["available"])
        cpu, wall = cpu_seconds() - cpu0, time.monotonic() - wall0
    with open(out_path, "w") as f:
        json.dump({"messages": messages, "entries": entries, "cpu_s": cpu, "wall_s": wall}, f)


if __name__ == "__main__":
    url, ca, key, contests, expected, out = sys.argv[1:7]
    asyncio.run(main(url, ca, key, contests.split(","), int(expected), out))
