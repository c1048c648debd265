"""The real pycronofy 2.1.1 client against a live fake, with nothing changed but its base URL
(`client.request_handler.base_url`). Every write is checked by reading state back through the SDK.

The server is seeded with the contract world (contracts/world.json); ids come from the contract
kit's FAKE_STATES so both stay in step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pycronofy
import pytest
from pycronofy.batch import BatchBuilder
from pycronofy.exceptions import PyCronofyPartialSuccessError, PyCronofyRequestError

from contracts.cronofy.conftest import FAKE_STATES as S
from mockserver.testing import LiveServer

WORLD_FILE = Path(__file__).resolve().parents[1] / "contracts" / "world.json"
WORK, SECOND = S["writable_calendar"], S["second_writable_calendar"]
SANDBOX, READONLY = S["sandbox_calendar"], S["readonly_calendar"]
EDITABLE = S["editable_external_event"]
NON_EDITABLE = S["non_editable_external_event"]
PARIS = ZoneInfo("Europe/Paris")
# Every relative time in this module hangs off one instant, so no test straddles an hour change.
ANCHOR = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
TODAY = ANCHOR.date()


def world() -> dict[str, Any]:
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


# What the world holds for the contract account, read from the file so tests survive it growing.
OWNER = next(a for a in world()["accounts"] if a["id"] == S["account_id"])
OWNER_CALENDARS = {c["id"]: c for p in OWNER["profiles"] for c in p.get("calendars", [])}
SEEDED_MANAGED = {
    e["managed_by"]["event_id"]
    for c in OWNER_CALENDARS.values()
    for e in c.get("events", [])
    if e.get("managed_by", {}).get("app") == S["client_id"]
}


@pytest.fixture(scope="module")
def srv() -> Iterator[LiveServer]:
    with LiveServer(fixture=world()) as server:
        yield server


@pytest.fixture(scope="module")
def default_settings(srv: LiveServer) -> dict[str, Any]:
    response = httpx.get(f"{srv.url}/_mock/settings")
    response.raise_for_status()
    return response.json()


@pytest.fixture(autouse=True)
def fresh_world(srv: LiveServer, default_settings: dict[str, Any]) -> None:
    """Back to the seeded world; settings are not part of the world, so restore them too."""
    httpx.post(f"{srv.url}/_mock/clock", json={"reset": True}).raise_for_status()
    httpx.post(f"{srv.url}/_mock/reset").raise_for_status()  # relative world times need the clock
    httpx.patch(
        f"{srv.url}/_mock/settings",
        json={"cronofy": {"page_size": default_settings["cronofy"]["page_size"]}},
    ).raise_for_status()


def make_client(srv: LiveServer, **auth: Any) -> pycronofy.Client:
    client = pycronofy.Client(**auth)
    client.request_handler.base_url = srv.url  # the only change from production use
    return client


@pytest.fixture
def client(srv: LiveServer) -> pycronofy.Client:
    return make_client(
        srv,
        client_id=S["client_id"],
        client_secret=S["client_secret"],
        access_token=S["access_token"],
        refresh_token=S["refresh_token"],
    )


@pytest.fixture
def requests_seen() -> Iterator[list[tuple[str, str, int]]]:
    """(method, url, status) of every HTTP exchange pycronofy makes (its global response hook)."""
    seen: list[tuple[str, str, int]] = []
    pycronofy.set_request_hook(
        lambda r, *a, **k: seen.append((r.request.method, r.request.url, r.status_code))
    )
    yield seen
    pycronofy.set_request_hook(None)


def set_page_size(srv: LiveServer, size: int) -> None:
    httpx.patch(
        f"{srv.url}/_mock/settings", json={"cronofy": {"page_size": size}}
    ).raise_for_status()


def soon(days: int = 1, hours: int = 0) -> datetime:
    return ANCHOR + timedelta(days=days, hours=hours)


def timed(event_id: str, days: int = 1, summary: str = "SDK event", **extra: Any) -> dict:
    start = soon(days)
    return {
        "event_id": event_id,
        "summary": summary,
        "start": start,
        "end": start + timedelta(hours=1),
        **extra,
    }


def managed(client: pycronofy.Client, **kw: Any) -> dict[str, dict]:
    """The app's events that these tests made, by event_id (all pages)."""
    return {
        e["event_id"]: e
        for e in client.read_events(only_managed=True, **kw)
        if e["event_id"] not in SEEDED_MANAGED
    }


