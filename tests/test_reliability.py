"""Regression tests for the failure modes the reliability issue found, and for the classes
behind them: nesting-depth limits on every body parser (in each provider's own error), no write
left behind by a request that fails (rendering included), boundary dates in every dialect, a
last-resort 500 in each provider's dialect that keeps the connection and journals the
traceback, every method and odd path answered in the dialect, and state-file temp files.
"""

from __future__ import annotations

import asyncio
import copy
import http.client
import os
from pathlib import Path
from typing import Any

import pytest

from contracts.kit import WORLD
from mockserver import web
from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.core.fixtures import MAX_DEPTH as WORLD_DEPTH
from mockserver.guard import HandlerSuspended, run_to_end
from mockserver.settings import Settings
from mockserver.state import ServerState, check, clean_temp_files
from mockserver.testing import LiveServer, asgi_client
from mockserver.truto.settings import TrutoSettings

CRONOFY = {"Authorization": "Bearer contractAllScopesToken0000000001"}
CRONOFY_CAL = "cal_c0ntract0001_work"
CAL_KEY = {"Authorization": "Bearer cal_test_contractHost000000000000001"}
BOOKINGS = {"cal-api-version": "2024-08-13"}
TRUTO = {"Authorization": "Bearer contractTrutoApiToken00000000001"}
TRUTO_ACCOUNT = "c0a7c7e5-7e57-4000-8000-000000000001"
EVENTS = "/unified/calendar/events"


def deep(levels: int, leaf: str = "1") -> str:
    return '{"a":' * levels + leaf + "}" * levels


def state() -> ServerState:
    settings = Settings(
        calcom=CalcomSettings(rate_limit=False, profile="oss-2026"),
        truto=TrutoSettings(rate_limit=False),
    )
    return ServerState(settings, fixture=WORLD())


@pytest.fixture
def server() -> ServerState:
    return state()


@pytest.fixture
def client(server: ServerState):
    with asgi_client(create_app(state=server)) as c:
        yield c


def booking(start: str = "2030-01-08T10:00:00Z", **extra: Any) -> dict[str, Any]:
    return {
        "start": start,
        "eventTypeId": 301,
        "attendee": {"name": "N", "email": "n@example.com", "timeZone": "Europe/Rome"},
        **extra,
    }


def upsert(event_id: str = "rel-1") -> dict[str, Any]:
    return {
        "event_id": event_id,
        "summary": "Reliability",
        "start": "2030-01-08T10:00:00Z",
        "end": "2030-01-08T11:00:00Z",
    }


def truto_event(title: str = "Reliability") -> dict[str, Any]:
    return {
        "calendar": {"id": "primary"},
        "title": title,
        "start_time": "2030-01-08T10:00:00Z",
        "end_time": "2030-01-08T10:30:00Z",
        "timezone": "Europe/Berlin",
    }


def everything(server: ServerState) -> dict[str, Any]:
    return server.dump()


# -- nesting depth ----------------------------------------------------------------------------


def test_decode_json_refuses_one_level_past_the_limit() -> None:
    at_limit = ("[" * web.MAX_DEPTH + "]" * web.MAX_DEPTH).encode()
    assert web.depth(web.decode_json(at_limit)) == web.MAX_DEPTH
    for levels in (web.MAX_DEPTH + 1, 300, 2000):  # 2000: past orjson's own 1024 too
        with pytest.raises(web.BodyError) as info:
            web.decode_json(("[" * levels + "]" * levels).encode())
        assert info.value.kind == "too_deep"


def test_form_and_query_keys_nest_only_so_deep() -> None:
    key = "a" + "[b]" * 200
    folded = web.nest([(key, "v")])
    assert web.depth(folded) == web.MAX_KEY_DEPTH + 2  # the top, `a`, 32 brackets
    node = folded["a"]
    for _ in range(web.MAX_KEY_DEPTH):
        node = node["b"]
    # past the limit the rest of the key is one literal segment, as qs keeps it
    assert node == {"[b]" * (200 - web.MAX_KEY_DEPTH): "v"}


