"""End-to-end test harness: starts edgesim, the edgefeed daemon and tools on
loopback, drives the simulator's control API over TLS, and compares books.
Every wait is bounded in time; every process is stopped at exit. Standard
library only (plus Debian's python3-websockets for the peer tests)."""

import atexit
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request

BUILD = os.environ.get("EDGEFEED_BUILD_DIR", "")


def exe(rel):
    path = os.path.join(BUILD, rel)
    if not os.path.exists(path):
        raise SystemExit(f"missing {path}: set EDGEFEED_BUILD_DIR to a build directory")
    return path


EDGEFEED = lambda: exe("src/daemon/edgefeed")
EDGESIM = lambda: exe("tools/edgesim/edgesim")
EDGESTAT = lambda: exe("tools/edgestat/edgestat")
CONSUMER = lambda: exe("tools/example_consumer/edgefeed-consumer")

_procs = []
_instances = []  # shared-memory regions to remove at exit (the daemon leaves its region for readers)


def _cleanup():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    for name in _instances:
        for suffix in ("", ".orders"):
            try:
                os.unlink(f"/dev/shm/edgefeed.{name}{suffix}")
            except FileNotFoundError:
                pass


atexit.register(_cleanup)


def wait_until(what, predicate, timeout=30.0, interval=0.05):
    """Polls predicate() until it returns a truthy value; fails with `what`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Sim:
    """An edgesim process on an ephemeral loopback port with its own test CA."""

    def __init__(self, *args, api_key="sim-key", state_dir=None, replay=False):
        # replay: also stream each subscribed contest's whole book as updates
        # on subscribe (off, as at a real venue: the daemon takes REST snapshots).
        self.dir = state_dir or tempfile.mkdtemp(prefix="edgesim-")
        self.api_key = api_key
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(os.path.join(self.dir, "edgesim.log"), "w")
        self.proc = subprocess.Popen(
            [EDGESIM(), "--port", "0", "--port-file", port_file, "--state-dir", self.dir,
             "--api-key", api_key, *(["--replay"] if replay else []), *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        _procs.append(self.proc)
        wait_until("edgesim to listen", lambda: os.path.exists(port_file) or self._died(), 20)
        self.port = int(open(port_file).read())
        self.ca = os.path.join(self.dir, "ca.pem")
        self.contests = open(os.path.join(self.dir, "contests.txt")).read().split()
        self.ctx = ssl.create_default_context(cafile=self.ca)

    def _died(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"edgesim exited: {open(self.log.name).read()[-2000:]}")
        return False

    def url(self):
        return f"wss://127.0.0.1:{self.port}/flow/v1/stream"

    def call(self, path, method="GET"):
        req = urllib.request.Request(f"https://127.0.0.1:{self.port}{path}", method=method)
        with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
            return r.read().decode()

    def status(self):
        return json.loads(self.call("/_sim/status"))

    def truth(self):
        return self.call("/_sim/truth")

    def burst(self, messages, entries=3):
        return json.loads(self.call(f"/_sim/burst?messages={messages}&entries={entries}", "POST"))

    def rate(self, per_second):
        return json.loads(self.call(f"/_sim/rate?per_second={per_second}", "POST"))

    def wait_sent(self, timeout=60):
        return wait_until("the simulator to send everything",
                          lambda: (lambda s: s["burst_remaining"] == 0 and s["backlog_bytes"] == 0)(self.status()),
                          timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)


class Daemon:
    """An edgefeed daemon on its own instance, pointed at a venue URL."""

    def __init__(self, venue_url, ca_file, contests, api_key="sim-key", instance=None,
                 extra=(), config_text=None, cores="0"):
        self.instance = instance or f"e2e-{os.getpid()}-{int(time.monotonic_ns() % 1_000_000)}"
        _instances.append(self.instance)
        self.dir = tempfile.mkdtemp(prefix="edgefeed-")
        key_file = os.path.join(self.dir, "api.key")
        with open(key_file, "w") as f:
            f.write(api_key + "\n")
        os.chmod(key_file, 0o600)
        # Order journal and cl_order_id state: a directory of this test's own.
        self.journal_dir = os.path.join(self.dir, "journal")
        args = [EDGEFEED(), "--instance", self.instance, "--venue", venue_url, "--ca-file", ca_file,
                "--api-key-file", key_file, "--cores", cores, "--journal-dir", self.journal_dir]
        if contests:
            args += ["--contest", ",".join(contests)]
        if config_text is not None:
            cfg = os.path.join(self.dir, "edgefeed.toml")
            with open(cfg, "w") as f:
                f.write(config_text)
            args += ["--config", cfg]
        args += list(extra)
        self.log_path = os.path.join(self.dir, "edgefeed.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        _procs.append(self.proc)

    def log_text(self):
        return open(self.log_path).read()

    def alive(self):
        return self.proc.poll() is None

    def stats(self):
        out = subprocess.run([EDGESTAT(), "--instance", self.instance, "--json", "--wait", "5"],
                             capture_output=True, text=True, timeout=20)
        if out.returncode != 0:
            raise AssertionError(f"edgestat failed: {out.stderr}\ndaemon log:\n{self.log_text()[-3000:]}")
        return json.loads(out.stdout)

    def book(self, contest=None):
        args = [EDGESTAT(), "book", "--json", "--instance", self.instance]
        if contest:
            args += ["--contest", contest]
        out = subprocess.run(args, capture_output=True, text=True, timeout=20)
        if out.returncode != 0:
            raise AssertionError(f"edgestat book failed: {out.stderr}")
        return out.stdout

    def wait_live(self, connections=1, timeout=30):
        def live():
            if not self.alive():
                raise AssertionError(f"edgefeed exited {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                s = self.stats()
            except AssertionError:
                return False
            # "running": start-up is over (order path up, process stats published).
            return (s["state"] == "running"
                    and sum(1 for c in s["connections"] if c["state"] == "live") >= connections and s)
        return wait_until("the daemon to go live", live, timeout, 0.2)

    def wait_book_equals(self, truth, timeout=60):
        """The book converges to the venue's truth, entry for entry."""
        def same():
            b = self.book()
            return b == truth and b
        try:
            return wait_until("the book to equal the simulator's truth", same, timeout, 0.25)
        except AssertionError:
            diff_report(truth, self.book())
            raise

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("edgefeed did not stop within 10 s of SIGTERM")
        return self.proc.returncode


def diff_report(truth, book, limit=10):
    t, b = set(truth.splitlines()), set(book.splitlines())
    print(f"truth has {len(t)} entries, book has {len(b)}")
    for line in sorted(t - b)[:limit]:
        print("  missing from book:", line)
    for line in sorted(b - t)[:limit]:
        print("  extra in book:    ", line)


class Skip(Exception):
    """A test that cannot run here says why; meson counts exit status 77 as skipped."""


def run(tests, cleanup_each=True):
    """Runs test functions in order; prints a line per test; exit status 1 on
    failure, 77 when every test skipped. cleanup_each=False keeps processes
    between tests (tests sharing one venue); they are stopped at exit."""
    failed = skipped = 0
    for t in tests:
        start = time.monotonic()
        try:
            t()
            print(f"ok   {t.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
        except Skip as e:
            skipped += 1
            print(f"skip {t.__name__}: {e}", flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure kind
            failed += 1
            print(f"FAIL {t.__name__}: {e}", flush=True)
        finally:
            if cleanup_each:
                _cleanup()
                _procs.clear()
    raise SystemExit(1 if failed else 77 if skipped == len(tests) else 0)
