"""Simulator -> daemon -> shared memory -> consumers, over real TLS on
loopback: the book equals the venue's truth entry for entry, as read by
edgestat and by the example C consumer through the C ABI."""

import subprocess

from harness import CONSUMER, Daemon, Sim, run, wait_until


def test_book_equals_truth_after_a_burst():
    sim = Sim("--contests", "6", "--positions", "24", "--seed", "7")
    d = Daemon(sim.url(), sim.ca, sim.contests)
    d.wait_live()
    sim.burst(20000, entries=3)
    sim.wait_sent()
    truth = sim.truth()
    assert truth.count("\n") > 100, "the simulator should have a sizeable book"
    d.wait_book_equals(truth)
    stats = d.stats()
    conn = stats["connections"][0]
    assert conn["updates"] >= 20000, conn
    assert all(v == 0 for k, v in conn["errors"].items()), conn["errors"]
    assert stats["book"]["stale_contests"] == 0, stats["contests"]
    # The C consumer reads the same book through the C ABI.
    dump = subprocess.run([CONSUMER(), "--instance", d.instance, "--dump"], capture_output=True,
                          text=True, timeout=20)
    assert dump.returncode == 0, dump.stderr
    assert "".join(sorted(dump.stdout.splitlines(keepends=True))) == truth
    assert d.stop() == 0


def test_key_in_query_parameter_works_too():
    sim = Sim("--contests", "2", "--seed", "3")
    d = Daemon(sim.url(), sim.ca, sim.contests,
               config_text='[openmarkets]\nkey_in = "query"\n')
    d.wait_live()
    sim.burst(2000)
    sim.wait_sent()
    d.wait_book_equals(sim.truth())
    assert "sim-key" not in d.log_text(), "the API key must never be logged"


def test_steady_rate_is_followed_by_a_consumer():
    sim = Sim("--contests", "3", "--seed", "11", "--rate", "2000")
    d = Daemon(sim.url(), sim.ca, sim.contests)
    d.wait_live()
    out = subprocess.run([CONSUMER(), "--instance", d.instance, "--quiet", "--seconds", "2"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), "the consumer should report what it followed"
    sim.rate(0)
    wait_until("the rate to stop", lambda: sim.status()["backlog_bytes"] == 0)
    d.wait_book_equals(sim.truth())


def test_reconnect_resumes_tls_and_the_book_converges():
    sim = Sim("--contests", "3", "--seed", "17")
    d = Daemon(sim.url(), sim.ca, sim.contests)
    d.wait_live()
    sim.burst(3000)
    sim.wait_sent()
    d.wait_book_equals(sim.truth())
    assert sim.call("/_sim/drop", "POST") == '{"dropped":1}'
    # Backoff starts at 1 s (+-20 % jitter): well within the wait.
    wait_until("a reconnect", lambda: (lambda c: c["reconnects"] == 1 and c["state"] == "live" and c)(
        d.stats()["connections"][0]), 15, 0.2)
    conn = d.stats()["connections"][0]
    assert conn["tls_handshakes"] == 2 and conn["tls_resumed"] == 1, conn
    assert conn["errors"]["ws_closed_by_venue"] == 1 or conn["errors"]["socket_error"] == 1, conn["errors"]
    sim.burst(3000)
    sim.wait_sent()
    d.wait_book_equals(sim.truth())


if __name__ == "__main__":
    run([test_book_equals_truth_after_a_burst, test_key_in_query_parameter_works_too,
         test_steady_rate_is_followed_by_a_consumer,
         test_reconnect_resumes_tls_and_the_book_converges])
