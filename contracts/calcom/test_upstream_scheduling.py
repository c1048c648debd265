"""Upstream replay: slots and reservations (2024-09-04), event types (2024-06-14), schedules
(2024-06-11).

Each test replays an `it(...)` of Cal.com's own API v2 e2e specs (calcom/cal.com) over HTTP: the
same request (path, `cal-api-version`, body) and the same `expect`s. The specs' user (Europe/Rome
default schedule, Monday-Friday 09:00-17:00, a 60-minute event type) is made over HTTP by
`made` (contracts/calcom/scheduling.py) for the contract user; ids, slugs and the user are the
world's where the specs create their own. Sources, with their commits:

* [slots-e2e] apps/api/v2/src/modules/slots/slots-2024-09-04/controllers/e2e/
  user-event-type-slots.controller.e2e-spec.ts @ 30f11f51f04983191e1299b9001063944e5f8ecd and
  expected-slots.ts @ 0c03d483f531350cf4598d82ab13cedfd527d092
* [et-e2e] apps/api/v2/src/ee/event-types/event-types_2024_06_14/controllers/
  event-types.controller.e2e-spec.ts @ b9ff8f3cc0a2c2fd68a534621b90e0c75e450a45
* [sch-e2e] apps/api/v2/src/ee/schedules/schedules_2024_06_11/controllers/
  schedules.controller.e2e-spec.ts @ eff62f321848f336557c9a667df3e4216f98c025

See docs/EVIDENCE.md (Cal.com, Scheduling and notifications).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.scheduling import EVENT_TYPES, MONDAY, SCHEDULES, SLOTS, after_change
from contracts.calcom.upstream import assert_same_shape

DAYS = ["2050-09-05", "2050-09-06", "2050-09-07", "2050-09-08", "2050-09-09"]
HOURS_UTC = range(7, 15)  # 09:00-16:00 Rome (UTC+2 in September)


def expected_utc(with_end: bool = False) -> dict[str, list[dict[str, str]]]:
    """expected-slots.ts expectedSlotsUTC / expectedSlotsUTCRange."""
    out = {}
    for d in DAYS:
        out[d] = [
            {"start": f"{d}T{h:02d}:00:00.000Z"}
            | ({"end": f"{d}T{h + 1:02d}:00:00.000Z"} if with_end else {})
            for h in HOURS_UTC
        ]
    return out


def expected_rome(with_end: bool = False) -> dict[str, list[dict[str, str]]]:
    """expected-slots.ts expectedSlotsRome / expectedSlotsRomeRange."""
    out = {}
    for d in DAYS:
        out[d] = [
            {"start": f"{d}T{h + 2:02d}:00:00.000+02:00"}
            | ({"end": f"{d}T{h + 3:02d}:00:00.000+02:00"} if with_end else {})
            for h in HOURS_UTC
        ]
    return out


def get_slots(calcom, query: str, **kw: Any):
    response = calcom.get(f"/v2/slots?{query}", version=SLOTS, token=False, **kw)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    return body


def reserve(calcom, body: dict[str, Any], token: Any = False):
    return calcom.post("/v2/slots/reservations", json=body, version=SLOTS, token=token)


def release(calcom, uid: str) -> None:
    calcom.delete(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)


def iso_plus(stamp: str, minutes: int) -> str:
    moved = instant(stamp) + timedelta(minutes=minutes)
    return moved.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def frisbee(made) -> dict[str, Any]:
    """The specs' 60-minute "frisbee match" on a Europe/Rome Mon-Fri 09:00-17:00 schedule."""
    return made.event_type(title="frisbee match")


# -- GET /v2/slots --------------------------------------------------------------------------------