def new_calendar(client: pycronofy.Client, name: str) -> str:
    """A calendar of this test's own, so counts in it depend on nothing seeded."""
    return client.create_calendar(S["profile_id"], name)["calendar"]["calendar_id"]


def by_uid(client: pycronofy.Client, **kw: Any) -> dict[str, dict]:
    return {e["event_uid"]: e for e in client.read_events(**kw)}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def status_of(exc: pytest.ExceptionInfo[PyCronofyRequestError]) -> int:
    return exc.value.response.status_code


# -- identity and calendars ------------------------------------------------------------------


def test_list_calendars(client):
    calendars = {c["calendar_id"]: c for c in client.list_calendars()}
    assert set(calendars) == set(OWNER_CALENDARS)
    assert {WORK, SECOND, SANDBOX, READONLY} <= set(calendars)
    assert S["other_account_calendar"] not in calendars
    assert calendars[READONLY]["calendar_readonly"] is True
    assert calendars[WORK]["calendar_readonly"] is False
    assert calendars[WORK]["calendar_primary"] is True
    assert calendars[SANDBOX]["permission_level"] == "sandbox"
    assert calendars[WORK]["permission_level"] == "unrestricted"
    assert {c["profile_id"] for c in calendars.values()} == {S["profile_id"]}


def test_account_userinfo_and_profiles(client):
    account = client.account()
    assert account["account_id"] == S["account_id"]
    assert account["email"] == OWNER["email"]
    assert "create_event" in account["scope"].split()

    info = client.userinfo()
    assert info["sub"] == S["account_id"]
    assert info["cronofy.type"] == "account"
    (profile,) = info["cronofy.data"]["profiles"]
    assert profile["profile_id"] == S["profile_id"]
    listed = {c["calendar_id"] for c in client.list_calendars()}
    assert {c["calendar_id"] for c in profile["profile_calendars"]} == listed

    (listed_profile,) = client.list_profiles()
    assert listed_profile["profile_id"] == S["profile_id"]
    assert listed_profile["profile_connected"] is True
    assert listed_profile["provider_service"] == "icloud"


def test_create_calendar_then_use_it(client):
    before = len(client.list_calendars())
    created = client.create_calendar(S["profile_id"], "Made by pycronofy")
    cal = created["calendar"]  # pycronofy returns the whole body, not body['calendar']
    assert cal["calendar_name"] == "Made by pycronofy"
    assert cal["profile_id"] == S["profile_id"]
    listed = {c["calendar_id"]: c for c in client.list_calendars()}
    assert listed[cal["calendar_id"]]["calendar_name"] == "Made by pycronofy"

    client.upsert_event(cal["calendar_id"], timed("in-new-calendar"))
    events = managed(client, calendar_ids=[cal["calendar_id"]])
    assert set(events) == {"in-new-calendar"}

    # Duplicate name: the SDK re-raises the 422 by default, or hands back the existing calendar.
    with pytest.raises(PyCronofyRequestError) as exc:
        client.create_calendar(S["profile_id"], "Made by pycronofy")
    assert status_of(exc) == 422
    assert exc.value.response.json()["errors"]["name"][0]["key"] == "errors.duplicate_calendar_name"
    existing = client.create_calendar(
        S["profile_id"], "Made by pycronofy", error_on_duplicate=False
    )
    assert existing["calendar_id"] == cal["calendar_id"]
    assert len(client.list_calendars()) == before + 1


def test_revoke_profile(client):
    assert client.revoke_profile(S["profile_id"]) is None
    (profile,) = client.list_profiles()
    assert profile["profile_connected"] is False
    assert "profile_relink_url" in profile


# -- upsert ----------------------------------------------------------------------------------


def test_upsert_with_datetime_start_converts_to_utc(client):
    start = (ANCHOR + timedelta(days=2)).astimezone(PARIS)
    event = {
        "event_id": "dt",
        "summary": "Datetime event",
        "description": "from pycronofy",
        "start": start,
        "end": start + timedelta(minutes=30),
        "location": {"description": "Room 1"},
    }
    assert client.upsert_event(WORK, event) is None
    # pycronofy rewrote the caller's dict in place with its UTC strings.
    assert event["start"] == start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    got = managed(client)["dt"]
    assert got["calendar_id"] == WORK
    assert utc(got["start"]) == start
    assert utc(got["end"]) == start + timedelta(minutes=30)
    assert got["summary"] == "Datetime event"
    assert got["description"] == "from pycronofy"
    assert got["location"] == {"description": "Room 1"}
    assert got["transparency"] == "opaque"
    assert got["deleted"] is False
    assert got["options"] == {"delete": True, "update": True, "change_participation_status": True}


