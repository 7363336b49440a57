"""Fair sharing: tiles interleave between users, per-user caps on running
tiles and active jobs (429), over real HTTP on 127.0.0.1."""
import threading
import time

from backend_testlib import PAUSE_ENV, add_user
from ogc_client import OgcClient

# Tiles of France absent from the (empty) lake: each holds its worker for the
# pause, then fails at once; what is measured is the order they run in.
BIG = ["31TCJ", "31TDJ", "31TCH", "31TDH", "31TEJ", "31TFJ", "31TEK", "31TFK"]
PERIOD = {"start": "2018-01-01", "end": "2018-01-31"}


def test_a_small_job_does_not_wait_behind_a_big_one(make_server, tmp_path):
    (tmp_path / "lake").mkdir()
    server = make_server(tmp_path / "lake", workers=1, env={PAUSE_ENV: "0.5"},
                         args=["--max-active-jobs-per-user", "2"]).start()
    alice = OgcClient(server.url, add_user(server.store_url, "alice"))
    bob = OgcClient(server.url, add_user(server.store_url, "bob"))
    big = alice.submit("snow_cover", {"area": BIG, **PERIOD})
    time.sleep(0.3)
    small = bob.submit("snow_cover", {"area": ["32TNN"], **PERIOD})
    assert bob.wait(small)["status"] == "failed"            # no data: it ran
    # Bob's tile ran second or third, not after Alice's eight.
    ended = alice.get(big).json()["tiles"]["failed"]
    assert ended <= 3, ended
    # Alice may have 2 active jobs: the third is refused, with a retry delay.
    alice.submit("snow_cover", {"area": ["31TCJ"], **PERIOD})
    third = alice.execute("snow_cover", {"area": ["31TCJ"], **PERIOD})
    assert third.status_code == 429 and third.headers["Retry-After"] == "60"
    assert third.json()["type"].endswith("/too-many-jobs")
    assert bob.execute("snow_cover", {"area": ["31TCJ"], **PERIOD}).status_code == 201


def test_round_robin_and_the_per_user_cap():
    from backend.fair import FairGate
    gate = FairGate(lambda: 2, per_user=1)
    order = []

    def take(user):
        assert gate.acquire(user)
        order.append(user)
    assert gate.acquire("a")
    blocked = threading.Thread(target=take, args=("a",))
    blocked.start()                             # a is at its cap of 1
    time.sleep(0.3)
    take("b")                                   # b gets the other slot at once
    assert order == ["b"]
    gate.release("a")
    blocked.join(2)
    assert order == ["b", "a"]
    # One slot: a user served recently yields to one who was not.
    gate = FairGate(lambda: 1)
    assert gate.acquire("a")
    waiters = [threading.Thread(target=take, args=(u,)) for u in ("a", "c")]
    order.clear()
    for w in waiters:
        w.start()
        time.sleep(0.1)
    gate.release("a")
    time.sleep(0.5)
    assert order == ["c"]
    gate.release("c")
    for w in waiters:
        w.join(2)
    assert order == ["c", "a"]


def test_a_cancelled_job_stops_waiting():
    from backend.fair import FairGate
    gate = FairGate(lambda: 1)
    assert gate.acquire("a")
    started = time.monotonic()
    assert gate.acquire("b", idle=lambda: time.monotonic() - started > 0.3) is False
    assert gate.running == {"a": 1}
