"""Our client against a WebSocket server the project did not write (Debian's
python3-websockets, behind TLS with the simulator's test CA): fragmented
messages with pings between fragments, 16- and 64-bit lengths, unknown
fields, varied number forms. The peer computes its truth with Python's
Decimal; the shared-memory book must equal it entry for entry."""

import os
import subprocess
import sys
import tempfile

from harness import EDGESIM, Daemon, run, wait_until, _procs

PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers", "ws_peer_server.py")


def make_pki(dirname):
    # edgesim writes its test CA and server certificate at start-up.
    subprocess.run([EDGESIM(), "--port", "0", "--state-dir", dirname, "--seconds", "0.2"],
                   check=True, capture_output=True, timeout=30)


def test_book_equals_the_foreign_peers_truth():
    d = tempfile.mkdtemp(prefix="peer-")
    make_pki(d)
    port_file, truth_file = os.path.join(d, "port"), os.path.join(d, "truth.jsonl")
    peer = subprocess.Popen([sys.executable, PEER, "--cert", os.path.join(d, "server.pem"),
                             "--key", os.path.join(d, "server.key"), "--port-file", port_file,
                             "--truth-file", truth_file, "--messages", "3000", "--seconds", "60"],
                            stdout=open(os.path.join(d, "peer.log"), "w"), stderr=subprocess.STDOUT)
    _procs.append(peer)
    wait_until("the peer to listen", lambda: os.path.exists(port_file) and open(port_file).read().strip(), 20)
    port = int(open(port_file).read())
    daemon = Daemon(f"wss://127.0.0.1:{port}/flow/v1/stream", os.path.join(d, "ca.pem"),
                    [f"ct_peer_{i}" for i in range(4)], api_key="peer-key",
                    # The peer sends its 3000 messages (some of 100 KiB) at once,
                    # while the snapshots are in flight: hold them all, so that
                    # any error below is a real one (hold overflow has its own test).
                    config_text="[capacity]\nhold_bytes = 67108864\n")
    daemon.wait_live()
    truth = open(truth_file).read()
    assert truth.count("\n") > 50
    daemon.wait_book_equals(truth, timeout=60)
    conn = daemon.stats()["connections"][0]
    assert all(v == 0 for v in conn["errors"].values()), conn["errors"]
    assert conn["pings_answered"] >= 300, conn  # one ping between fragments of every 10th message
    assert daemon.stop() == 0


if __name__ == "__main__":
    run([test_book_equals_the_foreign_peers_truth])
