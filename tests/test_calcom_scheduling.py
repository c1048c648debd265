"""Cal.com scheduling on the shared core, checked from inside the fake: calendar events count as
busy time through the one busy predicate, the built-in schedule of a user without one, expired
reservations, Google events of series / confirmations / seats, the world file's schedules,
event types and reservations (load, dump, reset, bad places), and refused requests that change
nothing. The HTTP rules are in contracts/calcom/test_scheduling_*.py."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.core.fixtures import FixtureError
from mockserver.settings import Settings
from mockserver.state import ServerState, check
from mockserver.testing import asgi_client

ALICE = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
BOB = {"Authorization": "Bearer cal_live_demoBob00000000000000000001"}
SLOTS = {"cal-api-version": "2024-09-04"}
BOOKINGS = {"cal-api-version": "2024-08-13"}
MONDAY = "2050-09-05"  # London: BST (UTC+1); Chicago: CDT (UTC-5)
WORK = "cal_a11cedemo0001_work"
HOLIDAYS = "cal_a11cedemo0001_holidays"  # neither selected nor the destination


@pytest.fixture
def server() -> ServerState:
    return ServerState()


@pytest.fixture
def client(server: ServerState):
    with asgi_client(create_app(state=server)) as c:
        yield c


def when(clock: str, day: str = MONDAY) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}+00:00")


def starts(client, **params: Any) -> list[str]:
    response = client.get("/v2/slots", params=params, headers=SLOTS)
    assert response.status_code == 200, response.text
    return [s["start"][11:16] for day in response.json()["data"].values() for s in day]


def book(client, event_type: int, start: str, **extra: Any):
    body = {
        "start": start,
        "eventTypeId": event_type,
        "attendee": {
            "name": "In Side",
            "email": "in.side@example.net",
            "timeZone": "Europe/London",
        },
        **extra,
    }
    return client.post("/v2/bookings", json=body, headers=BOOKINGS)


def google_events(server: ServerState, booking_uid: str) -> list[Any]:
    store = server.calcom.store
    refs = [r for r in store.references_of(booking_uid) if r.type == "google_calendar"]
    found = [server.world.event_by_provider_id(r.event_uid) for r in refs]
    return [ev for ev in found if ev is not None and not ev.deleted]


@pytest.mark.rule("scheduling", "S-K10")
def test_rule_S_K10_calendar_events_block_as_the_busy_predicate_says(server, client):
    w = server.world
    with w.transaction():
        w.create_event(WORK, summary="busy", start=when("09:00"), end=when("10:00"))
        w.create_event(
            WORK, summary="free", start=when("10:00"), end=when("11:00"), transparency="transparent"
        )
        w.create_event(
            WORK,
            summary="said no",
            start=when("11:00"),
            end=when("12:00"),
            participation_status="declined",
        )
        w.create_event(
            WORK, summary="off", start=when("12:00"), end=when("13:00"), status="cancelled"
        )
        w.create_event(HOLIDAYS, summary="elsewhere", start=when("13:00"), end=when("14:00"))
    day = starts(client, eventTypeId=1, start=MONDAY, end=MONDAY)  # 30 min, 09:00-17:00 London
    assert day[:2] == ["08:00", "08:30"]
    assert "09:00" not in day and "09:30" not in day  # opaque: busy
    for free in (
        "10:00",
        "11:00",
        "12:00",
        "13:00",
    ):  # transparent, declined, cancelled, unselected
        assert free in day


@pytest.mark.rule("scheduling", "S-K9")
def test_rule_S_K9_a_user_without_schedules_gets_weekdays_nine_to_five_in_their_zone(client):
    day = starts(client, eventTypeId=14, start=MONDAY, end=MONDAY)  # Bob, Chicago
    assert day[0] == "14:00"  # 09:00 CDT
    assert day[-1] == "21:30" and len(day) == 16  # the last 30-minute slot ends 17:00 CDT
    weekend = starts(client, eventTypeId=14, start="2050-09-10", end="2050-09-11")
    assert weekend == []


@pytest.mark.rule("scheduling", "S-K20")
def test_rule_S_K20_an_expired_reservation_is_ignored_and_deleted(server, client):
    held = client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": 1, "slotStart": "2050-09-05T10:00:00Z"},
        headers=SLOTS,
    )
    uid = held.json()["data"]["reservationUid"]
    assert "10:00" not in starts(client, eventTypeId=1, start=MONDAY, end=MONDAY)
    server.clock.advance(timedelta(seconds=301))
    assert "10:00" in starts(client, eventTypeId=1, start=MONDAY, end=MONDAY)
    assert uid not in server.calcom.store.reservations  # cleaned up by the slot query


@pytest.mark.rule("scheduling", "S-K45")
def test_rule_S_K45_each_occurrence_gets_its_calendar_event_and_cancel_removes_them(server, client):
    series = book(client, 10, "2050-09-05T10:00:00Z").json()["data"]  # weekly, 4 occurrences
    assert len(series) == 4
    events = [google_events(server, b["uid"]) for b in series]
    assert all(len(found) == 1 for found in events)
    assert [found[0].start for found in events][1] == when("10:00", "2050-09-12")
    series_uid = series[0]["recurringBookingUid"]
    client.post(f"/v2/bookings/{series_uid}/cancel", json={}, headers=BOOKINGS)
    assert all(google_events(server, b["uid"]) == [] for b in series)


@pytest.mark.rule("scheduling", "S-K49")
def test_rule_S_K49_a_pending_booking_gets_its_calendar_event_when_confirmed(server, client):
    pending = book(client, 11, "2050-09-05T10:00:00Z").json()["data"]
    assert pending["status"] == "pending"
    assert google_events(server, pending["uid"]) == []
    client.post(f"/v2/bookings/{pending['uid']}/confirm", headers={**ALICE, **BOOKINGS})
    [event] = google_events(server, pending["uid"])
    assert event.start == when("10:00")


@pytest.mark.rule("scheduling", "S-K12")
def test_rule_S_K12_a_new_seat_is_invited_to_the_calendar_event(server, client):
    first = book(client, 9, "2050-09-05T10:00:00Z").json()["data"]
    body = {"name": "Two", "email": "two@example.net", "timeZone": "UTC"}
    second = client.post(
        "/v2/bookings",
        json={"start": "2050-09-05T10:00:00Z", "eventTypeId": 9, "attendee": body},
        headers=BOOKINGS,
    ).json()["data"]
    assert second["uid"] == first["uid"] and second["seatUid"] != first["seatUid"]
    [event] = google_events(server, first["uid"])
    assert "two@example.net" in {a.email for a in event.attendees}
    cancel = client.post(
        f"/v2/bookings/{first['uid']}/cancel",
        json={"seatUid": second["seatUid"]},
        headers=BOOKINGS,
    )
    assert cancel.status_code == 200, cancel.text
    assert [a["email"] for a in cancel.json()["data"]["attendees"]] == ["in.side@example.net"]


def test_another_tenant_sees_none_of_alices_scheduling(client):
    """Bob (the second Cal.com user) cannot read or change Alice's types and schedules."""
    et = {**BOB, "cal-api-version": "2024-06-14"}
    assert client.get("/v2/event-types/1", headers=et).status_code == 404
    assert client.patch("/v2/event-types/1", json={"title": "x"}, headers=et).status_code == 404
    assert client.delete("/v2/event-types/1", headers=et).status_code == 403
    sch = {**BOB, "cal-api-version": "2024-06-11"}
    assert client.get("/v2/schedules/1", headers=sch).status_code == 403
    assert client.get("/v2/schedules", headers=sch).json()["data"] == []
    mine = client.get("/v2/event-types", headers=et).json()["data"]
    assert [e["slug"] for e in mine] == ["bob-30"]
    alice = client.get("/v2/me", headers=ALICE).json()["data"]
    client.patch("/v2/me", json={"timeZone": "Asia/Tokyo"}, headers=BOB)
    assert client.get("/v2/me", headers=ALICE).json()["data"] == alice


