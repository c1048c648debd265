"""Cal.com on the shared core: bookings are core events Cronofy sees as external, GET/PATCH go
through the World, the Cal.com tables are part of reset, snapshots and dumps, and a bad world-file
`calcom` section names every bad place."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mockserver.app import create_app
from mockserver.core.fixtures import FixtureError, read
from mockserver.state import ServerState, check
from mockserver.testing import asgi_client

WORLD = read(Path(__file__).resolve().parents[1] / "contracts" / "world.json")
KEY = {"Authorization": "Bearer cal_test_contractHost000000000000001"}
V = {**KEY, "cal-api-version": "2024-08-13"}
CRONOFY = {"Authorization": "Bearer cronofyCalHostToken00000000001"}
HOST_CAL = "cal_c0ntractca1c1_primary"
EVENT_UID = "c0ntractb00k1ng00000000001"


def world() -> dict[str, Any]:
    """The contract world plus a Cronofy grant over the Cal.com host's account."""
    data = copy.deepcopy(WORLD)
    data["cronofy"]["authorizations"].append(
        {
            "app": data["cronofy"]["apps"][0]["client_id"],
            "account": "acc_c0ntractca1c000000000001",
            "scope": "read_events create_event delete_event",
            "access_token": "cronofyCalHostToken00000000001",
        }
    )
    return data


@pytest.fixture
def server() -> ServerState:
    return ServerState(fixture=world())


@pytest.fixture
def client(server: ServerState):
    with asgi_client(create_app(state=server)) as c:
        yield c


