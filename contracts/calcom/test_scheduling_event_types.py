"""Event types, cal-api-version 2024-06-14 (docs/reference/scheduling.md §3.4, rules
S-K23..S-K32; event-types_2024_06_14 controller, services and e2e spec, the input DTOs in
packages/platform/types/event-types/event-types_2024_06_14/inputs)."""

from __future__ import annotations

import uuid

import pytest

from contracts.calcom.conftest import error_of
from contracts.calcom.scheduling import EVENT_TYPES


def create(calcom, body, **kw):
    return calcom.post("/v2/event-types", json=body, version=EVENT_TYPES, **kw)


def delete(calcom, ident):
    return calcom.delete(f"/v2/event-types/{ident}", version=EVENT_TYPES)


def fresh(**extra):
    tag = uuid.uuid4().hex[:10]
    return {"title": f"Contract {tag}", "slug": f"contract-{tag}", "lengthInMinutes": 30, **extra}


@pytest.mark.rule("scheduling", "S-K23")
def test_rule_S_K23_create_answers_201_with_the_output_object(calcom, made):
    body = fresh()
    response = create(calcom, body)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    delete(calcom, data["id"])
    assert (data["title"], data["slug"], data["lengthInMinutes"]) == (
        body["title"], body["slug"], 30,
    )  # fmt: skip
    for key in ("id", "ownerId", "locations", "bookingFields", "users", "hidden", "metadata"):
        assert key in data
    missing = create(calcom, {"lengthInMinutes": 30})
    assert missing.status_code == 400
    props = {e["property"] for e in error_of(missing)["details"]["errors"]}
    assert {"title", "slug"} <= props
    zero = create(calcom, fresh(lengthInMinutes=0))
    assert zero.status_code == 400
    [err] = error_of(zero)["details"]["errors"]
    assert err["property"] == "lengthInMinutes"
    assert err["constraints"]["min"] == "lengthInMinutes must not be less than 1"


@pytest.mark.rule("scheduling", "S-K24")
def test_rule_S_K24_a_second_type_with_the_same_slug_is_refused(calcom, made):
    et = made.event_type(schedule=False)
    again = create(calcom, fresh(slug=et["slug"]))
    assert again.status_code == 400
    assert error_of(again)["message"] == "User already has an event type with this slug."


ROUND_TRIP = {
    "lengthInMinutesOptions": [30, 60],
    "locations": [
        {"type": "address", "address": "1 Contract Street", "public": True},
        {"type": "link", "link": "https://meet.contract.example/room", "public": False},
    ],
    "bookingLimitsCount": {"day": 2, "week": 5},
    "bookingLimitsDuration": {"day": 60, "week": 120},
    "offsetStart": 30,
    "bookingWindow": {"type": "calendarDays", "value": 30, "rolling": True},
    "bookerLayouts": {"defaultLayout": "month", "enabledLayouts": ["month", "week"]},
    "confirmationPolicy": {
        "type": "time",
        "noticeThreshold": {"count": 60, "unit": "minutes"},
        "blockUnconfirmedBookingsInBooker": True,
    },
    "recurrence": {"frequency": "weekly", "interval": 2, "occurrences": 10},
    "color": {"lightThemeHex": "#292929", "darkThemeHex": "#fafafa"},
    "customName": "{Event type title} with {Scheduler}",
}


@pytest.mark.rule("scheduling", "S-K25")
def test_rule_S_K25_settings_read_back_as_sent(calcom, made):
    et = made.event_type(schedule=False, **ROUND_TRIP)
    got = calcom.get(f"/v2/event-types/{et['id']}", version=EVENT_TYPES).json()["data"]
    for key, value in ROUND_TRIP.items():
        assert et[key] == value, key
        assert got[key] == value, key
    seated = made.event_type(
        schedule=False,
        seats={"seatsPerTimeSlot": 3, "showAttendeeInfo": True, "showAvailabilityCount": False},
    )
    assert seated["seats"] == {
        "seatsPerTimeSlot": 3,
        "showAttendeeInfo": True,
        "showAvailabilityCount": False,
    }