def test_refused_requests_change_nothing(server, client):
    store = server.calcom.store
    before = (dict(store.event_types), dict(store.bookings), dict(store.reservations))
    et = {**ALICE, "cal-api-version": "2024-06-14"}
    bad = client.post(
        "/v2/event-types",
        json={"title": "x", "slug": "30min", "lengthInMinutes": 30},  # the slug is taken
        headers=et,
    )
    assert bad.status_code == 400
    held = client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": 1, "slotStart": "2050-09-05T10:00:00Z"},
        headers=SLOTS,
    ).json()["data"]
    refused = book(client, 1, "2050-09-10T10:00:00Z", reservedSlotUid=held["reservationUid"])
    assert refused.status_code == 400  # a Saturday: the reservation is not consumed
    assert held["reservationUid"] in store.reservations
    assert dict(store.event_types) == before[0] and dict(store.bookings) == before[1]
    client.delete(f"/v2/slots/reservations/{held['reservationUid']}", headers=SLOTS)
    assert dict(store.reservations) == before[2]


def test_reset_and_dump_keep_schedules_types_and_reservations(server, client):
    sch = {**ALICE, "cal-api-version": "2024-06-11"}
    client.post(
        "/v2/schedules", json={"name": "Extra", "timeZone": "UTC", "isDefault": True}, headers=sch
    )
    client.post(
        "/v2/slots/reservations",
        json={"eventTypeId": 1, "slotStart": "2050-09-05T10:00:00Z"},
        headers=SLOTS,
    )
    dumped = client.get("/_mock/state").json()
    section = dumped["calcom"]
    assert [s["name"] for s in section["schedules"]] == ["Working hours", "Evenings", "Extra"]
    assert len(section["reservations"]) == 1
    assert next(u for u in section["users"] if u["id"] == 1)["defaultScheduleId"] == 3
    fresh = ServerState(fixture=dumped)
    assert fresh.calcom.store.dump(fresh.world) == section  # a dump loads back the same
    client.post("/_mock/reset")
    again = client.get("/_mock/state").json()["calcom"]
    assert len(again["schedules"]) == 2 and again["reservations"] == []
    assert client.get("/v2/schedules/default", headers=sch).json()["data"]["id"] == 1