QUERIES = [
    # (spec's it(...), query after the event type, expected data)
    ("should get slots in UTC by event type id", "start=2050-09-05&end=2050-09-09", "utc"),
    (
        "should get slots in specified time zone by event type id",
        "start=2050-09-05&end=2050-09-09&timeZone=Europe/Rome",
        "rome",
    ),
    (
        "should get slots by event type id and with start hours specified",
        "start=2050-09-05T09:00:00.000Z&end=2050-09-09",
        "utc-from-09",
    ),
    (
        "should get slots by event type id and with end hours specified",
        "start=2050-09-05&end=2050-09-09T12:00:00.000Z",
        "utc-to-12",
    ),
    (
        "should get slots in specified time zone by event type id and with start hours specified",
        "start=2050-09-05T09:00:00.000Z&end=2050-09-09&timeZone=Europe/Rome",
        "rome-from-09",
    ),
    (
        "should get slots in specified time zone by event type id and with end hours specified",
        "start=2050-09-05&end=2050-09-09T12:00:00.000Z&timeZone=Europe/Rome",
        "rome-to-12",
    ),
    (
        "should get slots in UTC by event type id in range format",
        "start=2050-09-05&end=2050-09-10&format=range",
        "utc-range",
    ),
    (
        "should get slots in specified time zone by event type id in range format",
        "start=2050-09-05&end=2050-09-10&timeZone=Europe/Rome&format=range",
        "rome-range",
    ),
]


def expected(kind: str) -> dict[str, list[dict[str, str]]]:
    base = {
        "utc": expected_utc(),
        "rome": expected_rome(),
        "utc-range": expected_utc(True),
        "rome-range": expected_rome(True),
    }
    if kind in base:
        return base[kind]
    zone, cut = kind.split("-", 1)
    out = expected_utc() if zone == "utc" else expected_rome()
    if cut == "from-09":
        out["2050-09-05"] = out["2050-09-05"][2:]
    else:
        out["2050-09-09"] = out["2050-09-09"][:5]
    return out


@pytest.mark.parametrize(("spec", "query", "kind"), QUERIES, ids=[q[2] for q in QUERIES])
def test_slots_e2e_by_event_type_id(calcom, frisbee, spec, query, kind):
    """Source: [slots-e2e] the it(...) named by `spec`: GET /v2/slots?eventTypeId=…&<query>,
    cal-api-version 2024-09-04, no credentials; 200, `status` success, five days, `data` equal
    to expected-slots.ts's (sliced as the spec slices it)."""
    body = get_slots(calcom, f"eventTypeId={frisbee['id']}&{query}")
    assert len(body["data"]) == 5, spec
    assert body["data"] == expected(kind), spec


@pytest.mark.parametrize("fmt", ["time", "range"])
@pytest.mark.parametrize("zone", ["utc", "rome"])
def test_slots_e2e_by_event_type_slug_and_username(calcom, states, frisbee, fmt, zone):
    """Source: [slots-e2e] "should get slots in UTC by event type slug", "should get slots in
    specified time zone by event type slug" and their "… in range format" twins:
    `eventTypeSlug` + `username` select the same type; the same data as by id."""
    query = f"eventTypeSlug={frisbee['slug']}&username={states.get('username')}"
    query += "&start=2050-09-05&end=2050-09-09"
    if zone == "rome":
        query += "&timeZone=Europe/Rome"
    if fmt == "range":
        query += "&format=range"
    body = get_slots(calcom, query)
    assert len(body["data"]) == 5
    assert body["data"] == expected(zone if fmt == "time" else f"{zone}-range")


# -- reservations ---------------------------------------------------------------------------------