def test_upsert_with_dates_is_all_day(client):
    day = TODAY + timedelta(days=3)
    client.upsert_event(
        WORK, {"event_id": "all-day", "summary": "Holiday", "start": day, "end": day + timedelta(1)}
    )
    got = managed(client)["all-day"]
    assert got["start"] == day.isoformat()
    assert got["end"] == (day + timedelta(1)).isoformat()
    assert got["transparency"] == "transparent"


def test_upsert_with_time_and_tzid(client):
    start = soon(days=4, hours=7)
    client.upsert_event(
        WORK,
        {
            "event_id": "zoned",
            "summary": "Zoned",
            "start": {"time": start, "tzid": "Europe/Paris"},
            "end": {"time": start + timedelta(hours=2), "tzid": "Europe/Paris"},
        },
    )
    plain = managed(client)["zoned"]
    assert utc(plain["start"]) == start
    localized = managed(client, localized_times=True)["zoned"]
    assert localized["start"]["tzid"] == "Europe/Paris"
    local = datetime.fromisoformat(localized["start"]["time"])
    assert local == start
    assert local.utcoffset() == start.astimezone(PARIS).utcoffset()


def test_upsert_again_updates_in_place(client):
    client.upsert_event(WORK, timed("same"))
    first = managed(client)["same"]
    client.upsert_event(WORK, timed("same", days=2, summary="Renamed"))
    events = [e for e in client.read_events(only_managed=True) if e["event_id"] == "same"]
    assert len(events) == 1
    assert events[0]["summary"] == "Renamed"
    assert events[0]["event_uid"] == first["event_uid"]
    assert utc(events[0]["start"]) == soon(2)
    # Same event_id in another calendar is a different event.
    client.upsert_event(SECOND, timed("same"))
    assert sorted(
        e["calendar_id"] for e in client.read_events(only_managed=True) if e["event_id"] == "same"
    ) == sorted([WORK, SECOND])


# -- read events and pagination ---------------------------------------------------------------


def test_read_events_follows_next_page_automatically(srv, client, requests_seen):
    set_page_size(srv, 3)
    cal = new_calendar(client, "Paging")
    wanted = {f"page-{i:02d}" for i in range(10)}
    for i, event_id in enumerate(sorted(wanted)):
        client.upsert_event(cal, timed(event_id, days=1 + i))
    requests_seen.clear()

    pages = client.read_events(calendar_ids=[cal], only_managed=True)
    assert pages.current == 1
    assert pages.total == 4
    assert len(pages.current_page()) == 3
    assert pages.next_page_url.startswith(f"{srv.url}/v1/events/pages/")
    got = [e["event_id"] for e in pages]
    assert got == sorted(wanted)  # every event once, in start order

    followed = [url for method, url, _ in requests_seen if "/v1/events/pages/" in url]
    assert len(followed) == 3
    assert all(method == "GET" and code == 200 for method, _, code in requests_seen)

    # .all() gives the same; without automatic pagination iteration stops after page one.
    everything = client.read_events(calendar_ids=[cal], only_managed=True).all()
    assert [e["event_id"] for e in everything] == sorted(wanted)
    first_only = client.read_events(
        calendar_ids=[cal], only_managed=True, automatic_pagination=False
    )
    assert len(list(first_only)) == 3

    # External events of the world come through the same pagination (SDK includes managed).
    all_uids = by_uid(client, from_date=TODAY, to_date=TODAY + timedelta(days=30))
    assert EDITABLE in all_uids
    assert len([u for u in all_uids.values() if u.get("event_id", "").startswith("page-")]) == 10


def test_read_events_window_and_filters(client):
    client.upsert_event(WORK, timed("near", days=1))
    client.upsert_event(WORK, timed("far", days=20))
    client.upsert_event(SECOND, timed("other-cal", days=1))
    window = managed(client, from_date=TODAY, to_date=TODAY + timedelta(days=10))
    assert set(window) == {"near", "other-cal"}
    assert set(managed(client, calendar_ids=[WORK])) == {"near", "far"}
    # include_managed=False hides the app's own events.
    external = by_uid(client, include_managed=False)
    assert EDITABLE in external
    assert not any("event_id" in e for e in external.values())


