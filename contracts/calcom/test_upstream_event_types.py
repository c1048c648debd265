"""Upstream replay: event types (cal-api-version 2024-06-14), the rest of Cal.com's e2e spec.

Each test replays `it(...)`s of apps/api/v2/src/ee/event-types/event-types_2024_06_14/
controllers/event-types.controller.e2e-spec.ts @ b9ff8f3cc0a2c2fd68a534621b90e0c75e450a45
([et-e2e], calcom/cal.com) over HTTP: the same request (path /api/v2/…, `cal-api-version`, body)
and the same `expect`s. Three of its its ("should not allow creating an event type with schedule
user does not own", "should create an event type", "/GET/event-types by username") are in
test_upstream_scheduling.py; this file holds the others that touch what the fake serves. The
spec's user is the contract user, its schedules ("work", "chill") are made over HTTP (`made`),
the spec's falseTestUser is the other user (its key makes that user's schedule); slugs are made
unique so that live runs do not collide.

Not replayed: the "/GET/event-types by username and orgSlug", "… and orgSlug and eventSlug" and
"… and orgId" its (an organization the contract world does not have), and the "Handle
event-types booking fields" / "Handle event-types locations" its that read event types written
straight into the database (legacy booking fields, unknown fields and locations): no HTTP request
makes them.

See docs/EVIDENCE.md (Cal.com, Scheduling and notifications).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from contracts.calcom.scheduling import EVENT_TYPES, SCHEDULES
from contracts.calcom.test_upstream_scheduling import ECHOED, coding_class
from contracts.calcom.upstream import assert_same_shape

SEATS = {"seatsPerTimeSlot": 4, "showAttendeeInfo": True, "showAvailabilityCount": True}
TWO_LOCATIONS = [
    {"type": "integration", "integration": "cal-video"},
    {"type": "phone", "phone": "+37120993151", "public": True},
]
ALWAYS = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
DESCRIPTION = "Let's learn how to code like a pro."


def slug(n: int) -> str:
    return f"coding-class-{n}-{uuid.uuid4().hex[:8]}"


class Types:
    """Event types a test made, deleted afterwards."""

    def __init__(self, calcom: Any) -> None:
        self.calcom = calcom
        self.ids: list[int] = []

    def post(self, body: dict[str, Any]):
        response = self.calcom.post("/api/v2/event-types", json=body, version=EVENT_TYPES)
        if response.status_code == 201:
            self.ids.append(response.json()["data"]["id"])
        return response

    def patch(self, ident: int, body: dict[str, Any]):
        return self.calcom.patch(f"/api/v2/event-types/{ident}", json=body, version=EVENT_TYPES)

    def cleanup(self) -> None:
        for ident in self.ids:
            self.calcom.delete(f"/v2/event-types/{ident}", version=EVENT_TYPES)


@pytest.fixture
def types(calcom):
    made = Types(calcom)
    yield made
    made.cleanup()


@pytest.fixture
def work(made) -> int:
    """The spec's firstSchedule ("work", Europe/Rome)."""
    return made.schedule(name="work")["id"]


def match_object(data: dict[str, Any], expected: dict[str, Any]) -> None:
    """toMatchObject({id: expect.any(Number), ...expected})."""
    assert isinstance(data["id"], int) and not isinstance(data["id"], bool)
    for key, value in expected.items():
        assert data[key] == value, key


# -- not authenticated ----------------------------------------------------------------------------


@pytest.mark.rule("scheduling", "S-K32")
def test_et_e2e_get_by_id_without_credentials_is_401(calcom, states):
    """Source: [et-e2e] describe "Not authenticated", "/GET/:id": GET /api/v2/event-types/100
    without credentials (nor cal-api-version) → 401; with the version header too."""
    assert calcom.get("/api/v2/event-types/100", token=False).status_code == 401
    ident = states.get("event_type_id")
    with_version = calcom.get(f"/api/v2/event-types/{ident}", token=False, version=EVENT_TYPES)
    assert with_version.status_code == 401, with_version.text


# -- seats against locations and confirmation ------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "extra"),
    [
        (
            "should return an error when creating an event type with seats enabled and multiple "
            "locations",
            {"locations": TWO_LOCATIONS, "seats": SEATS},
        ),
        (
            "should return an error when creating an event type with seats enabled and "
            "confirmationPolicy enabled",
            {"confirmationPolicy": ALWAYS, "seats": SEATS},
        ),
        (
            "should return an error when creating an event type with confirmationPolicy enabled "
            "and seats enabled",
            {"seats": SEATS, "confirmationPolicy": ALWAYS},
        ),
    ],
    ids=["seats-locations", "seats-confirmation", "confirmation-seats"],
)
def test_et_e2e_seats_refuse_on_create(types, work, spec, extra):
    """Source: [et-e2e] the it named by `spec`: POST /api/v2/event-types with seats and several
    locations, or seats and a confirmation policy → 400."""
    body = {
        "title": "Coding class",
        "slug": slug(2),
        "description": DESCRIPTION,
        "lengthInMinutes": 60,
        "scheduleId": work,
        **extra,
    }
    response = types.post(body)
    assert response.status_code == 400, (spec, response.text)