@pytest.mark.rule("scheduling", "S-K26")
def test_rule_S_K26_defaults_on_output(calcom, made):
    et = made.event_type(schedule=False)
    assert et["description"] == ""
    assert et["recurrence"] is None
    assert et["slotInterval"] is None
    assert et["bookerActiveBookingsLimit"] == {"disabled": True}
    assert et["locations"] == [{"type": "integration", "integration": "cal-video"}]
    slugs = [f["slug"] for f in et["bookingFields"]]
    assert slugs[:2] == ["name", "email"]
    assert {"notes", "guests", "rescheduleReason"} <= set(slugs)


@pytest.mark.rule("scheduling", "S-K27")
def test_rule_S_K27_seats_refuse_several_locations_or_a_confirmation_policy(calcom, made):
    seats = {"seatsPerTimeSlot": 4, "showAttendeeInfo": False, "showAvailabilityCount": True}
    two = [
        {"type": "integration", "integration": "cal-video"},
        {"type": "address", "address": "1 Contract Street", "public": True},
    ]
    refused = create(calcom, fresh(seats=seats, locations=two))
    assert refused.status_code == 400
    assert error_of(refused)["message"] == (
        "Seats Validation failed: Seats are enabled but more than one location provided."
    )
    policy = {"type": "always", "blockUnconfirmedBookingsInBooker": False}
    refused = create(calcom, fresh(seats=seats, confirmationPolicy=policy))
    assert error_of(refused)["message"] == (
        "Seats Validation failed: Seats are enabled but requiresConfirmation is true."
    )
    stored = made.event_type(schedule=False, locations=two)  # checked against what is stored
    patched = calcom.patch(
        f"/v2/event-types/{stored['id']}", json={"seats": seats}, version=EVENT_TYPES
    )
    assert patched.status_code == 400
    assert error_of(patched)["message"].startswith(
        "Seats Validation failed: Seats are enabled but more"
    )