def slot(days: int, hour: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


def book(client, days: int = 20) -> dict[str, Any]:
    body = {
        "start": slot(days, 12),
        "eventTypeId": 301,
        "attendee": {"name": "Core Test", "email": "core@example.com", "timeZone": "UTC"},
    }
    response = client.post("/v2/bookings", json=body, headers={"cal-api-version": "2024-08-13"})
    assert response.status_code == 201, response.text
    return response.json()["data"]


def cronofy_events(client, days: int) -> list[dict[str, Any]]:
    day = datetime.now(UTC).date() + timedelta(days=days)
    params = {
        "tzid": "Etc/UTC",
        "from": (day - timedelta(days=1)).isoformat(),
        "to": (day + timedelta(days=2)).isoformat(),
        "calendar_ids[]": HOST_CAL,
    }
    response = client.get("/v1/events", params=params, headers=CRONOFY)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def test_a_booking_is_an_external_core_event_found_by_its_provider_id(client, server):
    booking = book(client)
    refs = client.get(f"/v2/bookings/{booking['uid']}/references", headers=V).json()["data"]
    [ref] = [r for r in refs if r["type"] == "google_calendar"]
    ev = server.world.event_by_provider_id(ref["eventUid"])
    assert ev is not None
    assert ev.app_id is None  # made by the calendar's owner, as far as Cronofy can tell
    assert ev.calendar_id == HOST_CAL
    assert ref["destinationCalendarId"] == server.world.calendars[HOST_CAL].provider_id
    assert ev.ical_uid == f"{booking['uid']}@Cal.com"
    seen = cronofy_events(client, 20)
    [mine] = [e for e in seen if e["event_uid"] == ev.uid]
    assert mine["summary"] == booking["title"]
    assert "event_id" not in mine  # external: no app-managed event_id


def test_a_cal_com_patch_shows_through_cronofy_with_a_new_updated_stamp(client, server):
    before = server.world.event_by_provider_id(EVENT_UID)
    server.clock.freeze(before.updated + timedelta(minutes=5))
    response = client.patch(
        f"/v2/calendars/google/events/{EVENT_UID}", json={"title": "Via Cal.com"}, headers=KEY
    )
    assert response.status_code == 200
    after = server.world.event_by_provider_id(EVENT_UID)
    assert after.uid == before.uid and after.summary == "Via Cal.com"
    assert after.updated > before.updated
    [seen] = [e for e in cronofy_events(client, 3) if e["event_uid"] == before.uid]
    assert seen["summary"] == "Via Cal.com"


def test_a_cronofy_edit_shows_through_cal_com(client, server):
    ev = server.world.event_by_provider_id(EVENT_UID)
    body = {
        "event_uid": ev.uid,
        "summary": "Via Cronofy",
        "start": slot(3, 8),
        "end": slot(3, 9),
        "tzid": "Etc/UTC",
    }
    response = client.post(f"/v1/calendars/{HOST_CAL}/events", json=body, headers=CRONOFY)
    assert response.status_code == 202, response.text
    data = client.get(f"/v2/calendars/google/event/{EVENT_UID}", headers=KEY).json()["data"]
    assert data["title"] == "Via Cronofy"
    assert data["start"]["time"] == slot(3, 8)


def test_a_refused_patch_changes_nothing(client, server):
    before = server.world.event_by_provider_id(EVENT_UID)
    version = server.world.version
    for body in ({"title": 5}, {"start": {"timeZone": "UTC"}, "title": "no"}):
        response = client.patch(f"/v2/calendars/google/events/{EVENT_UID}", json=body, headers=KEY)
        assert response.status_code in (400, 404)
    assert server.world.event_by_provider_id(EVENT_UID) == before
    assert server.world.version == version


def test_an_empty_patch_writes_nothing(client, server):
    version = server.world.version
    response = client.patch(f"/v2/calendars/google/events/{EVENT_UID}", json={}, headers=KEY)
    assert response.status_code == 200
    assert server.world.version == version


def test_reset_restores_bookings_references_and_the_rate_window(client, server):
    booking = book(client)
    assert client.get(f"/v2/bookings/{booking['uid']}", headers=V).status_code == 200
    spent = client.get("/v2/me", headers=KEY).headers["X-RateLimit-Remaining-Default"]
    assert spent == "118"  # two requests with this key so far
    server.reset()
    fresh = client.get("/v2/me", headers=KEY)
    assert fresh.headers["X-RateLimit-Remaining-Default"] == "119"
    assert client.get(f"/v2/bookings/{booking['uid']}", headers=V).status_code == 404
    assert client.get(f"/v2/calendars/google/event/{EVENT_UID}", headers=KEY).status_code == 200


def test_a_snapshot_holds_the_cal_com_tables(client, server):
    snap = server.snapshot()
    booking = book(client)
    client.post("/v2/bookings/ctHostBooking0000000001/cancel", json={}, headers=V)
    server.restore(snap)
    assert client.get(f"/v2/bookings/{booking['uid']}", headers=V).status_code == 404
    again = client.get("/v2/bookings/ctHostBooking0000000001", headers=V).json()["data"]
    assert again["status"] == "accepted"
    assert client.get(f"/v2/calendars/google/event/{EVENT_UID}", headers=KEY).status_code == 200
    book(client)  # the snapshot stays reusable: the same slot is free again
    server.restore(snap)
    book(client)


def test_a_dump_seeds_back_to_the_same_bookings(client, server):
    booking = book(client)
    client.patch(f"/v2/calendars/google/events/{EVENT_UID}", json={"title": "Dumped"}, headers=KEY)
    dump = client.get("/_mock/state").json()
    assert check(dump) == []
    fresh = ServerState(fixture=dump)
    with asgi_client(create_app(state=fresh)) as c:
        assert (
            c.get(f"/v2/bookings/{booking['uid']}", headers=V).json()["data"]["uid"]
            == (booking["uid"])
        )
        data = c.get(f"/v2/calendars/google/event/{EVENT_UID}", headers=KEY).json()["data"]
        assert data["title"] == "Dumped"
        assert len(fresh.world.events) == len(server.world.events)  # linked, not duplicated


def test_credentials_list_cal_com_keys_and_tokens(client):
    creds = client.get("/_mock/credentials").json()["calcom"]
    [host] = [u for u in creds["users"] if u["username"] == "calhost"]
    assert "cal_test_contractHost000000000000001" in [k["key"] for k in host["api_keys"]]
    tokens = {t["token"]: t["expired"] for t in host["access_tokens"]}
    assert tokens == {
        "contractCalcomAccessToken00000001": False,
        "contractCalcomExpiredToken0000001": True,
    }


def test_the_demo_world_has_alice_on_her_google_work_calendar():
    state = ServerState()
    [alice] = [u for u in state.calcom.store.users.values() if u.username == "alice"]
    assert alice.destination_calendar == "cal_a11cedemo0001_work"
    with asgi_client(create_app(state=state)) as c:
        headers = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
        refs = c.get(
            "/v2/bookings/bkDemoUpcoming00000000001/references",
            headers={**headers, "cal-api-version": "2024-08-13"},
        ).json()["data"]
        event = c.get(f"/v2/calendars/google/event/{refs[0]['eventUid']}", headers=headers)
        assert event.status_code == 200
        expired = c.get("/v2/me", headers={"Authorization": "calcomDemoAliceExpiredToken000001"})
        assert expired.status_code == 498


def problems_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(FixtureError) as exc:
        ServerState(fixture=data)
    assert check(data) == exc.value.problems
    return dict(exc.value.problems)


def test_a_bad_calcom_section_names_each_place():
    data = copy.deepcopy(WORLD)
    cal = data["calcom"]
    cal["users"][0]["credentials"][0]["profile"] = "pro_c0ntract0001"  # not this account's
    cal["users"][1]["account"] = "acc_nobody"
    cal["eventTypes"][1]["user"] = 999
    found = problems_of(data)
    assert "$.calcom.users[0].credentials[0].profile" in found
    assert "$.calcom.users[1].account" in found
    assert "$.calcom.eventTypes[1].user" in found


def test_a_bad_booking_names_its_place():
    data = copy.deepcopy(WORLD)
    data["calcom"]["bookings"][1]["eventType"] = 999
    data["calcom"]["bookings"][2]["uid"] = data["calcom"]["bookings"][0]["uid"]
    found = problems_of(data)
    assert "$.calcom.bookings[1].eventType" in found
    assert "duplicate booking uid" in found["$.calcom.bookings[2].uid"]


def test_the_schema_checks_the_calcom_section():
    data = copy.deepcopy(WORLD)
    data["calcom"]["users"][0]["apiKeys"][0]["key"] = "not-a-cal-key"
    data["calcom"]["bookings"][0]["surprise"] = True
    found = problems_of(data)
    assert "$.calcom.users[0].apiKeys[0].key" in found
    assert "$.calcom.bookings[0]" in found


def test_a_trailing_slash_routes_like_express(client):
    me = client.get("/v2/me/", headers=KEY)
    assert me.status_code == 200
    assert me.json()["data"]["username"] == "calhost"
    bad = client.get(f"/v2/calendars/outlook/event/{EVENT_UID}/?x=1", headers=KEY)
    assert bad.status_code == 400
    assert bad.json()["path"] == f"/v2/calendars/outlook/event/{EVENT_UID}/?x=1"
    nowhere = client.get("/v2/nowhere//")
    assert nowhere.status_code == 404
    assert nowhere.json()["error"]["message"] == "Cannot GET /v2/nowhere//"


def oss_client(**choices: Any):
    from mockserver.calcom.settings import CalcomSettings
    from mockserver.settings import Settings

    state = ServerState(
        Settings(calcom=CalcomSettings(profile="oss-2026", **choices)), fixture=world()
    )
    return asgi_client(create_app(state=state))


@pytest.mark.parametrize("shown", [True, False])
def test_list_all_day_events_is_the_2026_list_choice(shown):
    """cal.diy maps an all-day event into the 2026 list; the calcom 2026 service
    (cal-unified-calendars/services/google-calendar.service.ts @ 008ed79e) drops every event
    without a start.dateTime: `calcom.list_all_day_events`."""
    day = (datetime.now(UTC).date() + timedelta(days=33)).isoformat()
    end = (datetime.now(UTC).date() + timedelta(days=34)).isoformat()
    with oss_client(list_all_day_events=shown) as c:
        made = c.post(
            f"/v1/calendars/{HOST_CAL}/events",
            json={"event_id": "allday-1", "summary": "Holiday", "start": day, "end": end},
            headers=CRONOFY,
        )
        assert made.status_code == 202, made.text
        listed = c.get("/v2/calendars/google/events", params={"from": day, "to": day}, headers=KEY)
        assert listed.status_code == 200, listed.text
        titles = {e["title"]: e for e in listed.json()["data"]}
        assert ("Holiday" in titles) is shown
        if shown:
            assert titles["Holiday"]["start"] == {"time": f"{day}T00:00:00", "timeZone": "UTC"}


@pytest.mark.parametrize("status", [400, 404])
def test_freebusy_of_a_foreign_connection_is_the_status_chosen(status):
    """The 2026 controller's getConnectionFreeBusy answers BadRequestException("Calendar
    connection not found") (@ 008ed79e); the event routes answer the service's 404:
    `calcom.freebusy_unknown_connection_status`."""
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    with oss_client(freebusy_unknown_connection_status=status) as c:
        answer = c.get(
            "/v2/calendars/connections/202/freebusy", params={"from": day, "to": day}, headers=KEY
        )
        assert answer.status_code == status, answer.text
        assert answer.json()["error"]["message"] == "Calendar connection not found"
