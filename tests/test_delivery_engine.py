"""The delivery engine (mockserver/delivery/), driven through a provider that exists only in the
tests (tests/echo_provider.py: each new note is delivered to every hook): background sending,
the delivery log and its filters, retries on the fake clock, rules, pauses, both run modes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import echo_provider
import httpx
import pytest

from mockserver import registry
from mockserver.app import create_app
from mockserver.core.fixtures import demo_path, read
from mockserver.delivery.receiver import Receiver
from mockserver.testing import LiveServer, asgi_client

KEY = {"X-Echo-Key": "echoKey0001"}
HOOK = "http://hooks.test/echo"


@pytest.fixture
def echo() -> Iterator[registry.Provider]:
    provider = registry.register(echo_provider.PROVIDER)
    try:
        yield provider
    finally:
        registry.unregister(provider.name)


@pytest.fixture
def app(echo):
    return create_app(fixture=echo_provider.world(read(demo_path())))


@pytest.fixture
def receiver(app) -> Receiver:
    r = Receiver()
    app.state.server.deliveries.mount("http://hooks.test", r.transport())
    return r


@pytest.fixture
def client(app, receiver) -> Iterator[httpx.Client]:
    with asgi_client(app) as c:
        assert c.post("/echo/hooks", json={"url": HOOK}, headers=KEY).status_code == 201
        yield c


def note(client: httpx.Client, text: str) -> None:
    assert client.post("/echo/notes", json={"text": text}, headers=KEY).status_code == 201


def listing(client: httpx.Client, **params) -> dict:
    response = client.get("/_mock/deliveries", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def flush(client: httpx.Client) -> dict:
    response = client.post("/_mock/deliveries/flush", json={"timeout": 10})
    assert response.status_code == 200, response.text
    return response.json()


def advance(client: httpx.Client, seconds: float) -> None:
    client.post("/_mock/clock", json={"advance": seconds}).raise_for_status()


def test_a_change_is_delivered_signed_and_recorded(client, receiver):
    note(client, "hello")
    flush(client)
    (got,) = receiver.received
    assert got.method == "POST" and got.path == "/echo"
    assert got.json() == {"note": "hello"}
    assert got.header("x-echo-signature") == echo_provider.signature("echoKey0001", got.body)
    (d,) = listing(client)["deliveries"]
    assert d["id"].startswith("dlv_")
    assert (d["provider"], d["kind"], d["target"], d["subscription"]) == (
        "echo",
        "note",
        HOOK,
        HOOK,
    )
    assert d["headers"]["X-Echo-Signature"] == got.header("x-echo-signature")
    assert d["json"] == {"note": "hello"} and d["body"] == got.text
    assert d["status"] == "delivered"
    (attempt,) = d["attempts"]
    assert attempt["status"] == 200 and attempt["error"] is None
    assert attempt["latency_ms"] >= 0
    assert d["changes"]  # the change feed record it came from


def test_the_triggering_response_never_waits_for_its_delivery(app, client, receiver, echo):
    """The receiver holds its answer until the test lets go: the note's 201 comes back while
    the delivery is still under way."""
    release = threading.Event()
    holding = threading.Event()

    class Held(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            holding.set()
            while not release.is_set():
                await __import__("asyncio").sleep(0.01)
            return httpx.Response(200)

    app.state.server.deliveries.mount("http://hooks.test", Held())
    try:
        note(client, "no waiting")  # returns although the receiver has not answered
        assert holding.wait(10), "the delivery never started"
        (d,) = listing(client)["deliveries"]
        assert d["status"] == "delivering"
    finally:
        release.set()
    flush(client)
    assert listing(client)["deliveries"][0]["status"] == "delivered"


def test_retries_follow_the_fake_clock_and_a_frozen_clock_fires_nothing(app, client, receiver):
    receiver.respond(500)
    client.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    note(client, "failing")
    flush(client)
    (d,) = listing(client)["deliveries"]
    assert d["status"] == "retrying" and len(d["attempts"]) == 1
    time.sleep(0.3)  # real time passes; the frozen clock does not
    flush(client)
    assert len(listing(client)["deliveries"][0]["attempts"]) == 1
    advance(client, 9)
    flush(client)
    assert len(listing(client)["deliveries"][0]["attempts"]) == 1  # due at +10 s
    advance(client, 1)
    flush(client)
    d = listing(client)["deliveries"][0]
    assert [a["status"] for a in d["attempts"]] == [500, 500]
    receiver.respond(200)
    advance(client, 30)
    flush(client)
    d = listing(client)["deliveries"][0]
    assert d["status"] == "delivered" and [a["status"] for a in d["attempts"]] == [500, 500, 200]
    assert app.state.server.backends["echo"].store.settled == [(d["id"], "delivered")]


def test_retries_run_out_and_the_provider_is_told(app, client, receiver):
    receiver.respond(503)
    client.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    note(client, "never")
    for seconds in (0, 10, 30):
        advance(client, seconds)
        flush(client)
    (d,) = listing(client, status="failed")["deliveries"]
    assert len(d["attempts"]) == 3  # the policy's attempts
    assert app.state.server.backends["echo"].store.settled == [(d["id"], "failed")]


def test_flush_returns_while_retries_wait_for_a_running_clock(client, receiver):
    receiver.respond(500, times=1)
    note(client, "later")
    summary = flush(client)  # the retry is 10 s away: not due
    assert summary["pending"] == 1 and summary["next_due_at"]
    assert listing(client, status="retrying")["count"] == 1


def test_a_network_error_is_an_attempt_with_an_error(app, client):
    with LiveServer() as nobody:  # a port that answers, then stops listening
        dead = nobody.url
    assert client.post("/echo/hooks", json={"url": dead + "/gone"}, headers=KEY).status_code == 201
    client.post("/_mock/clock", json={"freeze": True})
    note(client, "lost")
    flush(client)
    (d,) = listing(client, target=dead)["deliveries"]
    assert d["attempts"][0]["status"] is None
    assert "ConnectError" in d["attempts"][0]["error"]


def test_one_stuck_target_does_not_hold_up_another(app, client, receiver):
    release = threading.Event()

    class Stuck(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            while not release.is_set():
                await __import__("asyncio").sleep(0.01)
            return httpx.Response(200)

    app.state.server.deliveries.mount("http://stuck.test", Stuck())
    client.post("/echo/hooks", json={"url": "http://stuck.test/x"}, headers=KEY)
    try:
        note(client, "both")
        receiver.wait_for(timeout=10)  # the healthy target got it while the other hangs
        stuck = listing(client, target="http://stuck.test")["deliveries"]
        assert [d["status"] for d in stuck] == ["delivering"]
    finally:
        release.set()
    flush(client)


# -- rules and pauses -------------------------------------------------------------------------


def add_rule(client: httpx.Client, **spec) -> dict:
    response = client.post("/_mock/deliveries/rules", json=spec)
    assert response.status_code == 201, response.text
    return response.json()


def test_fail_rule_records_an_attempt_without_sending(client, receiver):
    rule = add_rule(client, action="fail", provider="echo", status=503)
    client.post("/_mock/clock", json={"freeze": True})
    note(client, "a")
    flush(client)
    assert receiver.received == []
    (d,) = listing(client)["deliveries"]
    assert d["attempts"][0] == {**d["attempts"][0], "status": 503, "rule": rule["id"]}
    advance(client, 10)
    flush(client)  # times defaults to 1: the retry goes through
    assert [r.json() for r in receiver.received] == [{"note": "a"}]
    network = add_rule(client, action="fail", error="connection reset", nth=2)
    note(client, "b")
    note(client, "c")
    flush(client)
    failed = listing(client, status="retrying")["deliveries"]
    assert [d["json"] for d in failed] == [{"note": "c"}]
    assert failed[0]["attempts"][0]["error"] == "connection reset"
    assert client.get(f"/_mock/deliveries/rules/{network['id']}").json()["fired"] == 1


def test_drop_delay_duplicate_and_reorder(client, receiver):
    client.post("/_mock/clock", json={"freeze": True})
    add_rule(client, action="drop", kind="note")
    note(client, "dropped")
    flush(client)
    assert receiver.received == []
    assert listing(client, status="dropped")["count"] == 1

    add_rule(client, action="delay", seconds=60)
    note(client, "delayed")
    flush(client)
    assert receiver.received == []
    advance(client, 60)
    flush(client)
    assert [r.json()["note"] for r in receiver.received] == ["delayed"]

    add_rule(client, action="duplicate")
    note(client, "twice")
    flush(client)
    assert [r.json()["note"] for r in receiver.received][1:] == ["twice", "twice"]
    dup = listing(client, limit=1)["deliveries"][0]
    assert dup["duplicate_of"]

    add_rule(client, action="reorder")
    note(client, "first")
    note(client, "second")
    flush(client)
    assert [r.json()["note"] for r in receiver.received][3:] == ["second", "first"]


def test_rules_are_checked_all_or_none(client):
    bad = client.post(
        "/_mock/deliveries/rules", json=[{"action": "drop"}, {"action": "explode", "times": 0}]
    )
    assert bad.status_code == 400
    assert any(p.startswith("[1]: action") for p in bad.json()["problems"])
    assert client.get("/_mock/deliveries/rules").json()["rules"] == []
    one = client.post("/_mock/deliveries/rules", json={"action": "delay"})
    assert one.status_code == 400 and one.json()["problems"] == ["a delay needs seconds > 0"]
    unknown = client.post("/_mock/deliveries/rules", json={"action": "drop", "provider": "nope"})
    assert unknown.status_code == 400


def test_pause_holds_and_resume_or_deliver_now_releases(client, receiver):
    client.post("/_mock/deliveries/pause", json={"provider": "echo"}).raise_for_status()
    note(client, "one")
    note(client, "two")
    summary = flush(client)  # paused deliveries are not due: flush returns
    assert summary["held"] == 2 and receiver.received == []
    held = listing(client, status="held")["deliveries"]
    assert [d["held_by"] for d in held] == ["pause", "pause"]
    now = client.post(f"/_mock/deliveries/{held[1]['id']}/deliver")
    assert now.status_code == 202
    flush(client)
    assert [r.json()["note"] for r in receiver.received] == ["two"]
    resumed = client.post("/_mock/deliveries/resume", json={}).json()
    assert resumed["resumed"] == 1 and resumed["pauses"] == []
    flush(client)
    assert [r.json()["note"] for r in receiver.received] == ["two", "one"]
    done = client.post(f"/_mock/deliveries/{held[0]['id']}/deliver")
    assert done.status_code == 409
    assert client.post("/_mock/deliveries/dlv_999999/deliver").status_code == 404


def test_pause_by_target(client, receiver):
    client.post("/echo/hooks", json={"url": "http://hooks.test/other"}, headers=KEY)
    client.post("/_mock/deliveries/pause", json={"target": "http://hooks.test/other"})
    note(client, "x")
    flush(client)
    assert [r.path for r in receiver.received] == ["/echo"]
    client.post("/_mock/deliveries/resume", json={"target": "http://hooks.test/other"})
    flush(client)
    assert sorted(r.path for r in receiver.received) == ["/echo", "/other"]
    assert client.post("/_mock/deliveries/pause", json={"provider": "nope"}).status_code == 400


# -- the log ----------------------------------------------------------------------------------


def test_the_log_filters_and_is_bounded(client, receiver):
    client.patch("/_mock/settings", json={"mock": {"delivery_log_size": 3}}).raise_for_status()
    for n in range(5):
        note(client, f"n{n}")
    flush(client)
    body = listing(client)
    assert body["size"] == 3 and body["total"] == 5
    assert [d["json"]["note"] for d in body["deliveries"]] == ["n2", "n3", "n4"]
    first = body["deliveries"][0]["id"]
    since = int(first.removeprefix("dlv_"))
    assert [d["json"]["note"] for d in listing(client, since=since)["deliveries"]] == ["n3", "n4"]
    assert listing(client, provider="echo", kind="note", status="delivered")["count"] == 3
    assert listing(client, provider="cronofy")["count"] == 0
    assert listing(client, limit=1)["deliveries"][0]["json"] == {"note": "n4"}
    assert client.get(f"/_mock/deliveries/{first}").json()["id"] == first
    assert client.get("/_mock/deliveries/dlv_0").status_code == 404
    for bad in ({"status": "lost"}, {"since": "x"}, {"limit": "-1"}):
        assert client.get("/_mock/deliveries", params=bad).status_code == 400
    assert client.delete("/_mock/deliveries").json()["cleared"] == 3
    assert listing(client)["count"] == 0


def test_reset_forgets_deliveries_and_rules(client, receiver):
    add_rule(client, action="delay", seconds=600)
    note(client, "pending")
    flush(client)
    assert listing(client)["pending"] == 1
    client.post("/_mock/reset").raise_for_status()
    assert listing(client)["count"] == 0 and listing(client)["pending"] == 0
    assert client.get("/_mock/deliveries/rules").json()["rules"] == []


def test_a_notifier_error_is_shown_not_raised(client, receiver):
    note(client, "boom")  # the echo notifier refuses to render it
    note(client, "fine")
    flush(client)
    body = listing(client)
    assert [d["json"] for d in body["deliveries"]] == [{"note": "fine"}]
    assert any("cannot render 'boom'" in e for e in body["errors"])


def test_the_change_feed_is_readable(client):
    note(client, "seen")
    body = client.get("/_mock/changes", params={"source": "echo"}).json()
    (change,) = body["changes"]
    assert change["kind"] == "note.created" and change["data"] == {"text": "seen"}
    assert change["seq"] == body["last_seq"]


def test_a_live_server_delivers_over_real_http(echo):
    receiver = Receiver().serve()
    try:
        with LiveServer(fixture=echo_provider.world(read(demo_path()))) as server:
            httpx.post(server.url + "/echo/hooks", json={"url": receiver.url + "/in"}, headers=KEY)
            httpx.post(server.url + "/echo/notes", json={"text": "over TCP"}, headers=KEY)
            (got,) = receiver.wait_for(timeout=10)
            assert got.json() == {"note": "over TCP"}
            done = httpx.post(server.url + "/_mock/deliveries/flush").json()
            assert done["pending"] == 0
    finally:
        receiver.close()


def test_from_python_without_any_server(echo):
    from mockserver.state import ServerState

    state = ServerState(fixture=echo_provider.world(read(demo_path())))
    receiver = Receiver()
    state.deliveries.mount("http://hooks.test", receiver.transport())
    be = state.backends["echo"]
    be.store.hooks.append(HOOK)
    be.world.changes.emit(
        "note.created", source="echo", account_id=be.store.keys["echoKey0001"], data={"text": "py"}
    )
    state.deliveries.flush()
    assert [r.json() for r in receiver.received] == [{"note": "py"}]
    assert [d.status for d in state.deliveries.find(provider=["echo"])] == ["delivered"]
