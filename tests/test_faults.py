"""Fault injection, latency and rate budgets: over HTTP against the in-process app, and against
a live server where a real socket or a real clock is the point."""

from __future__ import annotations

import copy
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.app import create_app
from mockserver.cli import latency_range
from mockserver.core.fixtures import read
from mockserver.faults import FaultError
from mockserver.middleware import ConnectionDropped
from mockserver.testing import LiveServer, asgi_client, free_port

ROOT = Path(__file__).resolve().parents[1]
WORLD = read(ROOT / "contracts" / "world.json")
TOKEN = "contractAllScopesToken0000000001"
WORK = "cal_c0ntract0001_work"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPSERT = "/v1/calendars/{calendar_id}/events"


def when(days: int, hour: int) -> str:
    d = datetime.now(UTC).date() + timedelta(days=days)
    return f"{d.isoformat()}T{hour:02d}:00:00Z"


def event(event_id: str) -> dict[str, Any]:
    return {"event_id": event_id, "summary": "Faulty", "start": when(2, 9), "end": when(2, 10)}


def upsert(c: httpx.Client, event_id: str) -> httpx.Response:
    return c.post(f"/v1/calendars/{WORK}/events", json=event(event_id), headers=AUTH)


def calendars(c: httpx.Client) -> int:
    return c.get("/v1/calendars", headers=AUTH).status_code


def add(c: httpx.Client, **spec: Any) -> dict[str, Any]:
    response = c.post("/_mock/faults", json=spec)
    assert response.status_code == 201, response.text
    return response.json()


def stored(c: httpx.Client, event_id: str) -> bool:
    return f'"{event_id}"' in c.get("/_mock/state").text


@pytest.fixture
def app() -> Any:
    return create_app(fixture=copy.deepcopy(WORLD))


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    with asgi_client(app) as c:
        yield c


# -- status faults in each provider's dialect ---------------------------------------------------


def test_a_status_fault_answers_instead_of_the_fake(client: httpx.Client) -> None:
    rule = add(client, provider="cronofy", method="POST", path=UPSERT, status=500)
    assert rule["id"].startswith("flt_")
    response = upsert(client, "never-stored")
    assert response.status_code == 500 and response.content == b""  # Cronofy: status only
    assert not stored(client, "never-stored")
    assert calendars(client) == 200  # GET /v1/calendars: another method and path
    entry = client.get("/_mock/journal").json()["entries"][0]
    assert (entry["status"], entry["fault"], entry["body"]["event_id"]) == (
        500,
        rule["id"],
        "never-stored",
    )


def test_cronofy_fault_bodies(client: httpx.Client) -> None:
    add(client, path="/v1/calendars", status=429, times=1)
    throttled = client.get("/v1/calendars", headers=AUTH)
    assert throttled.status_code == 429 and throttled.content == b""
    add(client, path="/v1/calendars", status=422, times=1)
    invalid = client.get("/v1/calendars", headers=AUTH)
    assert invalid.status_code == 422
    assert invalid.json() == {
        "errors": {"base": [{"key": "errors.invalid", "description": "injected fault"}]}
    }
    add(client, path="/oauth/token", status=400)
    oauth = client.post("/oauth/token", json={})
    assert oauth.status_code == 400 and oauth.json() == {"error": "invalid_request"}


def test_calcom_fault_bodies(client: httpx.Client) -> None:
    add(client, provider="calcom", status=500, times=1)
    crash = client.get("/v2/calendars/google/events/abc")
    assert crash.status_code == 500
    assert crash.json() == {"statusCode": 500, "message": "Internal server error"}

    client.post("/_mock/clock", json={"set": "2026-05-01T10:00:00Z", "freeze": True})
    add(client, provider="calcom", status=429, times=1)
    throttled = client.get("/api/v2/calendars/google/events/abc", params={"x": "1"})
    assert throttled.status_code == 429
    assert throttled.json() == {
        "status": "error",
        "timestamp": "2026-05-01T10:00:00.000Z",
        "path": "/v2/calendars/google/events/abc?x=1",
        "error": {
            "code": "ThrottlerException",
            "message": "CustomThrottlerGuard - Too many requests. Please try again later.",
            "details": {
                "message": "CustomThrottlerGuard - Too many requests. Please try again later.",
                "error": "Too Many Requests",
                "statusCode": 429,
            },
        },
    }
    add(client, provider="calcom", status=503, message="down for a bit", times=1)
    unavailable = client.get("/v2/me").json()
    assert unavailable["error"]["code"] == "ServiceUnavailableException"
    assert unavailable["error"]["details"]["error"] == "Service Unavailable"
    assert unavailable["error"]["message"] == "down for a bit"