def test_read_events_last_modified(srv, client):
    client.upsert_event(WORK, timed("before"))
    # Move the fake's clock on an hour so later writes are unambiguously newer.
    httpx.post(f"{srv.url}/_mock/clock", json={"advance": 3600}).raise_for_status()
    since = datetime.now(UTC) + timedelta(minutes=30)
    client.upsert_event(WORK, timed("after"))
    client.change_participation_status(WORK, EDITABLE, "tentative")
    changed = by_uid(client, last_modified=since)
    assert {e.get("event_id") for e in changed.values()} == {"after", None}
    assert set(changed) - {managed(client)["after"]["event_uid"]} == {EDITABLE}
    assert utc(changed[EDITABLE]["updated"]) >= since


# -- deletes ---------------------------------------------------------------------------------


def test_delete_event(client):
    client.upsert_event(WORK, timed("doomed"))
    client.upsert_event(WORK, timed("kept"))
    assert client.delete_event(WORK, "doomed") is None
    assert set(managed(client)) == {"kept"}
    deleted = [
        e
        for e in client.read_events(only_managed=True, include_deleted=True)
        if e["event_id"] == "doomed"
    ]
    assert len(deleted) == 1 and deleted[0]["deleted"] is True
    # A managed event is a true upsert: the same event_id comes back after a delete.
    client.upsert_event(WORK, timed("doomed", summary="Back"))
    assert managed(client)["doomed"]["summary"] == "Back"


def test_delete_all_events_everywhere(client, requests_seen):
    client.upsert_event(WORK, timed("w1"))
    client.upsert_event(SECOND, timed("s1"))
    client.delete_all_events()
    method, url, status = requests_seen[-1]
    assert (method, status) == ("DELETE", 202)
    assert urlsplit(url).query == "delete_all=True"  # sent as a query parameter, not a body
    assert managed(client) == {}
    assert EDITABLE in by_uid(client)  # external events are not the app's to bulk delete


def test_delete_all_events_in_chosen_calendars(client, requests_seen):
    client.upsert_event(WORK, timed("w1"))
    client.upsert_event(WORK, timed("w2"))
    client.upsert_event(SECOND, timed("s1"))
    client.delete_all_events(calendar_ids=[WORK])
    assert parse_qs(urlsplit(requests_seen[-1][1]).query) == {"calendar_ids[]": [WORK]}
    assert set(managed(client)) == {"s1"}
    client.delete_all_events(calendar_ids=[WORK, SECOND])
    assert managed(client) == {}


# -- external events -------------------------------------------------------------------------


def test_edit_external_event_with_event_uid(client):
    before = by_uid(client)[EDITABLE]
    assert "event_id" not in before
    assert before["options"]["update"] is True
    start = soon(days=6, hours=2)
    client.upsert_event(
        WORK,
        {
            "event_uid": EDITABLE,
            "summary": "Edited by pycronofy",
            "start": start,
            "end": start + timedelta(hours=1),
        },
    )
    after = by_uid(client)[EDITABLE]
    assert after["summary"] == "Edited by pycronofy"
    assert utc(after["start"]) == start
    assert "event_id" not in after
    assert managed(client) == {}  # no managed event was created


def test_edit_external_event_refused_when_owner_forbids(client):
    assert by_uid(client)[NON_EDITABLE]["options"]["update"] is False
    with pytest.raises(PyCronofyRequestError) as exc:
        client.upsert_event(
            WORK,
            {"event_uid": NON_EDITABLE, "summary": "No", "start": soon(4), "end": soon(4, 1)},
        )
    assert status_of(exc) in (403, 422)
    assert by_uid(client)[NON_EDITABLE]["summary"] == "Owner forbids changes"


def test_delete_external_event(client):
    assert client.delete_external_event(WORK, EDITABLE) is None
    assert EDITABLE not in by_uid(client)
    assert by_uid(client, include_deleted=True)[EDITABLE]["deleted"] is True
    # A managed event's uid is not an external uid.
    client.upsert_event(WORK, timed("mine"))
    mine_uid = managed(client)["mine"]["event_uid"]
    with pytest.raises(PyCronofyRequestError) as exc:
        client.delete_external_event(WORK, mine_uid)
    assert status_of(exc) == 422
    assert exc.value.response.json()["errors"]["event_uid"][0]["key"] == (
        "errors.must_be_external_event_uid"
    )
    assert "mine" in managed(client)