def test_deep_bodies_get_each_providers_own_error(client, server) -> None:
    before = everything(server)
    body = deep(300)
    cronofy = client.post(
        f"/v1/calendars/{CRONOFY_CAL}/events",
        headers={**CRONOFY, "Content-Type": "application/json"},
        content=body,
    )
    assert cronofy.status_code == 422
    assert list(cronofy.json()["errors"]) == ["body"]
    oauth = client.post("/oauth/token", headers={"Content-Type": "application/json"}, content=body)
    assert (oauth.status_code, oauth.json()) == (400, {"error": "invalid_request"})
    calcom = client.patch(
        "/v2/calendars/google/events/c0ntractb00k1ng00000000002",
        headers={**CAL_KEY, "Content-Type": "application/json"},
        content=body,
    )
    assert calcom.status_code == 400
    assert calcom.json()["error"]["code"] == "BadRequestException"
    assert "nested deeper than 64" in calcom.json()["error"]["message"]
    truto = client.post(
        EVENTS,
        params={"integrated_account_id": TRUTO_ACCOUNT},
        headers=TRUTO,
        content=body,
    )
    assert truto.status_code == 400
    assert set(truto.json()) == {"statusCode", "error", "message"}
    assert everything(server) == before


def test_the_unauthenticated_deep_booking_is_refused_and_nothing_breaks(
    client, server, tmp_path
) -> None:
    """The reproduction: a public booking whose metadata nests a few hundred levels answered
    500, created the booking, and broke every later list, dump and save."""
    server.state_file = tmp_path / "state.json"
    bookings_before = dict(server.calcom.store.bookings)
    metadata = '{"k": ' + "[" * 300 + "]" * 300 + "}"
    raw = (
        '{"start": "2030-01-08T10:00:00Z", "eventTypeId": 301, "attendee": '
        '{"name": "N", "email": "n@example.com", "timeZone": "UTC"}, "metadata": ' + metadata + "}"
    )
    answer = client.post(
        "/v2/bookings",
        headers={**BOOKINGS, "Content-Type": "application/json"},
        content=raw,
    )
    assert answer.status_code == 400, answer.text
    assert server.calcom.store.bookings == bookings_before
    assert client.get("/v2/bookings", headers={**CAL_KEY, **BOOKINGS}).status_code == 200
    assert client.get("/_mock/state").status_code == 200
    assert client.post("/_mock/save").status_code == 200
    assert check(server.dump()) == []


def test_a_world_file_nested_too_deeply_is_refused_with_its_place(client) -> None:
    world = WORLD()
    event = world["accounts"][0]["profiles"][0]["calendars"][0]["events"][0]
    event["extra"] = {"x": web.decode_json(("[" * 60 + "]" * 60).encode())}
    ok = copy.deepcopy(world)
    event["extra"] = {"x": [[[[0]]]]}
    for _ in range(WORLD_DEPTH):
        event["extra"] = {"x": event["extra"]}
    problems = check(world)
    assert problems and problems[0][1] == f"nested deeper than {WORLD_DEPTH} levels"
    assert problems[0][0].startswith("$.accounts[0].profiles[0].calendars[0].events[0].extra")
    seeded = client.post("/_mock/seed", json=world)
    assert seeded.status_code == 400
    assert "nested deeper" in seeded.json()["problems"][0]["message"]
    assert client.post("/_mock/seed", json=ok).status_code == 200  # 60 levels of extra load


# -- a failed request commits nothing; the last-resort 500 ------------------------------------