def test_truto_fault_bodies(client: httpx.Client) -> None:
    add(client, provider="truto", status=502, raw_response={"error": "upstream"}, times=1)
    remote = client.get("/unified/calendar/events")
    assert remote.status_code == 502
    body = remote.json()
    assert body["statusCode"] == 502 and body["error"] == "Bad Gateway"
    assert body["truto_is_remote_error"] is True
    assert body["raw_response"] == {"error": "upstream"}
    assert "remote_error" in body["truto_error_insight"]

    add(client, provider="truto", status=429, message="slow down", times=1)
    limited = client.get("/unified/calendar/events")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "10"
    body = limited.json()
    assert body["message"] == "slow down" and body["raw_response"] == {"message": "slow down"}
    assert {"remote_error", "rate_limit_error"} <= set(body["truto_error_insight"])


def test_body_and_headers_override_the_dialect(client: httpx.Client) -> None:
    add(
        client,
        path="/v1/calendars",
        status=503,
        body={"custom": True},
        headers={"Retry-After": "7"},
        times=1,
    )
    response = client.get("/v1/calendars", headers=AUTH)
    assert response.status_code == 503 and response.json() == {"custom": True}
    assert response.headers["retry-after"] == "7"


def test_the_control_plane_is_never_faulted(client: httpx.Client) -> None:
    add(client, status=500)  # every provider request
    assert client.get("/_mock/settings").status_code == 200
    assert client.get("/_mock/journal").status_code == 200
    assert calendars(client) == 500
    assert client.get("/anything-else").status_code == 500  # provider "other": empty body


# -- which calls ------------------------------------------------------------------------------


def test_only_the_nth_call_fails(client: httpx.Client) -> None:
    add(client, path="/v1/calendars", status=503, nth=3)
    assert [calendars(client) for _ in range(5)] == [200, 200, 503, 200, 200]


def test_the_first_n_calls_fail(client: httpx.Client) -> None:
    add(client, path="/v1/calendars", status=503, times=2)
    assert [calendars(client) for _ in range(4)] == [503, 503, 200, 200]


def test_from_the_nth_call_n_times(client: httpx.Client) -> None:
    rule = add(client, path="/v1/calendars", status=503, nth=2, times=2)
    assert [calendars(client) for _ in range(5)] == [200, 503, 503, 200, 200]
    counted = client.get(f"/_mock/faults/{rule['id']}").json()
    assert (counted["matched"], counted["fired"]) == (5, 2)


def test_only_matching_calls_count(client: httpx.Client) -> None:
    add(client, provider="cronofy", method="GET", path="/v1/calendars", status=503, nth=2)
    assert calendars(client) == 200
    assert upsert(client, "between").status_code == 202  # another method and path: not counted
    assert client.get("/v1/userinfo", headers=AUTH).status_code == 200
    assert calendars(client) == 503


def sequence(c: httpx.Client, seed: int, n: int = 40) -> list[int]:
    c.delete("/_mock/faults")
    add(c, path="/v1/calendars", status=503, probability=0.5, seed=seed)
    return [calendars(c) for _ in range(n)]


def test_a_seeded_probability_repeats_its_sequence(client: httpx.Client) -> None:
    first = sequence(client, seed=7)
    assert first == sequence(client, seed=7)
    assert {200, 503} == set(first)  # both outcomes happen
    assert first != sequence(client, seed=8)


def test_probability_zero_and_one(client: httpx.Client) -> None:
    add(client, path="/v1/calendars", status=503, probability=0.0, seed=1)
    assert {calendars(client) for _ in range(10)} == {200}
    client.delete("/_mock/faults")
    add(client, path="/v1/calendars", status=503, probability=1.0)
    assert {calendars(client) for _ in range(10)} == {503}


def test_probability_with_times_stops_after_n_firings(client: httpx.Client) -> None:
    add(client, path="/v1/calendars", status=503, probability=0.5, seed=3, times=3)
    results = [calendars(client) for _ in range(40)]
    assert results.count(503) == 3


def test_after_the_write_happened_the_answer_is_still_the_fault(client: httpx.Client) -> None:
    add(client, method="POST", path=UPSERT, status=500, after=True)
    assert upsert(client, "stored-anyway").status_code == 500
    assert stored(client, "stored-anyway")