def test_slots_e2e_reserve_get_overlap_update_delete(target, calcom, frisbee):
    """Source: [slots-e2e] "should reserve a slot and it should not appear in available slots",
    "should get reserved slot", describe "overlapping slot reservations" (its three its: start
    inside, end inside, wholly inside an existing reservation → 422 with the spec's message),
    "should update a reserved slot and it should not appear in available slots" and "should
    delete reserved slot and it should not appear in available slots". The spec mocks the clock
    (reservationUntil = now + 5 min); here `reservationUntil` is checked against the request's
    own time."""
    et, length = frisbee["id"], frisbee["lengthInMinutes"]
    slot = "2050-09-05T10:00:00.000Z"
    before = datetime.now(UTC)
    made = reserve(calcom, {"eventTypeId": et, "slotStart": slot})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "success"
    data = body["data"]
    uid = data["reservationUid"]
    try:
        assert uid
        assert data["eventTypeId"] == et
        assert data["slotStart"] == slot
        assert data["slotDuration"] == length
        assert data["slotEnd"] == iso_plus(slot, length)
        assert data["reservationDuration"] == 5
        until = instant(data["reservationUntil"])
        assert before + timedelta(minutes=5) - timedelta(seconds=1) <= until
        assert until <= datetime.now(UTC) + timedelta(minutes=5, seconds=1)
        after_change(target)
        free = get_slots(calcom, f"eventTypeId={et}&start=2050-09-05&end=2050-09-09")["data"]
        want = expected("utc")
        want["2050-09-05"] = [s for s in want["2050-09-05"] if s["start"] != slot]
        assert free == want

        got = calcom.get(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)
        assert got.status_code == 200, got.text
        assert got.json()["status"] == "success"
        assert got.json()["data"] == {k: v for k, v in data.items() if k != "reservationDuration"}

        message = (
            "This time slot is already reserved by another user. Please choose a different time."
        )
        for shift in (15, -15, 10):
            clash = reserve(calcom, {"eventTypeId": et, "slotStart": iso_plus(slot, shift)})
            assert clash.status_code == 422, (shift, clash.text)
            assert clash.json()["error"]["message"] == message

        moved_to = "2050-09-05T13:00:00.000Z"
        before = datetime.now(UTC)
        patched = calcom.patch(
            f"/v2/slots/reservations/{uid}",
            json={"eventTypeId": et, "slotStart": moved_to},
            version=SLOTS,
            token=False,
        )
        assert patched.status_code == 200, patched.text
        data = patched.json()["data"]
        assert patched.json()["status"] == "success"
        assert data["reservationUid"]
        assert data["eventTypeId"] == et
        assert data["slotStart"] == moved_to
        assert data["slotDuration"] == length
        assert data["slotEnd"] == iso_plus(moved_to, length)
        assert data["reservationDuration"] == 5
        assert instant(data["reservationUntil"]) >= before + timedelta(minutes=5, seconds=-1)
        uid = data["reservationUid"]
        after_change(target)
        free = get_slots(calcom, f"eventTypeId={et}&start=2050-09-05&end=2050-09-09")["data"]
        want = expected("utc")
        want["2050-09-05"] = [s for s in want["2050-09-05"] if s["start"] != moved_to]
        assert free == want
    finally:
        gone = calcom.delete(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)
    assert gone.status_code == 200, gone.text
    after_change(target)
    free = get_slots(calcom, f"eventTypeId={et}&start=2050-09-05&end=2050-09-09")["data"]
    assert free == expected("utc")


def test_slots_e2e_custom_reservation_duration_needs_the_owner(target, calcom, states, frisbee):
    """Source: [slots-e2e] "should not be able reserve a slot with custom duration if no auth is
    provided" (401), "… if provided auth user is not owner of event type nor shares team
    membership with owner" (403) and "should reserve a slot as event type owner with custom
    duration and it should not appear in available slots" (201; released after 10 minutes)."""
    et = frisbee["id"]
    slot = "2050-09-05T10:00:00.000Z"
    body = {"eventTypeId": et, "slotStart": slot, "reservationDuration": 10}
    assert reserve(calcom, body).status_code == 401
    assert reserve(calcom, body, token=states.get("other_api_key")).status_code == 403
    before = datetime.now(UTC)
    mine = reserve(calcom, body, token=True)
    assert mine.status_code == 201, mine.text
    assert mine.json()["status"] == "success"
    data = mine.json()["data"]
    try:
        assert data["reservationUid"]
        until = instant(data["reservationUntil"])
        assert before + timedelta(minutes=10, seconds=-1) <= until
        assert until <= datetime.now(UTC) + timedelta(minutes=10, seconds=1)
        after_change(target)
        free = get_slots(calcom, f"eventTypeId={et}&start=2050-09-05&end=2050-09-09")["data"]
        want = expected("utc")
        want["2050-09-05"] = [s for s in want["2050-09-05"] if s["start"] != slot]
        assert free == want
    finally:
        release(calcom, data["reservationUid"])