def test_bad_scheduling_sections_name_their_places(server):
    data = copy.deepcopy(server.fixture)
    section = data["calcom"]
    section["schedules"][1]["timeZone"] = "Mars/Base"
    section["eventTypes"][0]["scheduleId"] = 99
    section["eventTypes"][1]["locations"] = [{"type": "carrier-pigeon"}]
    section["reservations"] = [{"uid": "r1", "eventType": 999, "slotStart": "2050-09-05T10:00:00Z"}]
    section["users"][1]["defaultScheduleId"] = 1  # Alice's
    places = {place for place, _ in check(data)}
    assert {
        "$.calcom.schedules[1].timeZone",
        "$.calcom.eventTypes[0].scheduleId",
        "$.calcom.eventTypes[1]",
        "$.calcom.users[1].defaultScheduleId",
    } <= places
    with pytest.raises(FixtureError):
        ServerState(fixture=data)
    reservations = copy.deepcopy(server.fixture)
    reservations["calcom"]["reservations"] = [
        {"uid": "r1", "eventType": 999, "slotStart": "2050-09-05T10:00:00Z"}
    ]
    assert [p for p, _ in check(reservations)] == ["$.calcom.reservations[0].eventType"]


def test_booking_limits_close_a_day_once_reached(client):
    et = {**ALICE, "cal-api-version": "2024-06-14"}
    made = client.post(
        "/v2/event-types",
        json={
            "title": "Once",
            "slug": "once-a-day",
            "lengthInMinutes": 30,
            "bookingLimitsCount": {"day": 1},
        },
        headers=et,
    ).json()["data"]
    assert book(client, made["id"], "2050-09-05T09:00:00Z").status_code == 201
    assert starts(client, eventTypeId=made["id"], start=MONDAY, end=MONDAY) == []
    assert starts(client, eventTypeId=made["id"], start="2050-09-06", end="2050-09-06")
    assert book(client, made["id"], "2050-09-05T13:00:00Z").status_code == 400


slot_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["1", "9", "14", "-3", "1e9", "abc", "2050-09-05", "2050-09-05T10:00:00Z", "2050-02-30",
         "8999-12-31", "1000-01-01", "Europe/Rome", "UTC", "Mars/Base", "range", "TIME", "alice",
         "30min", "a,b", "99999999999999", ""]
    ),
)  # fmt: skip
slot_keys = st.sampled_from(
    ["eventTypeId", "start", "end", "timeZone", "duration", "format", "username",
     "eventTypeSlug", "teamSlug", "usernames", "organizationSlug", "bookingUidToReschedule", "x"]
)  # fmt: skip


@pytest.fixture(scope="module")
def unthrottled():
    state = ServerState(Settings(calcom=CalcomSettings(rate_limit=False)))
    with asgi_client(create_app(state=state)) as c:
        yield c


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(slot_keys, slot_values), max_size=6))
def test_any_slots_query_gets_an_answer_never_a_crash(unthrottled, params) -> None:
    response = unthrottled.get("/v2/slots", params=params, headers=SLOTS)
    assert response.status_code in (200, 400, 404), response.text
    body = response.json()
    if response.status_code == 200:
        assert body["status"] == "success" and isinstance(body["data"], dict)
    else:
        assert body["status"] == "error" and body["error"]["message"]