def test_change_participation_status(client):
    assert by_uid(client)[EDITABLE]["participation_status"] == "needs_action"
    assert client.change_participation_status(WORK, EDITABLE, "accepted") is None
    event = by_uid(client)[EDITABLE]
    assert event["participation_status"] == "accepted"
    owner = [a for a in event["attendees"] if a["email"] == OWNER["email"]]
    assert owner[0]["status"] == "accepted"
    client.change_participation_status(WORK, EDITABLE, "declined")
    assert by_uid(client)[EDITABLE]["participation_status"] == "declined"
    with pytest.raises(PyCronofyRequestError) as exc:
        client.change_participation_status(WORK, EDITABLE, "maybe")
    assert status_of(exc) == 422
    assert "status" in exc.value.response.json()["errors"]


# -- free-busy -------------------------------------------------------------------------------


def test_read_free_busy(srv, client):
    set_page_size(srv, 2)
    cal = new_calendar(client, "Free-busy")
    client.upsert_event(cal, timed("busy", days=2))
    client.upsert_event(cal, timed("free", days=3, transparency="transparent"))
    day = TODAY + timedelta(days=4)
    client.upsert_event(
        cal, {"event_id": "all-day", "summary": "d", "start": day, "end": day + timedelta(1)}
    )
    blocks = list(
        client.read_free_busy(
            calendar_ids=[cal],
            from_date=TODAY,
            to_date=TODAY + timedelta(days=10),
        )
    )  # three blocks across two pages
    assert [(b["start"], b["free_busy_status"]) for b in blocks] == [
        (soon(2).strftime("%Y-%m-%dT%H:%M:%SZ"), "busy"),
        (soon(3).strftime("%Y-%m-%dT%H:%M:%SZ"), "free"),
        (day.isoformat(), "free"),
    ]
    assert {b["calendar_id"] for b in blocks} == {cal}
    # The external events of the world show up for their calendar too.
    work = list(client.read_free_busy(calendar_ids=[WORK], include_managed=False))
    assert any(b["free_busy_status"] == "busy" for b in work)


# -- batch -----------------------------------------------------------------------------------


def test_batch(client):
    client.upsert_event(WORK, timed("old"))
    builder = (
        BatchBuilder()
        .upsert_event(WORK, timed("b1"))
        .upsert_event(SECOND, timed("b2", days=2))
        .delete_event(WORK, "old")
    )
    result = client.batch(builder)
    assert [entry.status() for entry in result.entries] == [202, 202, 202]
    events = managed(client)
    assert set(events) == {"b1", "b2"}
    assert events["b2"]["calendar_id"] == SECOND


def test_batch_partial_failure(client):
    bad = {"event_id": "no-summary", "start": soon(1), "end": soon(1, 1)}
    builder = BatchBuilder().upsert_event(WORK, timed("good")).upsert_event(WORK, bad)
    with pytest.raises(PyCronofyPartialSuccessError) as exc:
        client.batch(builder)
    (failed,) = exc.value.batch_response.errors()
    assert failed.status() == 422
    assert "summary" in failed.response["data"]["errors"]
    assert set(managed(client)) == {"good"}  # the valid entry still applied


# -- OAuth -----------------------------------------------------------------------------------


def authorization_code(srv: LiveServer, client: pycronofy.Client, state: str) -> str:
    """Follow pycronofy's own auth link (re-pointed at the fake) and read the code off the
    redirect, as the user's browser would."""
    link = client.user_auth_link(S["redirect_uri"], state=state)
    response = httpx.get(
        f"{srv.url}/oauth/authorize?{urlsplit(link).query}", follow_redirects=False
    )
    assert response.status_code in (302, 303), response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == S["redirect_uri"]
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def test_get_authorization_from_code(srv):
    app = make_client(srv, client_id=S["client_id"], client_secret=S["client_secret"])
    code = authorization_code(srv, app, state="csrf-123")
    tokens = app.get_authorization_from_code(code, redirect_uri=S["redirect_uri"])
    assert len(tokens["access_token"]) == 32
    assert tokens["refresh_token"]
    assert app.auth.access_token == tokens["access_token"]
    assert app.auth.token_expiration > datetime.now(UTC)
    assert app.account()["account_id"] == S["account_id"]
    assert {c["calendar_id"] for c in app.list_calendars()} >= {WORK, SECOND}
    app.upsert_event(WORK, timed("via-new-grant"))
    assert "via-new-grant" in managed(app)

    # A code is single use.
    with pytest.raises(PyCronofyRequestError) as exc:
        app.get_authorization_from_code(code, redirect_uri=S["redirect_uri"])
    assert status_of(exc) == 400
    assert exc.value.response.json() == {"error": "invalid_grant"}
    # Without redirect_uri pycronofy reuses the one user_auth_link remembered.
    second = authorization_code(srv, app, state="again")
    assert app.get_authorization_from_code(second)["access_token"] != tokens["access_token"]