# -- event types ----------------------------------------------------------------------------------

NAME_FIELD = {
    "type": "name",
    "label": "Your name sir / madam",
    "placeholder": "john doe",
    "disableOnPrefill": False,
}
SELECT_FIELD = {
    "type": "select",
    "label": "select which language you want to learn",
    "slug": "select-language",
    "required": True,
    "placeholder": "select language",
    "options": ["javascript", "python", "cobol"],
    "disableOnPrefill": True,
}
# [et-e2e] "should create an event type" expectedBookingFields
EXPECTED_FIELDS = [
    {"isDefault": True, "required": True, "slug": "name", **NAME_FIELD},
    {"isDefault": True, "required": True, "slug": "email", "type": "email"},
    {"isDefault": True, "required": False, "slug": "location", "type": "radioInput"},
    {"isDefault": True, "required": False, "slug": "rescheduleReason", "type": "textarea"},
    {"isDefault": False, **SELECT_FIELD},
]


def coding_class(schedule_id: int) -> dict[str, Any]:
    """[et-e2e] "should create an event type"'s body (its slug made unique for live runs)."""
    return {
        "title": "Coding class",
        "slug": f"coding-class-{uuid.uuid4().hex[:8]}",
        "description": "Let's learn how to code like a pro.",
        "lengthInMinutes": 60,
        "lengthInMinutesOptions": [30, 60, 90],
        "locations": [
            {"type": "integration", "integration": "cal-video"},
            {"type": "attendeePhone"},
            {"type": "attendeeAddress"},
            {"type": "attendeeDefined"},
        ],
        "bookingFields": [NAME_FIELD, SELECT_FIELD],
        "scheduleId": schedule_id,
        "bookingLimitsCount": {"day": 2, "week": 5},
        "onlyShowFirstAvailableSlot": True,
        "bookingLimitsDuration": {"day": 60, "week": 100},
        "offsetStart": 30,
        "bookingWindow": {"type": "calendarDays", "value": 30, "rolling": True},
        "bookerLayouts": {
            "enabledLayouts": ["column", "month", "week"],
            "defaultLayout": "month",
        },
        "confirmationPolicy": {
            "type": "time",
            "noticeThreshold": {"count": 60, "unit": "minutes"},
            "blockUnconfirmedBookingsInBooker": True,
        },
        "recurrence": {"frequency": "weekly", "interval": 2, "occurrences": 10, "disabled": False},
        "requiresBookerEmailVerification": False,
        "hideCalendarNotes": False,
        "hideCalendarEventDetails": False,
        "lockTimeZoneToggleOnBookingPage": True,
        "color": {"darkThemeHex": "#292929", "lightThemeHex": "#fafafa"},
        "customName": "{Event type title} between {Organiser} and {Scheduler}",
    }


ECHOED = (
    "title",
    "description",
    "lengthInMinutes",
    "lengthInMinutesOptions",
    "locations",
    "scheduleId",
    "bookingLimitsCount",
    "onlyShowFirstAvailableSlot",
    "bookingLimitsDuration",
    "offsetStart",
    "bookingWindow",
    "bookerLayouts",
    "confirmationPolicy",
    "recurrence",
    "customName",
    "requiresBookerEmailVerification",
    "hideCalendarNotes",
    "hideCalendarEventDetails",
    "lockTimeZoneToggleOnBookingPage",
    "color",
)


def delete_event_type(calcom, ident: int) -> None:
    calcom.delete(f"/v2/event-types/{ident}", version=EVENT_TYPES)