# -- dropped connections ----------------------------------------------------------------------


def test_a_dropped_connection_in_process_raises_a_transport_error(app: Any) -> None:
    with asgi_client(app) as c:
        add(c, path="/v1/calendars", drop=True, nth=2)
        assert calendars(c) == 200
        with pytest.raises(httpx.TransportError) as caught:
            calendars(c)
        assert isinstance(caught.value, ConnectionDropped)
        assert isinstance(caught.value, httpx.RemoteProtocolError)
        assert calendars(c) == 200
        dropped = [e for e in c.get("/_mock/journal").json()["entries"] if e["dropped"]]
        assert [(e["status"], e["path"]) for e in dropped] == [(None, "/v1/calendars")]


def test_a_dropped_connection_on_a_live_server_closes_the_socket() -> None:
    with LiveServer(fixture=copy.deepcopy(WORLD)) as srv, httpx.Client(base_url=srv.url) as c:
        add(c, path="/v1/calendars", drop=True, times=1)
        add(c, method="POST", path=UPSERT, drop=True, after=True, times=1)
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            calendars(c)
        assert calendars(c) == 200  # the next call, on a new connection, is answered
        with pytest.raises(httpx.RemoteProtocolError):
            upsert(c, "written-then-dropped")
        assert stored(c, "written-then-dropped")  # after=True: the write happened
        assert [e.dropped for e in srv.state.journal.find(path="/v1/calendars")] == [True, False]


# -- latency ----------------------------------------------------------------------------------


def timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_fault_latency_delays_only_matching_requests() -> None:
    with LiveServer(fixture=copy.deepcopy(WORLD)) as srv, httpx.Client(base_url=srv.url) as c:
        add(c, path="/v1/calendars", latency=0.4)
        assert timed(lambda: calendars(c)) >= 0.35
        assert timed(lambda: c.get("/v1/userinfo", headers=AUTH)) < 0.35
        c.delete("/_mock/faults")
        add(c, path="/v1/calendars", latency=[0.2, 0.3], status=503, seed=1)
        started = time.perf_counter()
        assert calendars(c) == 503
        assert time.perf_counter() - started >= 0.18


def test_default_latency_delays_every_provider_request_but_not_the_control_plane() -> None:
    with LiveServer(fixture=copy.deepcopy(WORLD)) as srv, httpx.Client(base_url=srv.url) as c:
        patched = c.patch("/_mock/settings", json={"mock": {"latency": 0.5}})
        assert patched.status_code == 200 and patched.json()["mock"]["latency"] == 0.5
        assert timed(lambda: calendars(c)) >= 0.45
        assert timed(lambda: c.get("/v2/me")) >= 0.45
        assert timed(lambda: c.get("/_mock/settings")) < 0.45
        assert c.patch("/_mock/settings", json={"mock": {"latency": -1}}).status_code == 400


def test_serve_takes_journal_size_latency_and_calcom_profile() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--journal-size",
            "3",
            "--latency",
            "0.3-0.4",
            "--calcom-profile",
            "oss-2026",
        ],  # fmt: skip
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                settings = httpx.get(f"{base}/_mock/settings").json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert settings["mock"]["journal_size"] == 3
        assert settings["calcom"]["profile"] == "oss-2026"
        assert (settings["mock"]["latency"], settings["mock"]["latency_max"]) == (0.3, 0.4)
        with httpx.Client(base_url=base) as c:
            assert timed(lambda: c.get("/v1/userinfo")) >= 0.28
            for _ in range(3):
                c.get("/v1/userinfo")
            assert c.get("/_mock/journal").json()["count"] == 3
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_latency_flag_parsing() -> None:
    assert latency_range("0.2") == (0.2, 0.2)
    assert latency_range("0.1-0.5") == (0.1, 0.5)
    for bad in ("x", "-1", "0.5-0.1", "inf"):
        with pytest.raises(Exception, match="expected"):
            latency_range(bad)


# -- the Python API and rule management -------------------------------------------------------