@pytest.mark.parametrize(
    ("spec", "create", "change"),
    [
        (
            "should return an error when trying to enable seats for an event type with multiple "
            "locations",
            {"locations": TWO_LOCATIONS},
            {"seats": SEATS},
        ),
        (
            "should return an error when trying to enable seats for an event type with "
            "confirmationPolicy enabled",
            {"confirmationPolicy": ALWAYS},
            {"seats": SEATS},
        ),
        (
            "should return an error when trying to set multiple locations for an event type with "
            "seats enabled",
            {"seats": SEATS},
            {"locations": TWO_LOCATIONS},
        ),
        (
            "should return an error when trying to enable confirmationPolicy for an event type "
            "with seats enabled",
            {"seats": SEATS},
            {"confirmationPolicy": ALWAYS},
        ),
    ],
    ids=["locations+seats", "confirmation+seats", "seats+locations", "seats+confirmation"],
)
def test_et_e2e_seats_refuse_on_update(types, work, spec, create, change):
    """Source: [et-e2e] the it named by `spec`: the create answers 201 and toMatchObject {id:
    any Number, title, description, lengthInMinutes, the field sent, scheduleId}; the PATCH
    adding the conflicting field → 400."""
    body = {
        "title": "Coding class",
        "slug": slug(3),
        "description": DESCRIPTION,
        "lengthInMinutes": 60,
        "scheduleId": work,
        **create,
    }
    response = types.post(body)
    assert response.status_code == 201, (spec, response.text)
    created = response.json()["data"]
    match_object(
        created,
        {
            "title": body["title"],
            "description": DESCRIPTION,
            "lengthInMinutes": 60,
            "scheduleId": work,
            **create,
        },
    )
    refused = types.patch(created["id"], change)
    assert refused.status_code == 400, (spec, refused.text)


# -- update, read, delete -------------------------------------------------------------------------

NAME_FIELD = {
    "type": "name",
    "label": "Your name sir / madam",
    "placeholder": "john doe",
    "disableOnPrefill": True,
}
SELECT_FIELD = {
    "type": "select",
    "label": "select which language you want to learn",
    "slug": "select-language",
    "required": True,
    "placeholder": "select language",
    "options": ["javascript", "python", "cobol"],
    "disableOnPrefill": False,
}


def update_body(schedule_id: int) -> dict[str, Any]:
    """[et-e2e] "should update event type"'s body."""
    return {
        "title": "Coding class in Italian!",
        "scheduleId": schedule_id,
        "lengthInMinutesOptions": [15, 30],
        "bookingFields": [NAME_FIELD, SELECT_FIELD],
        "bookingLimitsCount": {"day": 4, "week": 10},
        "onlyShowFirstAvailableSlot": True,
        "bookingLimitsDuration": {"day": 100, "week": 200},
        "offsetStart": 50,
        "bookingWindow": {"type": "businessDays", "value": 40, "rolling": False},
        "bookerLayouts": {"enabledLayouts": ["column", "month", "week"], "defaultLayout": "month"},
        "confirmationPolicy": ALWAYS,
        "recurrence": {"frequency": "monthly", "interval": 4, "occurrences": 10, "disabled": False},
        "requiresBookerEmailVerification": True,
        "hideCalendarNotes": True,
        "hideCalendarEventDetails": True,
        "lockTimeZoneToggleOnBookingPage": True,
        "color": {"darkThemeHex": "#292929", "lightThemeHex": "#fafafa"},
        "customName": "{Event type title} betweennnnnnnnnnn {Organiser} and {Scheduler}",
    }


# the update's expectedBookingFields: no location field (no locations in the update body)
UPDATED_FIELDS = [
    {"isDefault": True, "required": True, "slug": "name", **NAME_FIELD},
    {"isDefault": True, "required": True, "slug": "email", "type": "email"},
    {"isDefault": True, "required": False, "slug": "rescheduleReason", "type": "textarea"},
    {"isDefault": False, **SELECT_FIELD},
]
SET_BY_UPDATE = tuple(k for k in ECHOED if k in update_body(0))
KEPT = ("description", "lengthInMinutes", "locations")
COMPARED = (*ECHOED, "id", "bookingFields", "ownerId")