@pytest.mark.rule("scheduling", "S-K6")
@pytest.mark.parametrize(
    ("tzid", "text"),
    [
        (None, "2050-01-10T09:00:00.000Z"),
        ("UTC", "2050-01-10T09:00:00.000Z"),  # Luxon's own UTC zone prints Z
        ("Etc/UTC", "2050-01-10T09:00:00.000+00:00"),  # an IANA zone prints its offset
        ("Europe/London", "2050-01-10T09:00:00.000+00:00"),
        ("Asia/Kolkata", "2050-01-10T14:30:00.000+05:30"),
        ("America/St_Johns", "2050-01-10T05:30:00.000-03:30"),
    ],
)
def test_rule_S_K6_slot_times_render_as_luxon_does(tzid, text):
    from mockserver.calcom.slots import luxon_iso

    assert luxon_iso(when("09:00", "2050-01-10"), tzid) == text


@pytest.mark.rule("scheduling", "S-K8")
def test_rule_S_K8_the_grid_aligns_in_the_asked_zone(client):
    """09:00-17:00 Kolkata is 03:30-11:30Z: hourly slots sit on the Kolkata hour when asked in
    Kolkata time, and on the UTC hour otherwise (the round-up happens in the asked zone)."""
    sch = client.post(
        "/v2/schedules",
        json={"name": "Kolkata", "timeZone": "Asia/Kolkata", "isDefault": False},
        headers={**ALICE, "cal-api-version": "2024-06-11"},
    ).json()["data"]
    et = client.post(
        "/v2/event-types",
        json={
            "title": "Hour",
            "slug": "kolkata-hour",
            "lengthInMinutes": 60,
            "scheduleId": sch["id"],
        },
        headers={**ALICE, "cal-api-version": "2024-06-14"},
    ).json()["data"]
    local = client.get(
        "/v2/slots",
        params={
            "eventTypeId": et["id"],
            "start": MONDAY,
            "end": MONDAY,
            "timeZone": "Asia/Kolkata",
        },
        headers=SLOTS,
    ).json()["data"][MONDAY]
    assert [s["start"][11:16] for s in local][:2] == ["09:00", "10:00"]
    assert local[0]["start"] == "2050-09-05T09:00:00.000+05:30"
    utc = starts(client, eventTypeId=et["id"], start=MONDAY, end=MONDAY)
    assert utc[:2] == ["04:00", "05:00"] and utc[-1] == "10:00"


@pytest.mark.rule("scheduling", "S-K55")
def test_rule_S_K55_me_capitalizes_the_zone_and_bounds_metadata(client):
    lower = client.patch("/v2/me", json={"timeZone": "america/new_york"}, headers=ALICE)
    assert lower.status_code == 200, lower.text
    assert lower.json()["data"]["timeZone"] == "America/New_York"
    big = client.patch("/v2/me", json={"metadata": {f"k{i}": i for i in range(51)}}, headers=ALICE)
    assert big.status_code == 400
    [err] = big.json()["error"]["details"]["errors"]
    assert err["constraints"]["ValidateMetadata"].startswith("Metadata must have at most 50 keys")
    other = client.patch("/v2/me", json={"defaultScheduleId": 1}, headers=BOB)  # Alice's
    assert other.status_code == 404


def test_odd_but_accepted_writes_still_dump_and_load(server, client):
    """What the API accepts, the world file must take back: a slug that slugifies to nothing, a
    long or negative-buffered type, an empty email, an override date in ISO basic form."""
    et = {**ALICE, "cal-api-version": "2024-06-14"}
    made = client.post(
        "/v2/event-types",
        json={"title": "###", "slug": "###", "lengthInMinutes": 5000, "beforeEventBuffer": -5},
        headers=et,
    )
    assert made.status_code == 201, made.text
    sch = {**ALICE, "cal-api-version": "2024-06-11"}
    body = {
        "name": "Basic",
        "timeZone": "UTC",
        "isDefault": False,
        "overrides": [{"date": "20500905", "startTime": "10:00", "endTime": "11:00"}],
    }
    stored = client.post("/v2/schedules", json=body, headers=sch).json()["data"]
    assert stored["overrides"][0]["date"] == "2050-09-05"
    assert client.patch("/v2/me", json={"email": ""}, headers=ALICE).status_code == 200
    dumped = client.get("/_mock/state").json()
    assert check(dumped) == []