@pytest.mark.rule("scheduling", "S-K25")
def test_et_e2e_create_and_get_by_username(calcom, states, made):
    """Source: [et-e2e] "should create an event type" (POST /api/v2/event-types → 201; every
    field read back equal to what was sent; ownerId the user; bookingFields the four defaults
    name (with the sent label/placeholder), email, location (several locations), rescheduleReason,
    then the sent select field with isDefault false) and "/GET/event-types by username" (the same
    fields again). The user's list holds other types here, so the created one is looked up. The
    spec also expects the sent `recurrence.disabled: false` back; the output transformer builds
    `{interval, occurrences, frequency}` only, so that key is not compared (decided: S-K25)."""
    schedule = made.schedule(name="work")
    body = coding_class(schedule["id"])
    response = calcom.post("/api/v2/event-types", json=body, version=EVENT_TYPES)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    try:
        assert "id" in created
        for key in ECHOED:
            sent = body[key]
            if key == "recurrence":  # decided: S-K25 (the output has no `disabled`)
                sent = {k: v for k, v in sent.items() if k != "disabled"}
            assert created[key] == sent, key
        assert created["ownerId"] == int(states.get("user_id"))
        fields = created["bookingFields"]
        # each field holds the spec's keys and values; newer outputs add keys (hidden,
        # disableOnPrefill on the defaults), which the key-by-key convention allows
        assert [
            {k: f[k] for k in want if k in f}
            for f, want in zip(fields, EXPECTED_FIELDS, strict=False)
        ] == EXPECTED_FIELDS
        assert len(fields) == len(EXPECTED_FIELDS)
        assert_same_shape(EXPECTED_FIELDS, fields)

        listed = calcom.get(
            f"/api/v2/event-types?username={states.get('username')}", version=EVENT_TYPES
        )
        assert listed.status_code == 200, listed.text
        assert listed.json()["status"] == "success"
        found = [e for e in listed.json()["data"] if e["id"] == created["id"]]
        assert len(found) == 1
        fetched = found[0]
        for key in (*ECHOED, "bookingFields", "ownerId"):
            assert fetched[key] == created[key], key
        assert_same_shape(created, fetched)
    finally:
        delete_event_type(calcom, created["id"])


def test_et_e2e_schedule_of_another_user_is_404(calcom, states):
    """Source: [et-e2e] "should not allow creating an event type with schedule user does not
    own": POST /api/v2/event-types with another user's `scheduleId` → 404 (the other user's
    schedule made here with that user's key)."""
    other = states.get("other_api_key")
    theirs = calcom.post(
        "/v2/schedules",
        json={"name": "work", "timeZone": "Europe/Rome", "isDefault": False},
        version=SCHEDULES,
        token=other,
    )
    assert theirs.status_code == 201, theirs.text
    schedule_id = theirs.json()["data"]["id"]
    try:
        body = {
            "title": "Coding class",
            "slug": f"coding-class-{uuid.uuid4().hex[:8]}",
            "description": "Let's learn how to code like a pro.",
            "lengthInMinutes": 60,
            "locations": [{"type": "integration", "integration": "cal-video"}],
            "bookingFields": [{k: v for k, v in SELECT_FIELD.items() if k != "disableOnPrefill"}],
            "scheduleId": schedule_id,
        }
        response = calcom.post("/api/v2/event-types", json=body, version=EVENT_TYPES)
        if response.status_code == 201:  # never expected: undo it before failing
            delete_event_type(calcom, response.json()["data"]["id"])
        assert response.status_code == 404, response.text
        assert error_of(response)["code"] == "NotFoundException"
    finally:
        calcom.delete(f"/v2/schedules/{schedule_id}", version=SCHEDULES, token=other)


# -- schedules ------------------------------------------------------------------------------------

DEFAULT_AVAILABILITY = [
    {
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "startTime": "09:00",
        "endTime": "17:00",
    }
]


def matches(schedule: dict[str, Any], expected: dict[str, Any], availability: int) -> None:
    """[sch-e2e] outputScheduleMatchesExpected."""
    assert schedule
    assert schedule["name"] == expected["name"]
    assert schedule["timeZone"] == expected["timeZone"]
    assert schedule["isDefault"] == expected["isDefault"]
    assert len(schedule["availability"]) == availability
    if availability:
        first, want = schedule["availability"][0], expected["availability"][0]
        assert first["days"] == want["days"]
        assert first["startTime"] == want["startTime"]
        assert first["endTime"] == want["endTime"]
    assert schedule["overrides"] == expected["overrides"]


