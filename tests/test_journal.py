"""The request journal: what it records, how it masks, bounds and filters, and the assertion
helpers' messages. Over HTTP against the in-process app unless a live server is the point."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.app import create_app
from mockserver.core.fixtures import read
from mockserver.journal import Journal, mask, mask_header
from mockserver.middleware import classify
from mockserver.settings import MockSettings, Settings
from mockserver.testing import LiveServer, asgi_client

WORLD = read(Path(__file__).resolve().parents[1] / "contracts" / "world.json")
TOKEN = "contractAllScopesToken0000000001"
CLIENT_ID = "contract_client_id_00000000000001"
CLIENT_SECRET = "contract_client_secret_000000000000000001"
REFRESH = "contractRefreshToken000000000001"
WORK = "cal_c0ntract0001_work"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRETS = (TOKEN, CLIENT_SECRET, REFRESH)


def when(days: int, hour: int) -> str:
    d = datetime.now(UTC).date() + timedelta(days=days)
    return f"{d.isoformat()}T{hour:02d}:00:00Z"


def event(event_id: str, **extra: Any) -> dict[str, Any]:
    body = {"event_id": event_id, "summary": "Standup", "start": when(3, 9), "end": when(3, 10)}
    return {**body, **extra}


def upsert(c: httpx.Client, body: dict[str, Any], calendar: str = WORK) -> httpx.Response:
    return c.post(f"/v1/calendars/{calendar}/events", json=body, headers=AUTH)


@pytest.fixture
def app() -> Any:
    return create_app(fixture=copy.deepcopy(WORLD))


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    with asgi_client(app) as c:
        yield c


def journal(c: httpx.Client, **params: Any) -> dict[str, Any]:
    response = c.get("/_mock/journal", params=params)
    assert response.status_code == 200, response.text
    return response.json()


# -- what an entry holds ----------------------------------------------------------------------


def test_an_entry_holds_the_request_and_the_answer(client: httpx.Client) -> None:
    assert upsert(client, {**event("j-1"), "summary": "Planning"}).status_code == 202
    read_ = client.get(
        "/v1/events", params={"tzid": "Etc/UTC", "calendar_ids[]": WORK}, headers=AUTH
    )
    assert read_.status_code == 200

    entries = journal(client)["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", f"/v1/calendars/{WORK}/events", 202),
        ("GET", "/v1/events", 200),
    ]
    post, get = entries
    assert post["provider"] == get["provider"] == "cronofy"
    assert post["body"]["summary"] == "Planning"
    assert post["headers"]["content-type"] == "application/json"
    assert post["response"] is None  # 202, no body
    assert get["query"] == {"tzid": "Etc/UTC", "calendar_ids[]": WORK}
    assert get["response"]["events"] == read_.json()["events"][: len(get["response"]["events"])]
    assert get["response_headers"]["content-type"].startswith("application/json")
    assert post["id"] < get["id"]
    stamp = datetime.fromisoformat(post["time"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
    assert post["duration_ms"] >= 0 and post["fault"] is None and post["dropped"] is False


def test_the_control_plane_is_not_journaled(client: httpx.Client) -> None:
    client.get("/_mock/settings")
    client.get("/_mock/state")
    client.get("/v1/calendars", headers=AUTH)
    entries = journal(client)["entries"]
    assert [e["path"] for e in entries] == ["/v1/calendars"]


def test_a_body_the_app_never_reads_is_still_recorded(client: httpx.Client) -> None:
    # no Authorization: Cronofy answers 401 before it looks at the body
    response = client.post(f"/v1/calendars/{WORK}/events", json=event("j-unauth"))
    assert response.status_code == 401
    entry = journal(client)["entries"][-1]
    assert entry["status"] == 401
    assert entry["body"]["event_id"] == "j-unauth"


@pytest.mark.parametrize(
    ("path", "provider"),
    [
        ("/v1/events", "cronofy"),
        ("/oauth/token", "cronofy"),
        ("/v2/calendars/google/events", "calcom"),
        ("/api/v2/me", "calcom"),
        ("/unified/calendar/events", "truto"),
        ("/v10/anything", "other"),
        ("/favicon.ico", "other"),
        ("/_mock/journal", "control"),
        ("/", "control"),
        ("/_mockery", "other"),
    ],
)
def test_the_provider_is_named_by_path_prefix(path: str, provider: str) -> None:
    assert classify(path) == provider


def test_each_provider_request_is_journaled_with_its_provider(client: httpx.Client) -> None:
    # `/` is the fake's own index (control), not a provider call: /nowhere stands for "other"
    for path in (
        "/v1/userinfo",
        "/v2/me",
        "/api/v2/me",
        "/unified/calendar/events",
        "/nowhere",
        "/",
    ):
        client.get(path)
    assert [(e["path"], e["provider"]) for e in journal(client)["entries"]] == [
        ("/v1/userinfo", "cronofy"),
        ("/v2/me", "calcom"),
        ("/api/v2/me", "calcom"),
        ("/unified/calendar/events", "truto"),
        ("/nowhere", "other"),
    ]


# -- masking ----------------------------------------------------------------------------------


def test_secrets_are_masked_in_headers_bodies_queries_and_responses(
    client: httpx.Client,
) -> None:
    client.get("/v1/calendars", headers=AUTH)
    token = client.post(
        "/oauth/token",
        json={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "refresh_token",
            "refresh_token": REFRESH,
        },
    )
    assert token.status_code == 200
    new_access = token.json()["access_token"]
    new_refresh = token.json()["refresh_token"]
    form = client.post(
        "/oauth/token",
        data={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "refresh_token",
            "refresh_token": new_refresh,
        },
    )
    assert form.status_code == 200
    client.get("/v1/userinfo", params={"access_token": new_access, "api_key": "k" * 20})
    client.get("/v1/userinfo", headers={"X-Api-Key": "apikey-0123456789abcdef"})

    dumped = client.get("/_mock/journal").text
    for secret in (*SECRETS, new_access, new_refresh, "k" * 20, "apikey-0123456789abcdef"):
        assert secret not in dumped, f"{secret} leaked into the journal"

    calendars, by_json, by_form, by_query, by_key = journal(client)["entries"]
    assert calendars["headers"]["authorization"] == "Bearer ***0001"  # scheme and last 4 kept
    assert by_json["body"]["client_secret"] == "***0001"
    assert by_json["body"]["refresh_token"] == "***0001"
    assert by_json["body"]["client_id"] == CLIENT_ID  # not a secret
    assert by_json["response"]["access_token"] == mask(new_access)
    assert by_json["response"]["refresh_token"] == mask(new_refresh)
    assert by_json["response"]["token_type"] == "bearer"
    assert by_form["body"]["client_secret"] == "***0001"
    assert by_form["body"]["grant_type"] == "refresh_token"
    assert by_query["query"]["access_token"] == mask(new_access)
    assert by_query["query"]["api_key"] == "***kkkk"
    assert by_key["headers"]["x-api-key"] == "***cdef"


def test_mask_helpers() -> None:
    assert mask("short") == "***"
    assert mask("abcdefghijkl1234") == "***1234"
    assert mask_header("authorization", "Bearer abcdefghijkl1234") == "Bearer ***1234"
    assert mask_header("authorization", "Bearer abc") == "Bearer ***"
    assert mask_header("authorization", "rawtokenwithoutscheme1234") == "***1234"
    assert mask_header("user-agent", "Bearer abcdefghijkl1234") == "Bearer abcdefghijkl1234"


def test_the_python_entry_masks_too_but_keeps_the_raw_request(app: Any) -> None:
    with asgi_client(app) as c:
        c.get("/v1/calendars", headers=AUTH)
    entry = app.state.server.journal.last()
    assert entry.headers["authorization"] == "Bearer ***0001"
    assert f"Bearer {TOKEN}".encode() in dict(entry.raw_headers).values()
    assert TOKEN not in json.dumps(entry.to_dict())


# -- bounds -----------------------------------------------------------------------------------


def test_the_journal_is_bounded_by_default() -> None:
    assert MockSettings().journal_size == 1000
    j = Journal(MockSettings())
    assert j.size == 1000


def test_a_small_journal_keeps_only_the_newest(client: httpx.Client) -> None:
    patched = client.patch("/_mock/settings", json={"mock": {"journal_size": 5}})
    assert patched.status_code == 200 and patched.json()["mock"]["journal_size"] == 5
    for i in range(12):
        client.get(f"/v1/nothing/{i}")
    body = journal(client)
    assert body["size"] == 5 and body["count"] == 5 and body["total"] == 12
    assert [e["path"] for e in body["entries"]] == [f"/v1/nothing/{i}" for i in range(7, 12)]
    assert [e["id"] for e in body["entries"]] == [8, 9, 10, 11, 12]


def test_journal_size_from_settings_at_start_and_zero_turns_it_off() -> None:
    settings = Settings(mock=MockSettings(journal_size=2))
    app = create_app(settings, copy.deepcopy(WORLD))
    with asgi_client(app) as c:
        for _ in range(4):
            c.get("/v1/userinfo", headers=AUTH)
        assert journal(c)["count"] == 2
        assert c.patch("/_mock/settings", json={"mock": {"journal_size": 0}}).status_code == 200
        c.get("/v1/userinfo", headers=AUTH)
        assert journal(c)["count"] == 0
        bad = c.patch("/_mock/settings", json={"mock": {"journal_size": -1}})
        assert bad.status_code == 400 and "mock.journal_size must be >= 0" in bad.text


def test_bodies_are_kept_up_to_a_limit(client: httpx.Client) -> None:
    client.patch(
        "/_mock/settings", json={"mock": {"journal_body_limit": 64, "journal_response_limit": 32}}
    )
    assert upsert(client, {**event("j-long"), "description": "x" * 500}).status_code == 202
    client.get("/v1/calendars", headers=AUTH)
    post, get = journal(client)["entries"]
    assert post["body_truncated"] is True and len(post["body"]) == 64
    assert post["body"].startswith('{"event_id":"j-long"')
    assert get["response_truncated"] is True and len(get["response"]) == 32
    # the app still got the whole body
    assert '"description":"' + "x" * 500 + '"' in client.get("/_mock/state").text.replace(" ", "")


# -- filters and clearing ---------------------------------------------------------------------


def test_filters(client: httpx.Client) -> None:
    upsert(client, event("f-1"))
    upsert(client, event("f-2"), calendar="cal_c0ntract0001_second")
    client.get("/v1/calendars", headers=AUTH)
    client.get("/elsewhere")  # provider "other", 404
    mark = journal(client)["total"]
    client.get("/v1/calendars")  # 401

    def paths(**params: Any) -> list[str]:
        return [e["path"] for e in journal(client, **params)["entries"]]

    assert paths(provider="other") == ["/elsewhere"]
    assert paths(provider="cronofy,other") == paths()
    assert paths(method="post") == [
        f"/v1/calendars/{WORK}/events",
        "/v1/calendars/cal_c0ntract0001_second/events",
    ]
    assert paths(path="/v1/calendars/{id}/events") == paths(method="POST")
    assert paths(path="/v1/{rest:path}") == paths(provider="cronofy")
    assert paths(path="/v1/calendars") == ["/v1/calendars", "/v1/calendars"]
    assert paths(status=401) == ["/v1/calendars"]
    assert paths(status=["202", "401"]) == [*paths(method="POST"), "/v1/calendars"]
    assert paths(since=mark) == ["/v1/calendars"]
    assert paths(limit=2) == ["/elsewhere", "/v1/calendars"]
    assert paths(limit=0) == []
    assert client.get("/_mock/journal", params={"since": "x"}).status_code == 400


def test_delete_clears_and_reset_clears(client: httpx.Client) -> None:
    client.get("/v1/calendars", headers=AUTH)
    client.get("/v1/calendars", headers=AUTH)
    cleared = client.delete("/_mock/journal")
    assert cleared.status_code == 200 and cleared.json() == {"cleared": 2}
    assert journal(client)["entries"] == []
    client.get("/v1/calendars", headers=AUTH)
    assert journal(client)["entries"][0]["id"] == 3  # ids keep counting
    assert client.post("/_mock/reset").status_code == 200
    assert journal(client)["entries"] == []


# -- assertion helpers ------------------------------------------------------------------------


def test_assert_called_returns_the_matches(app: Any) -> None:
    with asgi_client(app) as c:
        upsert(c, event("a-1"))
        upsert(c, {**event("a-2"), "summary": "Retro"})
    j = app.state.server.journal
    found = j.assert_called(
        provider="cronofy",
        method="POST",
        path="/v1/calendars/{id}/events",
        body_contains={"summary": "Retro"},
    )
    assert [e.request_body["event_id"] for e in found] == ["a-2"]
    assert len(j.assert_called(method="POST", times=2)) == 2
    j.assert_called(path=re.compile(r"/v1/calendars/cal_\w+/events"), status=202)
    j.assert_called(headers={"Authorization": f"Bearer {TOKEN}"})
    j.assert_not_called(method="DELETE")
    j.assert_not_called(body_contains={"summary": "Nope"})
    assert j.count(status=202) == 2
    since = j.mark()
    j.assert_not_called(since=since)


def test_assert_called_failure_shows_the_nearest_requests_and_how_they_differ(app: Any) -> None:
    with asgi_client(app) as c:
        upsert(c, {**event("d-1"), "summary": "Stand-up"})
        c.get("/v1/calendars", headers=AUTH)
        c.request("DELETE", f"/v1/calendars/{WORK}/events", json={"event_id": "d-1"}, headers=AUTH)
    j = app.state.server.journal
    with pytest.raises(AssertionError) as failure:
        j.assert_called(
            provider="cronofy",
            method="POST",
            path="/v1/calendars/{id}/events",
            body_contains={"summary": "Standup", "location": {"description": "Room 1"}},
        )
    text = str(failure.value)
    assert "no request matched" in text and "among 3 journaled request(s)" in text
    lines = text.splitlines()
    nearest = lines.index("Nearest requests:")
    # the nearest is the upsert: only the body differs
    assert lines[nearest + 1].startswith(f"  #1 cronofy POST /v1/calendars/{WORK}/events -> 202")
    assert "    body.summary: expected 'Standup', got 'Stand-up'" in lines
    assert "    body.location: missing (expected {'description': 'Room 1'})" in lines
    assert any("method: expected POST, got DELETE" in line for line in lines)
    assert any("path: /v1/calendars does not match" in line for line in lines)
    assert TOKEN not in text


def test_assert_called_times_and_assert_not_called_failures(app: Any) -> None:
    with asgi_client(app) as c:
        upsert(c, event("t-1"))
        upsert(c, event("t-2"))
    j = app.state.server.journal
    with pytest.raises(AssertionError, match=r"expected 1 request\(s\) matching .*found 2"):
        j.assert_called(method="POST", times=1)
    with pytest.raises(AssertionError) as failure:
        j.assert_not_called(method="POST", body_contains={"event_id": "t-2"})
    text = str(failure.value)
    assert "expected no request matching" in text and "found 1" in text
    assert f"#2 cronofy POST /v1/calendars/{WORK}/events -> 202" in text
    assert "'event_id': 't-2'" in text


def test_assert_called_on_an_empty_journal(app: Any) -> None:
    with pytest.raises(AssertionError, match="The journal is empty"):
        app.state.server.journal.assert_called(method="GET")


def test_secret_fields_are_masked_in_assertion_messages(app: Any) -> None:
    with asgi_client(app) as c:
        c.post(
            "/oauth/token",
            json={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "x"},
        )
    j = app.state.server.journal
    with pytest.raises(AssertionError) as failure:
        j.assert_called(body_contains={"client_secret": "wrong-secret-value-1234"})
    assert CLIENT_SECRET not in str(failure.value)
    assert "body.client_secret: expected '***1234', got '***0001'" in str(failure.value)
    j.assert_called(body_contains={"client_secret": CLIENT_SECRET})  # matching sees real values


# -- a live server ----------------------------------------------------------------------------


def test_a_live_server_journals_over_real_http() -> None:
    with LiveServer(fixture=copy.deepcopy(WORLD)) as srv, httpx.Client(base_url=srv.url) as c:
        assert upsert(c, event("live-1")).status_code == 202
        entries = journal(c)["entries"]
        assert [(e["method"], e["status"], e["body"]["event_id"]) for e in entries] == [
            ("POST", 202, "live-1")
        ]
        assert entries[0]["headers"]["authorization"] == "Bearer ***0001"
        srv.state.journal.assert_called(method="POST", body_contains={"event_id": "live-1"})