def test_python_api(app: Any) -> None:
    faults = app.state.server.faults
    with asgi_client(app) as c:
        fault_id = faults.add(provider="cronofy", path="/v1/calendars", status=429)
        assert fault_id.startswith("flt_") and faults.get(fault_id).status == 429
        assert calendars(c) == 429
        assert faults.remove(fault_id) and not faults.remove(fault_id)
        assert calendars(c) == 200
        faults.add({"path": "/v1/calendars", "status": 503})
        faults.add(path="/v1/userinfo", status=503)
        assert faults.clear() == 2 and len(faults) == 0
        assert calendars(c) == 200
    with pytest.raises(FaultError) as bad:
        faults.add(provider="nope", status=99, nth=0)
    assert len(bad.value.problems) == 3


def test_rules_over_http(client: httpx.Client) -> None:
    first = add(client, name="slow", latency=0.01)
    many = client.post(
        "/_mock/faults", json={"faults": [{"status": 500}, {"drop": True, "nth": 4}]}
    )
    assert many.status_code == 201 and len(many.json()["faults"]) == 2
    listed = client.get("/_mock/faults").json()["faults"]
    assert [r["id"] for r in listed] == [first["id"], *[r["id"] for r in many.json()["faults"]]]
    assert client.get(f"/_mock/faults/{first['id']}").json()["name"] == "slow"
    assert client.delete(f"/_mock/faults/{first['id']}").json() == {"deleted": first["id"]}
    assert client.get(f"/_mock/faults/{first['id']}").status_code == 404
    assert client.delete("/_mock/faults/flt_999").status_code == 404
    assert client.delete("/_mock/faults").json() == {"cleared": 2}
    assert client.get("/_mock/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({}, "a fault needs status, drop or latency"),
        ({"status": 500, "drop": True}, "not both"),
        ({"status": 5000}, "status must be an integer from 100 to 599"),
        ({"status": 500, "provider": "google"}, "unknown provider"),
        ({"status": 500, "probability": 2}, "probability must be a number from 0 to 1"),
        ({"status": 500, "times": 0}, "times must be an integer >= 1"),
        ({"latency": [0.5, 0.1]}, "latency must be seconds >= 0 or [min, max]"),
        ({"status": 500, "path": "v1/x"}, "path must be a string starting with /"),
        ({"status": 500, "colour": "red"}, "unknown field"),
    ],
)
def test_invalid_rules_are_refused_with_the_reason(
    client: httpx.Client, spec: dict[str, Any], problem: str
) -> None:
    response = client.post("/_mock/faults", json=spec)
    assert response.status_code == 400
    assert any(problem in p for p in response.json()["problems"])
    assert client.get("/_mock/faults").json() == {"faults": []}


def test_a_list_of_rules_is_all_or_nothing(client: httpx.Client) -> None:
    response = client.post("/_mock/faults", json=[{"status": 500}, {"status": 0}])
    assert response.status_code == 400
    assert response.json()["problems"] == ["[1]: status must be an integer from 100 to 599"]
    assert client.get("/_mock/faults").json() == {"faults": []}


def test_reset_clears_the_rules(client: httpx.Client) -> None:
    add(client, status=500)
    assert client.post("/_mock/reset").status_code == 200
    assert client.get("/_mock/faults").json() == {"faults": []}
    assert calendars(client) == 200


# -- rate budgets -----------------------------------------------------------------------------


def test_cronofys_budget_switches_on_and_off(client: httpx.Client) -> None:
    listed = client.get("/_mock/faults/budgets").json()
    assert set(listed) == {"cronofy", "calcom", "truto"}
    assert listed["cronofy"]["enabled"] is False
    assert listed["cronofy"]["limits"][0] == {"limit": 50, "seconds": 1, "per": "application"}

    client.post("/_mock/clock", json={"freeze": True})  # every request in one window
    switched = client.patch("/_mock/faults/budgets", json={"cronofy": True})
    assert switched.status_code == 200 and switched.json()["cronofy"]["enabled"] is True
    assert client.get("/_mock/settings").json()["cronofy"]["rate_limit"] is True
    statuses = [calendars(client) for _ in range(51)]
    assert statuses == [200] * 50 + [429]
    off = client.patch("/_mock/faults/budgets", json={"cronofy": {"enabled": False}})
    assert off.status_code == 200
    assert calendars(client) == 200


def test_budget_switch_refuses_unknown_input(client: httpx.Client) -> None:
    assert client.patch("/_mock/faults/budgets", json={"google": True}).status_code == 400
    assert client.patch("/_mock/faults/budgets", json={"cronofy": "yes"}).status_code == 400
    assert client.get("/_mock/faults/budgets").json()["cronofy"]["enabled"] is False