@pytest.fixture
def default_kept(calcom):
    """The user's default schedule is the default again afterwards (the spec makes a new one)."""
    before = calcom.get("/v2/schedules/default", version=SCHEDULES).json()["data"]
    yield
    if before is not None:
        calcom.patch(f"/v2/schedules/{before['id']}", json={"isDefault": True}, version=SCHEDULES)


@pytest.mark.rule("scheduling", "S-K38")
def test_sch_e2e_the_whole_user_flow(calcom, states, default_kept):
    """Source: [sch-e2e] describe "User Authentication", its its in order: "should create a
    default schedule" (201; Mon-Fri 09:00-17:00 filled in, overrides [], the owner's default),
    "should get default schedule", "should get schedules", "should update schedule name", "should
    add overrides", "should empty availabilities and overrides", "should delete schedule" (the
    spec sends that DELETE without cal-api-version; 200). Paths /api/v2/… as the spec calls
    them."""
    create = {
        "name": f"schedules-2024-06-11-work-{uuid.uuid4().hex[:6]}",
        "timeZone": "Europe/Rome",
        "isDefault": True,
    }
    response = calcom.post("/api/v2/schedules", json=create, version=SCHEDULES)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "success"
    schedule = response.json()["data"]
    deleted = False
    try:
        want = {**create, "availability": DEFAULT_AVAILABILITY, "overrides": []}
        matches(schedule, want, 1)
        assert schedule["ownerId"] == int(states.get("user_id"))

        default = calcom.get("/api/v2/schedules/default", version=SCHEDULES)
        assert default.status_code == 200, default.text
        assert default.json()["status"] == "success"
        matches(default.json()["data"], want, 1)
        assert default.json()["data"]["id"] == schedule["id"]

        listed = calcom.get("/api/v2/schedules", version=SCHEDULES)
        assert listed.status_code == 200, listed.text
        assert listed.json()["status"] == "success"
        mine = [s for s in listed.json()["data"] if s["id"] == schedule["id"]]
        matches(mine[0], want, 1)

        for change, availability in (
            ({"name": "updated-schedule-name"}, 1),
            ({"overrides": [{"date": "2026-05-05", "startTime": "10:00", "endTime": "12:00"}]}, 1),
            ({"availability": [], "overrides": []}, 0),
        ):
            patched = calcom.patch(
                f"/api/v2/schedules/{schedule['id']}", json=change, version=SCHEDULES
            )
            assert patched.status_code == 200, patched.text
            assert patched.json()["status"] == "success"
            matches(patched.json()["data"], {**schedule, **change}, availability)
            assert_same_shape(schedule, patched.json()["data"])
            schedule = patched.json()["data"]

        gone = calcom.delete(f"/api/v2/schedules/{schedule['id']}")
        assert gone.status_code == 200, gone.text
        deleted = True
    finally:
        if not deleted:
            calcom.delete(f"/v2/schedules/{schedule['id']}", version=SCHEDULES)


def test_slots_e2e_default_schedule_by_username(calcom, states, made):
    """Source: [slots-e2e] beforeAll (`createUserSchedule` with `isDefault: true` and no
    availability: "this creates default schedule monday to friday from 9AM to 5PM in Europe/Rome
    timezone") with "should get slots in UTC by event type id": an event type without its own
    schedule follows the user's default one, here made by POST /v2/schedules as the spec's
    service call does."""
    sch = made.schedule(name="slots-2024-09-04-schedule", isDefault=False, availability=None)
    assert sch["availability"] == DEFAULT_AVAILABILITY
    et = made.event_type(scheduleId=sch["id"], title="frisbee match")
    body = get_slots(calcom, f"eventTypeId={et['id']}&start={MONDAY}&end=2050-09-09")
    assert body["data"] == expected("utc")