@pytest.mark.rule("scheduling", "S-K28")
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"locations": []}, "'locations' must contain at least 1 location."),
        ({"locations": "cal-video"}, "'locations' must be an array."),
        (
            {"locations": [{"address": "x"}]},
            "Each object in 'locations' must have a 'type' property.",
        ),
        (
            {"locations": [{"type": "carrier-pigeon"}]},
            "Unsupported location type 'carrier-pigeon'. Valid types are address, link, integration, and phone.",
        ),
        (
            {"locations": [{"type": "link", "link": "not a url", "public": True}]},
            "Validation failed for link location: link must be a URL address",
        ),
        ({"bookingFields": []}, "'bookingFields' must contain at least 1 booking field."),
        (
            {"bookingFields": [{"slug": "colour", "label": "Colour", "required": True}]},
            "All booking fields except ones with slug equal to title, notes, guests, rescheduleReason and location must have a 'type' property.",
        ),
        (
            {"bookingFields": [{"type": "text", "label": "Colour", "required": True}]},
            "Each booking field except ones with type equal to name, splitName, email must have a 'slug' property.",
        ),
        (
            {
                "bookingFields": [
                    {"type": "text", "slug": "c", "label": "C", "required": True},
                    {"type": "number", "slug": "c", "label": "N", "required": True},
                ]
            },
            "Duplicate bookingFields slug 'c' found. All bookingFields slugs must be unique.",
        ),
        (
            {"bookingFields": [{"type": "hologram", "slug": "h", "label": "H", "required": True}]},
            "Unsupported booking field type 'hologram'.",
        ),
        (
            {"bookingFields": [{"type": "text", "slug": "t", "required": True}]},
            "Validation failed for text booking field: label must be a string",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_rule_S_K28_location_and_booking_field_validator_texts(calcom, extra, message):
    response = create(calcom, fresh(**extra))
    assert response.status_code == 400, response.text
    assert error_of(response)["message"] == message


@pytest.mark.rule("scheduling", "S-K29")
def test_rule_S_K29_get_and_delete_answers(calcom, states):
    unknown = calcom.get("/v2/event-types/987654321", version=EVENT_TYPES)
    assert unknown.status_code == 404
    assert error_of(unknown)["message"] == "Event type with id 987654321 not found"
    gone = delete(calcom, 987654321)
    assert gone.status_code == 404
    assert error_of(gone)["message"] == "Event type with ID=987654321 does not exist."
    made_ = create(calcom, fresh()).json()["data"]
    foreign = calcom.delete(
        f"/v2/event-types/{made_['id']}", version=EVENT_TYPES, token=states.get("other_api_key")
    )
    assert foreign.status_code == 403
    deleted = delete(calcom, made_["id"])
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["data"] == {
        "id": made_["id"],
        "lengthInMinutes": 30,
        "title": made_["title"],
        "slug": made_["slug"],
    }
    assert calcom.get(f"/v2/event-types/{made_['id']}", version=EVENT_TYPES).status_code == 404


@pytest.mark.rule("scheduling", "S-K30")
def test_rule_S_K30_list_by_username_hides_hidden_types_and_hidden_fields(calcom, states, made):
    me = calcom.get("/v2/me").json()["data"]["username"]
    shown = made.event_type(
        schedule=False,
        bookingFields=[
            {"type": "text", "slug": "secret-q", "label": "Q", "required": False, "hidden": True}
        ],
    )
    hidden = made.event_type(schedule=False, hidden=True)
    anonymous = calcom.get(
        "/v2/event-types", params={"username": me}, version=EVENT_TYPES, token=False
    ).json()["data"]
    ids = {et["id"] for et in anonymous}
    assert shown["id"] in ids and hidden["id"] not in ids
    owner = calcom.get("/v2/event-types", params={"username": me}, version=EVENT_TYPES).json()[
        "data"
    ]
    assert hidden["id"] in {et["id"] for et in owner}
    listed = next(et for et in owner if et["id"] == shown["id"])
    assert "secret-q" not in {f["slug"] for f in listed["bookingFields"]}
    assert "secret-q" in {f["slug"] for f in shown["bookingFields"]}  # the single answer keeps it
    one = calcom.get(
        "/v2/event-types", params={"username": me, "eventSlug": shown["slug"]}, version=EVENT_TYPES
    ).json()["data"]
    assert [et["id"] for et in one] == [shown["id"]]
    none = calcom.get(
        "/v2/event-types",
        params={"username": me, "eventSlug": "no-such-slug-3c1"},
        version=EVENT_TYPES,
    ).json()["data"]
    assert none == []


@pytest.mark.rule("scheduling", "S-K31")
def test_rule_S_K31_a_foreign_schedule_is_refused(calcom, states, made):
    other = calcom.post(
        "/v2/schedules",
        json={"name": "Foreign", "timeZone": "UTC", "isDefault": False},
        version="2024-06-11",
        token=states.get("other_api_key"),
    )
    assert other.status_code == 201, other.text
    sch = other.json()["data"]
    try:
        me = calcom.get("/v2/me").json()["data"]["id"]
        refused = create(calcom, fresh(scheduleId=sch["id"]))
        assert refused.status_code == 404
        assert error_of(refused)["message"] == (
            f"User with ID={me} does not own schedule with ID={sch['id']}"
        )
    finally:
        calcom.delete(
            f"/v2/schedules/{sch['id']}", version="2024-06-11", token=states.get("other_api_key")
        )


@pytest.mark.rule("scheduling", "S-K32")
@pytest.mark.parametrize("version", [None, "2024-08-13", "garbage"])
def test_rule_S_K32_without_2024_06_14_the_shape_is_not_served(calcom, version):
    response = calcom.get("/v2/event-types", version=version)
    if response.status_code == 200:  # a legacy controller answered: not the 2024-06-14 shape
        data = response.json().get("data")
        assert not (isinstance(data, list) and data and "lengthInMinutes" in data[0])
    else:
        assert response.status_code == 404
