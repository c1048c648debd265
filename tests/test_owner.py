"""The calendar owner's own edits (mockserver/core/owner.py, `/_mock/owner/...`): each shows in
every dialect and is recorded with the actor "owner"; bad requests change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

WORK = "cal_a11cedemo0001_work"
HOLIDAYS = "cal_a11cedemo0001_holidays"
PROFILE = "pro_a11cedemo0001"
BOOKED = "ca1demo0000000000000000001"  # the Google event of Alice's upcoming booking
CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CALCOM = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
ALICE_GOOGLE = "0a11ce00-7e57-4d00-8000-000000000001"
DAY = date.today() + timedelta(days=2)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with asgi_client(create_app()) as c:
        yield c


def cronofy_event(client: httpx.Client, uid: str) -> dict | None:
    params = {"tzid": "Etc/UTC", "include_deleted": "true", "calendar_ids[]": WORK}
    events = client.get("/v1/events", params=params, headers=CRONOFY).json()["events"]
    return next((e for e in events if e["event_uid"] == uid), None)


def truto_titles(client: httpx.Client) -> set[str]:
    params = {"integrated_account_id": ALICE_GOOGLE, "calendar[id]": "primary"}
    response = client.get("/unified/calendar/events", params=params, headers=TRUTO)
    assert response.status_code == 200, response.text
    return {e["title"] for e in response.json()["result"]}


def test_an_owner_event_shows_in_every_dialect(client):
    made = client.post(
        f"/_mock/owner/calendars/{WORK}/events",
        json={"summary": "Dentist", "start": f"{DAY}T09:00:00Z", "end": f"{DAY}T10:00:00Z"},
    )
    assert made.status_code == 201, made.text
    ev = made.json()
    assert ev["calendar_id"] == WORK and ev["provider_event_id"]
    seen = cronofy_event(client, ev["uid"])
    assert seen["summary"] == "Dentist" and "event_id" not in seen  # external to the app
    assert "Dentist" in truto_titles(client)
    change = client.get("/_mock/changes", params={"limit": 1}).json()["changes"][0]
    assert change["kind"] == "event.created" and change["actor"] == {"kind": "owner"}


def test_moving_a_booked_meeting_shows_in_cal_com_and_cronofy(client):
    moved = client.post(
        f"/_mock/owner/events/{BOOKED}/move", json={"start": f"{DAY}T16:00:00Z"}
    )  # by its Google id; it keeps its length
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["start"] == f"{DAY}T16:00:00Z" and body["end"] == f"{DAY}T16:30:00Z"
    got = client.get(f"/v2/calendars/google/event/{BOOKED}", headers=CALCOM).json()["data"]
    when = datetime.fromisoformat(got["start"]["time"].replace("Z", "+00:00"))
    assert when == datetime.fromisoformat(f"{DAY}T16:00:00+00:00")
    assert cronofy_event(client, body["uid"])["start"] == f"{DAY}T16:00:00Z"


def test_update_respond_and_delete(client):
    uid = client.post(
        f"/_mock/owner/calendars/{WORK}/events",
        json={
            "summary": "Review",
            "start": f"{DAY}T11:00:00Z",
            "end": f"{DAY}T12:00:00Z",
            "attendees": [{"email": "alice@example.com"}, {"email": "sam@example.net"}],
        },
    ).json()["uid"]
    patched = client.patch(f"/_mock/owner/events/{uid}", json={"summary": "Review (moved room)"})
    assert patched.json()["summary"] == "Review (moved room)"
    answered = client.post(f"/_mock/owner/events/{uid}/respond", json={"status": "declined"})
    assert answered.status_code == 200
    assert cronofy_event(client, uid)["participation_status"] == "declined"
    other = client.post(
        f"/_mock/owner/events/{uid}/respond",
        json={"status": "accepted", "email": "sam@example.net"},
    ).json()
    assert {a["email"]: a["status"] for a in other["attendees"]}["sam@example.net"] == "accepted"
    assert client.delete(f"/_mock/owner/events/{uid}").json()["deleted"] is True
    assert cronofy_event(client, uid)["deleted"] is True
    kinds = [c["kind"] for c in client.get("/_mock/changes").json()["changes"]]
    assert kinds == [
        "event.created",
        "event.updated",
        "event.updated",
        "event.updated",
        "event.deleted",
    ]


def test_calendars_and_profiles(client):
    cal = client.post(f"/_mock/owner/profiles/{PROFILE}/calendars", json={"name": "Side project"})
    assert cal.status_code == 201
    cal_id = cal.json()["id"]
    names = {
        c["calendar_name"] for c in client.get("/v1/calendars", headers=CRONOFY).json()["calendars"]
    }
    assert "Side project" in names
    assert client.delete(f"/_mock/owner/calendars/{cal_id}").json()["deleted"] is True
    calendars = client.get("/v1/calendars", headers=CRONOFY).json()["calendars"]
    assert {c["calendar_id"]: c["calendar_deleted"] for c in calendars}[cal_id] is True
    assert client.post(f"/_mock/owner/profiles/{PROFILE}/disconnect").json()["connected"] is False
    profiles = client.get("/v1/profiles", headers=CRONOFY).json()["profiles"]
    assert {p["profile_id"]: p["profile_connected"] for p in profiles}[PROFILE] is False
    assert client.post(f"/_mock/owner/profiles/{PROFILE}/reconnect").json()["connected"] is True
    kinds = [c["kind"] for c in client.get("/_mock/changes").json()["changes"]]
    assert kinds == [
        "calendar.created",
        "calendar.deleted",
        "profile.disconnected",
        "profile.connected",
    ]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", f"/_mock/owner/calendars/{WORK}/events", {"summary": "x"}, 400),
        (
            "POST",
            "/_mock/owner/calendars/cal_nope/events",
            {"summary": "x", "start": "now", "end": "now+1h"},
            404,
        ),
        (
            "POST",
            f"/_mock/owner/calendars/{HOLIDAYS}/events",
            {"summary": "x", "start": "now", "end": "now+1h"},
            409,
        ),
        (
            "POST",
            f"/_mock/owner/calendars/{WORK}/events",
            {"summary": "x", "start": "now+2h", "end": "now+1h"},
            400,
        ),
        (
            "POST",
            f"/_mock/owner/calendars/{WORK}/events",
            {"summary": "x", "start": "soon", "end": "now+1h"},
            400,
        ),
        (
            "POST",
            f"/_mock/owner/calendars/{WORK}/events",
            {"summary": "x", "start": "now", "end": "now+1h", "colour": "red"},
            400,
        ),
        ("PATCH", "/_mock/owner/events/evt_nope", {"summary": "x"}, 404),
        ("PATCH", f"/_mock/owner/events/{BOOKED}", {"status": "gone"}, 400),
        ("POST", f"/_mock/owner/events/{BOOKED}/move", {}, 400),
        ("POST", f"/_mock/owner/events/{BOOKED}/respond", {"status": "maybe"}, 400),
        (
            "POST",
            f"/_mock/owner/events/{BOOKED}/respond",
            {"status": "accepted", "email": "who@x.y"},
            404,
        ),
        ("POST", "/_mock/owner/profiles/pro_nope/disconnect", None, 404),
        ("POST", f"/_mock/owner/profiles/{PROFILE}/calendars", {"name": ""}, 400),
        ("POST", f"/_mock/owner/events/{BOOKED}/move", [1], 400),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(client, method, path, body, status):
    before = client.get("/_mock/state").json()
    response = client.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert "error" in response.json()
    assert client.get("/_mock/state").json() == before
    assert client.get("/_mock/changes").json()["changes"] == []


def test_from_python(client):
    state = client._transport._transport.app.state.server  # type: ignore[attr-defined]
    ev = state.owner.create_event(
        WORK, summary="Py", start=f"{DAY}T08:00:00Z", end=f"{DAY}T08:30:00Z"
    )
    state.owner.move_event(ev.uid, f"{DAY}T13:00:00Z")
    assert cronofy_event(client, ev.uid)["start"] == f"{DAY}T13:00:00Z"