def test_refresh_authorization(client):
    old = client.auth.access_token
    refreshed = client.refresh_authorization()
    assert refreshed["access_token"] != old
    assert len(refreshed["access_token"]) == 32
    assert refreshed["refresh_token"] == S["refresh_token"]
    assert client.auth.access_token == refreshed["access_token"]
    # The new token works for reads and writes.
    client.upsert_event(WORK, timed("after-refresh"))
    assert "after-refresh" in managed(client)
    assert client.account()["account_id"] == S["account_id"]


def test_refresh_with_unknown_refresh_token_fails(srv):
    bad = make_client(
        srv,
        client_id=S["client_id"],
        client_secret=S["client_secret"],
        refresh_token="not-a-refresh-token",
    )
    with pytest.raises(PyCronofyRequestError) as exc:
        bad.refresh_authorization()
    assert status_of(exc) == 400
    assert exc.value.response.json()["error"] == "invalid_grant"


def test_revoke_authorization(srv, client):
    client.refresh_authorization()
    refreshed = client.auth.access_token
    client.revoke_authorization()
    assert client.auth.access_token is None  # the SDK forgets its tokens

    for token in (refreshed, S["access_token"]):  # every token of the grant is dead
        other = make_client(srv, access_token=token)
        with pytest.raises(PyCronofyRequestError) as exc:
            other.list_calendars()
        assert status_of(exc) == 401
    with pytest.raises(PyCronofyRequestError) as exc:
        client.read_events()
    assert status_of(exc) == 401
    again = make_client(
        srv,
        client_id=S["client_id"],
        client_secret=S["client_secret"],
        refresh_token=S["refresh_token"],
    )
    with pytest.raises(PyCronofyRequestError) as exc:
        again.refresh_authorization()
    assert status_of(exc) == 400
    # Other grants of the same account are untouched.
    assert make_client(srv, access_token=S["free_busy_only_token"]).read_free_busy().all() != []


# -- errors ----------------------------------------------------------------------------------


def test_invalid_upsert_raises_422_with_field_errors(client):
    with pytest.raises(PyCronofyRequestError) as exc:
        client.upsert_event(WORK, {"event_id": "bad", "start": soon(1), "end": soon(1, 1)})
    response = exc.value.response
    assert response.status_code == 422
    assert response.json()["errors"]["summary"][0]["key"] == "errors.required"
    assert exc.value.message.startswith("Response: 422")
    assert "Authorization" not in exc.value.message

    with pytest.raises(PyCronofyRequestError) as exc:
        client.upsert_event(
            WORK, {"event_id": "backwards", "summary": "s", "start": soon(2), "end": soon(1)}
        )
    assert status_of(exc) == 422
    assert "end" in exc.value.response.json()["errors"]
    assert managed(client) == {}  # nothing was written


def test_auth_scope_and_calendar_errors(srv, client):
    with pytest.raises(PyCronofyRequestError) as exc:
        make_client(srv, access_token="nobody-has-this-token-0000000000").list_calendars()
    assert status_of(exc) == 401
    with pytest.raises(PyCronofyRequestError) as exc:
        make_client(srv, access_token=S["expired_token"]).account()
    assert status_of(exc) == 401
    with pytest.raises(PyCronofyRequestError) as exc:
        make_client(srv, access_token=S["free_busy_only_token"]).upsert_event(WORK, timed("x"))
    assert status_of(exc) == 403
    with pytest.raises(PyCronofyRequestError) as exc:
        client.upsert_event(S["other_account_calendar"], timed("x"))
    assert status_of(exc) == 404
    with pytest.raises(PyCronofyRequestError) as exc:
        client.upsert_event(READONLY, timed("x"))
    assert status_of(exc) in (403, 422, 423)
    assert managed(client) == {}