def spec_fields(fields: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[dict]:
    """Each field reduced to the keys the spec lists (newer outputs add keys: hidden,
    disableOnPrefill on the defaults; as in test_upstream_scheduling)."""
    return [{k: f[k] for k in w if k in f} for f, w in zip(fields, want, strict=False)]


@pytest.mark.rule("scheduling", "S-K29")
def test_et_e2e_update_get_by_id_by_slug_and_delete(calcom, states, made, types):
    """Source: [et-e2e] its in order, after "should create an event type" (its body,
    coding_class): "should update event type" (PATCH → 200; title, lengthInMinutesOptions and
    every sent field read back equal; description, lengthInMinutes and locations kept; ownerId
    the user; scheduleId the second schedule; bookingFields name (with the sent label,
    placeholder, disableOnPrefill), email, rescheduleReason, then the select field with
    isDefault false), "should not allow to update event type with scheduleId user does not own"
    (404), "/GET/:id" (200, `status` success, every field equal to the updated type's), "/GET/
    event-types by username and eventSlug" (data[0] the same), "/GET/:id not existing" (GET
    /api/v2/event-types/1000 → 404) and "should delete event type" (DELETE without
    cal-api-version → 200). `recurrence.disabled` is not compared (decided: S-K25)."""
    first = made.schedule(name="work")
    second = made.schedule(name="chill")
    created = types.post(coding_class(first["id"]))
    assert created.status_code == 201, created.text
    event_type = created.json()["data"]
    ident = event_type["id"]

    body = update_body(second["id"])
    response = types.patch(ident, body)
    assert response.status_code == 200, response.text
    updated = response.json()["data"]
    assert updated["id"] == ident
    for key in SET_BY_UPDATE:
        sent = body[key]
        if key == "recurrence":  # decided: S-K25 (the output has no `disabled`)
            sent = {k: v for k, v in sent.items() if k != "disabled"}
        assert updated[key] == sent, key
    for key in KEPT:
        assert updated[key] == event_type[key], key
    assert updated["ownerId"] == int(states.get("user_id"))
    assert updated["scheduleId"] == second["id"]
    assert spec_fields(updated["bookingFields"], UPDATED_FIELDS) == UPDATED_FIELDS
    assert len(updated["bookingFields"]) == len(UPDATED_FIELDS)

    other = states.get("other_api_key")
    theirs = calcom.post(
        "/v2/schedules",
        json={"name": "work", "timeZone": "Europe/Rome", "isDefault": False},
        version=SCHEDULES,
        token=other,
    )
    assert theirs.status_code == 201, theirs.text
    try:
        refused = types.patch(ident, {"scheduleId": theirs.json()["data"]["id"]})
        assert refused.status_code == 404, refused.text
    finally:
        calcom.delete(
            f"/v2/schedules/{theirs.json()['data']['id']}", version=SCHEDULES, token=other
        )

    got = calcom.get(f"/api/v2/event-types/{ident}", version=EVENT_TYPES)
    assert got.status_code == 200, got.text
    assert got.json()["status"] == "success"
    fetched = got.json()["data"]
    for key in COMPARED:
        assert fetched[key] == updated[key], key
    assert_same_shape(updated, fetched)

    by_slug = calcom.get(
        f"/api/v2/event-types?username={states.get('username')}&eventSlug={event_type['slug']}",
        version=EVENT_TYPES,
    )
    assert by_slug.status_code == 200, by_slug.text
    first_found = by_slug.json()["data"][0]
    for key in COMPARED:
        assert first_found[key] == updated[key], key

    missing = calcom.get("/api/v2/event-types/1000", version=EVENT_TYPES)
    assert missing.status_code == 404, missing.text

    gone = calcom.delete(f"/api/v2/event-types/{ident}")
    assert gone.status_code == 200, gone.text
    # the 2024-04-15 controller's answer (event-types_2024_04_15 controller @ 0ba351d5)
    assert gone.json()["data"] == {
        "id": ident,
        "length": updated["lengthInMinutes"],
        "slug": event_type["slug"],
        "title": updated["title"],
    }
    types.ids.remove(ident)
    assert calcom.get(f"/api/v2/event-types/{ident}", version=EVENT_TYPES).status_code == 404


def test_et_e2e_a_2024_04_15_body_is_400(types):
    """Source: [et-e2e] describe "Handle event-types booking fields", "should not allow creating
    an event type with input of event-types version 2024_04_15": `length` and a
    `{type: "integrations:daily"}` location under cal-api-version 2024-06-14 → 400."""
    body = {
        "title": "Coding class",
        "slug": slug(1),
        "description": DESCRIPTION,
        "length": 60,
        "locations": [{"type": "integrations:daily"}],
    }
    response = types.post(body)
    assert response.status_code == 400, response.text