def _raise_after(monkeypatch, owner: Any, name: str) -> None:
    """`owner.name` does its work, then fails: a bug after the write."""
    original = getattr(owner, name)

    def broken(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise RuntimeError(f"injected failure after {name}")

    monkeypatch.setattr(owner, name, broken)


def test_cronofy_crash_after_a_write_rolls_back_and_answers_a_bare_500(
    client, server, monkeypatch
) -> None:
    from mockserver.cronofy.models import CronofyBackend

    before = everything(server)
    _raise_after(monkeypatch, CronofyBackend, "upsert")
    answer = client.post(f"/v1/calendars/{CRONOFY_CAL}/events", headers=CRONOFY, json=upsert())
    assert (answer.status_code, answer.content) == (500, b"")
    assert everything(server) == before
    entry = server.journal.last()
    assert entry.status == 500 and "injected failure after upsert" in entry.to_dict()["error"]


def test_calcom_crash_while_rendering_a_booking_leaves_no_booking(
    client, server, monkeypatch
) -> None:
    from mockserver.calcom import wire

    before = everything(server)
    counters = dict(server.calcom.store.counters)
    monkeypatch.setattr(wire, "booking_json", _boom)
    answer = client.post("/v2/bookings", headers=BOOKINGS, json=booking())
    assert answer.status_code == 500
    assert answer.json() == {"statusCode": 500, "message": "Internal server error"}
    assert answer.headers["x-request-id"]
    assert everything(server) == before
    assert server.calcom.store.counters == counters
    assert "render bug" in server.journal.last().to_dict()["error"]
    monkeypatch.undo()
    again = client.post("/v2/bookings", headers=BOOKINGS, json=booking())
    assert again.status_code == 201, again.text


def test_truto_crash_while_rendering_creates_nothing_and_remembers_no_key(
    client, server, monkeypatch
) -> None:
    from mockserver.truto import wire

    before = everything(server)
    monkeypatch.setattr(wire, "response_body", _boom)
    key = {**TRUTO, "Idempotency-Key": "crash-then-retry"}
    params = {"integrated_account_id": TRUTO_ACCOUNT}
    answer = client.post(EVENTS, params=params, headers=key, json=truto_event())
    assert answer.status_code == 500
    assert answer.json() == {
        "statusCode": 500,
        "error": "Internal Server Error",
        "message": "Internal Server Error",
    }
    assert everything(server) == before
    monkeypatch.undo()
    retry = client.post(EVENTS, params=params, headers=key, json=truto_event())
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers


def _boom(*_: Any, **__: Any) -> Any:
    raise RuntimeError("render bug")


def test_a_handler_that_waits_inside_its_transaction_is_rolled_back(
    client, server, monkeypatch
) -> None:
    """The guard runs a handler in one go; one that suspends (so another request could write
    inside its transaction) is a bug, answered as the provider's 500, with nothing kept."""
    from mockserver.cronofy import responses

    original = responses.body_of

    async def slow_body(request: Any) -> dict[str, Any]:
        await asyncio.sleep(0)
        return await original(request)

    before = everything(server)
    monkeypatch.setattr(responses, "body_of", slow_body)
    answer = client.post(f"/v1/calendars/{CRONOFY_CAL}/events", headers=CRONOFY, json=upsert())
    assert answer.status_code == 500
    assert "HandlerSuspended" in server.journal.last().to_dict()["error"]
    assert everything(server) == before


def test_run_to_end_refuses_a_coroutine_that_suspends() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    async def done() -> int:
        return 7

    assert run_to_end(done()) == 7
    with pytest.raises(HandlerSuspended):
        run_to_end(waits())


def test_the_connection_survives_a_crash(monkeypatch) -> None:
    """uvicorn closes a connection whose app raised; the last-resort handler answers and
    swallows, so a kept-alive client goes on on the same socket."""
    from mockserver.calcom import wire

    monkeypatch.setattr(wire, "booking_json", _boom)
    with LiveServer(state=state()) as srv:
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
        try:
            conn.request(
                "POST",
                "/v2/bookings",
                body=b'{"start": "2030-01-08T10:00:00Z", "eventTypeId": 301, "attendee": '
                b'{"name": "N", "email": "n@example.com", "timeZone": "UTC"}}',
                headers={**BOOKINGS, "Content-Type": "application/json"},
            )
            crashed = conn.getresponse()
            assert crashed.status == 500 and b"Internal server error" in crashed.read()
            assert crashed.getheader("connection") != "close"
            sock = conn.sock
            conn.request("GET", "/v2/me", headers=CAL_KEY)
            after = conn.getresponse()
            assert after.status == 200, after.read()
            after.read()
            assert conn.sock is sock  # the same connection, not a new one
        finally:
            conn.close()


# -- boundary dates in every dialect ----------------------------------------------------------

BAD_DATES = [
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:00:00-05:00",
    "2026-02-30T10:00:00Z",
    "2026-01-01T24:00:00Z",
    "+012026-01-01T00:00:00Z",
]
DATE_ROUTES = [  # (provider, path, query parameter names, other parameters)
    ("cronofy", "/v1/events", ("from", "to", "last_modified"), {"tzid": "Etc/UTC"}),
    ("cronofy", "/v1/free_busy", ("from", "to"), {"tzid": "Etc/UTC"}),
    ("calcom", "/v2/calendars/google/events", ("from", "to"), {}),
    ("calcom", "/v2/calendars/google/freebusy", ("from", "to"), {}),
    ("calcom", "/v2/calendars/connections/201/events", ("from", "to"), {}),
    ("calcom", "/v2/calendars/connections/201/freebusy", ("from", "to"), {}),
    ("calcom", "/v2/calendars/busy-times", ("dateFrom", "dateTo"), {"loggedInUsersTz": "UTC"}),
    ("calcom-bookings", "/v2/bookings", ("afterStart", "beforeEnd", "afterUpdatedAt"), {}),
    ("truto", EVENTS, ("start_time", "end_time", "updated_at[gte]"), {"calendar[id]": "primary"}),
    (
        "truto",
        "/unified/calendar/availability",
        ("start_time", "end_time"),
        {"calendar[id]": "primary"},
    ),
]
GOOD = {"from": "2030-01-01", "to": "2030-01-05", "dateFrom": "2030-01-01", "dateTo": "2030-01-05"}


def _headers(provider: str) -> dict[str, str]:
    return {
        "cronofy": CRONOFY,
        "calcom": CAL_KEY,
        "calcom-bookings": {**CAL_KEY, **BOOKINGS},
        "truto": TRUTO,
    }[provider]


@pytest.mark.parametrize(("provider", "path", "names", "extra"), DATE_ROUTES)
def test_dates_outside_the_calendar_are_refused_never_a_crash(
    client, provider, path, names, extra
) -> None:
    if provider == "truto":
        extra = {**extra, "integrated_account_id": TRUTO_ACCOUNT}
    for name in names:
        for value in BAD_DATES:
            params = {**{n: GOOD.get(n, "2030-01-01T00:00:00Z") for n in names}, **extra}
            params[name] = value
            answer = client.get(path, params=params, headers=_headers(provider))
            assert answer.status_code < 500, (path, name, value, answer.text)
            if answer.status_code >= 400:
                assert_dialect(provider.partition("-")[0], answer)


def assert_dialect(provider: str, answer: Any) -> None:
    if provider == "cronofy":
        assert answer.content == b"" or set(answer.json()) <= {"errors", "error"}
    elif provider == "calcom":
        body = answer.json()
        assert body["status"] == "error" and body["error"]["code"], body
    else:
        body = answer.json()
        assert body["statusCode"] == answer.status_code and body["message"] is not None, body


# -- every method and odd path in the dialect -------------------------------------------------

ODD_PATHS = {
    "cronofy": ["/v1/events", "/v1/%0d%0aX", "/v1/calendars/%0d%0a/events", "/oauth/token", "/v1"],
    "calcom": ["/v2/me", "/v2/%0d%0aX", "/api/v2/%0d%0aX", "/v2/bookings/%0d%0a", "/v2"],
    "truto": [EVENTS, "/unified/calendar/%0d%0aX", EVENTS + "/%0d%0aX", "/unified"],
}
METHODS = ["OPTIONS", "HEAD", "PUT", "TRACE", "FOO", "POST", "DELETE"]


@pytest.mark.parametrize("provider", sorted(ODD_PATHS))
def test_every_method_and_odd_path_is_answered_in_the_dialect(client, provider) -> None:
    for path in ODD_PATHS[provider]:
        for method in METHODS:
            answer = client.request(method, path, headers=_headers(provider))
            where = (method, path, answer.status_code, answer.text[:200])
            assert answer.status_code < 500 and answer.status_code != 405, where
            assert "text/plain" not in answer.headers.get("content-type", ""), where
            if method == "HEAD" or answer.status_code < 400:
                continue  # a HEAD answer has no body; a preflight's 204 neither
            if not answer.content:
                assert provider == "cronofy", where  # only Cronofy's errors are status-only
                continue
            assert_dialect(provider, answer)


def test_calcom_answers_a_preflight_anywhere(client) -> None:
    answer = client.options("/v2/%0d%0aX")
    assert answer.status_code == 204 and answer.headers["access-control-allow-origin"] == "*"


# -- state-file temp files --------------------------------------------------------------------


def test_stale_temp_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    dead = tmp_path / f".state.json.{_dead_pid()}.tmp"
    live = tmp_path / f".state.json.{os.getppid()}.tmp"  # a running process: another saver
    mine = tmp_path / f".state.json.{os.getpid()}.tmp"
    other = tmp_path / ".other.json.1.tmp"
    for path in (dead, live, mine, other):
        path.write_bytes(b"x" * 1000)
    assert sorted(clean_temp_files(target)) == sorted([dead, mine])
    assert live.exists() and other.exists() and not dead.exists()


def _dead_pid() -> int:
    pid = 4_000_000  # above Linux's pid_max default: never a running process
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_a_failed_save_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    server = state()
    target = tmp_path / "state.json"
    server.save(target)
    saved = target.read_bytes()
    stale = tmp_path / f".state.json.{_dead_pid()}.tmp"
    stale.write_bytes(b"half a world")

    def no_room(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OSError):
        server.save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
    assert target.read_bytes() == saved


def test_the_shutdown_save_reports_a_failure_instead_of_crashing(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import uvicorn

    from mockserver.cli import saving_server

    async def stopped(self: Any, sockets: Any = None) -> None:
        return None

    monkeypatch.setattr(uvicorn.Server, "shutdown", stopped)
    server = state()
    server.state_file = tmp_path / "state.json"
    monkeypatch.setattr(server, "dump", _boom)
    srv = saving_server(uvicorn.Config(create_app(state=server)), server)
    asyncio.run(srv.shutdown())
    assert "could not save state" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


# -- a far-off window does not walk a series for minutes --------------------------------------


def test_a_series_is_walked_only_so_far_from_its_start(monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from mockserver.core import recurrence

    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    end = start + timedelta(hours=1)

    def days(lo: int, hi: int) -> list[Any]:
        window = (start + timedelta(days=lo), start + timedelta(days=hi))
        return list(recurrence.occurrences(("RRULE:FREQ=DAILY",), start, end, "Etc/UTC", *window))

    monkeypatch.setattr(recurrence, "MAX_SCAN", 100)
    assert len(days(50, 52)) == 2  # within the walk
    assert days(500, 502) == []  # 500 occurrences on: past it


def test_a_booking_in_the_year_8999_is_answered(monkeypatch) -> None:
    """Checking the slot against the host's recurring events (the demo's Alice has a daily and
    a weekly series) used to walk each series from its start to 8999, minutes per request; now
    at most MAX_SCAN occurrences, and the booking is made."""
    from mockserver.core import recurrence

    calls: list[int] = []
    original = recurrence.occurrences

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(recurrence, "MAX_SCAN", 1000)  # the same bound, smaller: a quick test
    monkeypatch.setattr(recurrence, "occurrences", counted)
    server = ServerState(Settings(calcom=CalcomSettings(rate_limit=False)))
    assert any(ev.recurring for ev in server.world.events.values())
    alice = {"Authorization": "Bearer cal_live_demoAlice000000000000000001", **BOOKINGS}
    body = {**booking(start="8999-12-31T10:00:00Z"), "eventTypeId": 1}
    with asgi_client(create_app(state=server)) as c:
        answer = c.post("/v2/bookings", headers=alice, json=body)
    assert answer.status_code == 201, answer.text
    assert calls  # the series were looked at, and given up on past MAX_SCAN
