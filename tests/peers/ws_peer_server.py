"""A venue stand-in built on a WebSocket server the project did not write
(Debian's python3-websockets), behind TLS. It speaks just enough of the
OpenMarkets stream (greeting, subscribe, liquidity.update, pong) and replays
a deterministic script of update frames, some fragmented into continuation
frames with pings in between, some large enough for 64-bit lengths. It keeps
its own truth book with Python's Decimal, so a bug shared by our client and
our simulator cannot hide: neither our framing nor our numbers are used here.

  ws_peer_server.py --cert C --key K --port-file F --truth-file T --messages N
"""

import argparse
from http import HTTPStatus
import asyncio
import json
import random
import ssl
from decimal import Decimal

import websockets

API_KEY = "peer-key"


def exact(d: Decimal) -> str:
    """Shortest exact decimal text, no exponent: what edgestat prints."""
    t = format(d, "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return "0" if t in ("", "-0") else t


def number_forms(d: Decimal, rng: random.Random) -> str:
    """The same value in one of several valid JSON number forms."""
    plain = exact(d)
    sign, digits, exp = d.normalize().as_tuple()
    ds = "".join(map(str, digits))
    forms = [plain, f"{ds}e{exp}", f"{ds[0]}.{ds[1:] or '0'}E{exp + len(ds) - 1:+d}",
             plain + (".0" if "." not in plain else "0")]
    return forms[rng.randrange(len(forms))]


class Script:
    def __init__(self, contests, messages, seed):
        self.rng = random.Random(seed)
        self.contests = contests
        self.truth = {}
        self.frames = []
        self.changes = []  # (frame index, liquidity_hash, price, available)
        partners = ["kalshi", "polymarket", "novig"]
        for i in range(messages):
            contest = contests[i % len(contests)]
            # A few messages over 64 KiB: 64-bit WebSocket lengths.
            n_entries = 800 if i % 97 == 50 else 1 + self.rng.randrange(4)
            entries = []
            for _ in range(n_entries):
                pos = f"{contest}:mk_ml:side_{self.rng.choice(['home', 'away'])}:var_0:p_t{self.rng.randrange(6)}:tf_full"
                partner = self.rng.choice(partners)
                price = Decimal(self.rng.randrange(1, 10000)) / Decimal(10000)
                avail = Decimal(0) if self.rng.random() < 0.1 else Decimal(self.rng.randrange(1, 10**7)) / Decimal(100)
                key = f"{partner}:{pos}"
                if avail == 0:
                    self.truth.pop(key, None)
                else:
                    self.truth[key] = (price, avail)
                self.changes.append((i, key, price, avail))
                entries.append(f'{{"liquidity_hash":"{key}","partner_id":"{partner}",'
                               f'"price":{number_forms(price, self.rng)},'
                               f'"available":{number_forms(avail, self.rng)},"extra":{{"ignored":[1,2]}}}}')
            ts = self.timestamp(i)
            self.frames.append(f'{{ "contest_id" : "{contest}", "type":"liquidity.update", '
                               f'"changed_entries":[{",".join(entries)}], "refresh_required":false, '
                               f'"timestamp":"{ts}", "sequence": {i} }}')

    @staticmethod
    def timestamp(i):
        # Strictly increasing, one microsecond apart.
        return f"2026-11-21T10:00:00.{i:06d}Z"

    def snapshot(self, contest, frames_sent):
        """The contest's book after the first frames_sent frames, as REST serves it."""
        book = {}
        for i, key, price, avail in self.changes:
            if i >= frames_sent:
                break
            if key.split(":")[1] != contest:
                continue
            if avail == 0:
                book.pop(key, None)
            else:
                book[key] = (price, avail)
        positions = {}
        for key, (price, avail) in sorted(book.items()):
            partner, pos = key.split(":", 1)
            positions.setdefault(pos, []).append(
                {"partner_id": partner, "partner_name": partner.title(),
                 "price": exact(price),
                 "available": exact(avail)})
        data = [{"position_hash": pos, "contest_id": contest, "partner_liquidities": pls}
                for pos, pls in positions.items()]
        ts = self.timestamp(frames_sent - 1) if frames_sent else "2026-11-21T09:59:59Z"
        return {"data": data, "meta": {"timestamp": ts, "api_version": "v1"}}

    def truth_lines(self):
        lines = [json.dumps({"liquidity_hash": k, "price": exact(p), "available": exact(a)},
                            separators=(",", ":")) for k, (p, a) in self.truth.items()]
        return "".join(line + "\n" for line in sorted(lines))


async def serve(args):
    contests = [f"ct_peer_{i}" for i in range(4)]
    script = Script(contests, args.messages, args.seed)
    with open(args.truth_file, "w") as f:
        f.write(script.truth_lines())
    done = asyncio.Event()
    sent = [0]  # frames handed to the socket so far (the snapshot reflects them)

    async def handler(ws, path=None):
        if ws.request_headers.get("X-API-Key") != API_KEY:
            await ws.close(4001, "bad key")
            return
        await ws.send(json.dumps({"type": "connected", "organization_id": "org_peer",
                                  "api_key_id": "key_peer", "server_time": "2026-11-21T10:00:00Z"}))
        sub = json.loads(await ws.recv())
        assert sub["action"] == "subscribe" and sub["channel"] == "liquidity", sub
        await ws.send(json.dumps({"type": "subscribed", "channel": "liquidity",
                                  "contest_ids": sub["contest_ids"]}))
        for i, frame in enumerate(script.frames):
            if i % 10 == 3:
                # Fragmented: continuation frames, with a ping between fragments.
                cut = [frame[: len(frame) // 3], frame[len(frame) // 3: 2 * len(frame) // 3],
                       frame[2 * len(frame) // 3:]]

                async def fragments():
                    for j, part in enumerate(cut):
                        if j == 1:
                            await ws.ping(f"between-fragments-{i}".encode())
                        yield part
                await ws.send(fragments())
            else:
                await ws.send(frame)
            sent[0] = i + 1
        # Answer application pings until the client goes away.
        try:
            async for message in ws:
                if json.loads(message).get("action") == "ping":
                    await ws.send(json.dumps({"type": "pong", "server_time": "2026-11-21T10:01:00Z"}))
        except websockets.ConnectionClosed:
            pass
        done.set()

    # The REST side the client needs before it trusts a book: the snapshot
    # of each contest as it was before the first update (empty, timestamped
    # earlier than every frame, so every update is held and re-applied on
    # top of it), and an empty contest-state batch. websockets answers these
    # plain HTTP requests itself and closes the connection after each.
    def process_request(path, headers):
        if headers.get("Upgrade", "").lower() == "websocket":
            return None
        body_headers = [("Content-Type", "application/json")]
        if headers.get("X-API-Key") != API_KEY:
            return (HTTPStatus.UNAUTHORIZED, body_headers, b'{"error":{"code":"unauthorized","message":"bad key"}}')
        parts = path.split("?")[0].split("/")
        if len(parts) == 6 and parts[1:4] == ["flow", "v1", "contests"] and parts[5] == "liquidity":
            body = json.dumps(script.snapshot(parts[4], sent[0])).encode()
            return (HTTPStatus.OK, body_headers, body)
        if path.startswith("/flow/v1/contest-state/batch"):
            return (HTTPStatus.OK, body_headers, b'{"data":{},"meta":{"timestamp":"2026-11-21T09:59:59Z"}}')
        return (HTTPStatus.NOT_FOUND, body_headers, b'{"error":{"code":"not_found","message":"no such path"}}')

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    async with websockets.serve(handler, "127.0.0.1", 0, ssl=ctx, compression=None,
                                ping_interval=1, ping_timeout=5, max_size=None,
                                process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        with open(args.port_file, "w") as f:
            f.write(f"{port}\n")
        try:
            await asyncio.wait_for(done.wait(), timeout=args.seconds)
        except asyncio.TimeoutError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--truth-file", required=True)
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--seconds", type=float, default=60)
    asyncio.run(serve(p.parse_args()))


if __name__ == "__main__":
    main()
