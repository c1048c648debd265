"""Replays of Cal.com's own e2e specs of bookings 2024-08-13 (create, get, list with filters,
reschedule, cancel), booking references, and the booking input pipes, over HTTP.

The specs build their data with Prisma fixtures; here the same situations are made through the
API (or come from the contract world: a 60-minute event type with no location of its own like the
specs' "peer coding", one with an address location, a booking 45 days in the past). Each
test names the upstream test whose assertions it makes; where one upstream test met a
difference of the fake, the affected assertion is a test of its own, named in the difference it
showed (DIFF-calcom-<n>, docs/EVIDENCE.md, Cal.com; all fixed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.upstream import (
    BOOKING_NULLABLE,
    REAL_BOOKING,
    REAL_REFERENCE,
    Booked,
    assert_same_shape,
    booking_body,
    js_iso,
    js_now,
    post_booking,
    slot,
)

pytestmark = pytest.mark.rule("calcom", 38)

USER_BOOKINGS = (
    "calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/"
    "user-bookings.e2e-spec.ts @ 01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7"
)
MEET = "https://meet.google.com/abc-def-ghi"
GUEST = "guest.upstream@contract.example"


@pytest.fixture
def booked(calcom) -> Iterator[Booked]:
    bookings = Booked(calcom)
    yield bookings
    bookings.cleanup()


def e2e_body(states, start: str, **extra) -> dict:
    """The body of user-bookings' "should create a booking" (guest: a contract address)."""
    return booking_body(
        states,
        start,
        location=MEET,
        bookingFieldsResponses={"customField": "customValue"},
        metadata={"userId": "100"},
        guests=[GUEST],
        **extra,
    )


def plus(start: str, minutes: int) -> str:
    return js_iso(instant(start) + timedelta(minutes=minutes))


def listed(calcom, **params) -> list[str]:
    response = calcom.bookings("GET", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    return [b["uid"] for b in body["data"]]


# -- create --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "metadata",
    [
        {f"key{i}": str(i) for i in range(1, 52)},
        {"aaaaaaaaaabbbbbbbbbbccccccccccdddddddddde": "1"},
        {"key": "a" * 501},
    ],
    ids=["51-keys", "41-char-key", "501-char-value"],
)
def test_create_booking_refuses_metadata_over_the_limits(calcom, states, booked, metadata):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "create bookings > invalid metadata > should not be
    able to create a booking with metadata with more than 50 keys / with a key longer than 40
    characters / with a value longer than 500 characters": 400 (ValidateMetadata on
    CreateBookingInput_2024_08_13,
    packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts @
    9527f3c977bbad000f98b436b17fca7aa9594fa4)."""
    body = booking_body(states, slot(states), location=MEET, metadata=metadata)
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 400


def test_create_booking(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "create bookings > should create a booking" - every
    assertion but the location/meetingUrl echo (DIFF-calcom-4) and the createdAt/updatedAt window
    (DIFF-calcom-7), which are tests of their own below."""
    body = e2e_body(states, slot(states))
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 201, response.text
    payload = response.json()
    assert payload["status"] == "success"
    data = payload["data"]
    assert isinstance(data, dict) and "id" in data
    assert data["uid"]
    assert data["hosts"][0]["id"] == int(states.get("user_id"))
    assert data["hosts"][0]["username"] == states.get("username")
    assert data["hosts"][0]["email"] == states.get("user_email")
    assert data["status"] == "accepted"
    assert data["start"] == body["start"]
    assert data["end"] == plus(body["start"], 60)
    assert data["duration"] == 60
    assert data["eventTypeId"] == body["eventTypeId"]
    assert data["eventType"] == {
        "id": body["eventTypeId"],
        "slug": states.get("hour_event_type_slug"),
    }
    assert data["attendees"][0] == {**body["attendee"], "absent": False}
    assert data["absentHost"] is False
    assert data["bookingFieldsResponses"] == {
        "name": body["attendee"]["name"],
        "email": body["attendee"]["email"],
        **body["bookingFieldsResponses"],
        "guests": body["guests"],
    }
    assert data["guests"] == body["guests"]
    assert data["updatedAt"]
    assert data["metadata"] == body["metadata"]


@pytest.mark.parametrize("field", ["location", "meetingUrl"])
def test_create_booking_echoes_the_location_string(calcom, states, booked, field):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should create a booking" (`location` string:
    data.location and data.meetingUrl equal it), and calcom/cal.com .../controllers/e2e/
    api-key-bookings.e2e-spec.ts @ 01e7f82c40f5b3d0dd3876b0fe7f7fb159f8f869, "should create a
    booking with api key" (`meetingUrl`: data.meetingUrl equals it)."""
    body = booking_body(states, slot(states), **{field: MEET})
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["meetingUrl"] == MEET
    if field == "location":
        assert data["location"] == MEET


def test_created_at_is_the_time_of_the_request(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should create a booking" and "reschedule bookings >
    should should reschedule normal booking" - createdAt (and updatedAt) of the new booking lie
    between the moment before and the moment after the request (JavaScript Date, millisecond
    instants)."""
    before = js_now()
    created = booked.create(e2e_body(states, slot(states)))
    after = js_now()
    for key in ("createdAt", "updatedAt"):
        assert before <= instant(created[key]) <= after, (key, created[key])
    before = js_now()
    moved = booked.keep(
        calcom.bookings("POST", f"/{created['uid']}/reschedule", json={"start": slot(states, 1)})
    )
    after = js_now()
    assert moved.status_code == 201, moved.text
    assert before <= instant(moved.json()["data"]["createdAt"]) <= after


def test_booking_output_has_every_key_of_the_real_one(calcom, states, booked):
    """The booking the output service renders (calcom/cal.com apps/api/v2/src/ee/bookings/
    2024-08-13/services/output.service.ts getOutputBooking @
    05a62d6e5c73662b37d2b2bae5433474cb1b566b; BookingOutput_2024_08_13 in the published
    OpenAPI) compared key by key with the fake's, for a booking without guests."""
    created = booked.create(booking_body(states, slot(states), location=MEET))
    got = calcom.bookings("GET", f"/{created['uid']}").json()["data"]
    for data in (created, got):
        assert_same_shape(REAL_BOOKING, data, nullable=BOOKING_NULLABLE)


# -- get ----------------------------------------------------------------------------------


def test_get_booking(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "get individual booking > should should get a
    booking"."""
    created = booked.create(e2e_body(states, slot(states)))
    response = calcom.bookings("GET", f"/{created['uid']}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    data = body["data"]
    assert isinstance(data, dict) and "id" in data
    for key in (
        "id",
        "uid",
        "status",
        "start",
        "end",
        "duration",
        "eventTypeId",
        "location",
        "absentHost",
        "createdAt",
    ):
        assert data[key] == created[key], key
    assert data["hosts"][0]["id"] == int(states.get("user_id"))
    assert data["hosts"][0]["username"] == states.get("username")
    assert data["hosts"][0]["email"] == states.get("user_email")
    assert data["attendees"][0] == created["attendees"][0]


# -- list ---------------------------------------------------------------------------------


def test_get_bookings_take_and_skip(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "get bookings > should should get all bookings",
    "should should take bookings" (take=3 -> 3) and "should should skip bookings" (skip=2 -> all but
    2)."""
    booked.create(e2e_body(states, slot(states)))
    booked.create(e2e_body(states, slot(states, 1)))
    every = listed(calcom)
    assert len(every) >= 3
    assert len(listed(calcom, take=3)) == 3
    if len(every) < 100:  # take defaults to 100
        assert len(listed(calcom, skip=2)) == len(every) - 2


def test_get_bookings_by_status(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should get upcoming bookings", "should should
    get past bookings" and "should should get upcoming and past bookings" (status=upcoming,past is
    the union). The host has no organization, so no default date window applies (see
    date-range-bookings.e2e-spec.ts in docs/EVIDENCE.md (Cal.com))."""
    future = booked.create(e2e_body(states, slot(states)))["uid"]
    past = states.get("past_booking_uid")
    upcoming = listed(calcom, status="upcoming")
    past_ones = listed(calcom, status="past")
    assert future in upcoming and past not in upcoming
    assert past in past_ones and future not in past_ones
    assert set(listed(calcom, status="upcoming,past")) == set(upcoming) | set(past_ones)


def test_get_bookings_by_attendee_email_and_name(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should get bookings by attendee email" (1
    booking) and "should should get bookings by attendee name" (only that attendee's bookings)."""
    body = e2e_body(states, slot(states))
    body["attendee"]["name"] = "Mr Proper Recurring " + body["attendee"]["email"][10:20]
    uid = booked.create(body)["uid"]
    booked.create(e2e_body(states, slot(states, 1)))
    assert listed(calcom, attendeeEmail=body["attendee"]["email"]) == [uid]
    assert listed(calcom, attendeeName=body["attendee"]["name"]) == [uid]


def test_get_bookings_by_event_type_ids(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should get bookings by eventTypeId" and "...
    by eventTypeIds" (a comma-separated list)."""
    hour = int(states.get("hour_event_type_id"))
    video = int(states.get("video_event_type_id"))
    mine = booked.create(e2e_body(states, slot(states)))["uid"]
    response = calcom.bookings("GET", params={"eventTypeId": hour})
    data = response.json()["data"]
    assert mine in [b["uid"] for b in data]
    assert {b["eventTypeId"] for b in data} == {hour}
    both = calcom.bookings("GET", params={"eventTypeIds": f"{hour},{video}"}).json()["data"]
    assert {b["eventTypeId"] for b in both} == {hour, video}


def test_get_bookings_after_start_and_before_end_are_inclusive(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should get bookings by after specified start
    time" (afterStart = a booking's start keeps it) and "... by before specified end time"
    (beforeEnd = a booking's end keeps it)."""
    first = booked.create(e2e_body(states, slot(states)))
    second = booked.create(e2e_body(states, slot(states, 1)))
    after = listed(calcom, afterStart=second["start"])
    assert second["uid"] in after and first["uid"] not in after
    before = listed(calcom, beforeEnd=first["end"])
    assert first["uid"] in before and second["uid"] not in before


def test_get_bookings_updated_at_filters_are_inclusive(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should get bookings after specified update
    time", "... before specified update time" and "... in update range": a booking's own updatedAt
    is inside."""
    first = booked.create(e2e_body(states, slot(states)))
    second = booked.create(e2e_body(states, slot(states, 1)))
    assert second["uid"] in listed(calcom, afterUpdatedAt=second["updatedAt"])
    assert first["uid"] in listed(calcom, beforeUpdatedAt=first["updatedAt"])
    ranged = listed(calcom, afterUpdatedAt=first["updatedAt"], beforeUpdatedAt=second["updatedAt"])
    assert {first["uid"], second["uid"]} <= set(ranged)


@pytest.mark.parametrize(
    ("sort", "order", "newer_first"),
    [
        ("sortStart", "desc", True),
        ("sortStart", "asc", False),
        ("sortEnd", "desc", True),
        ("sortEnd", "asc", False),
        ("sortCreated", "desc", True),
        ("sortCreated", "asc", False),
        ("sortUpdatedAt", "desc", True),
        ("sortUpdatedAt", "asc", False),
    ],
)
def test_get_bookings_sorted(calcom, states, booked, sort, order, newer_first):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "should should sort bookings by start / end / created
    / updated in descending / ascending order" (eventTypeId=<the 60-minute type>: the booking made
    in the test against one made long ago in the past)."""
    mine = booked.create(e2e_body(states, slot(states)))["uid"]
    past = states.get("past_booking_uid")
    uids = listed(calcom, eventTypeId=states.get("hour_event_type_id"), **{sort: order})
    assert mine in uids and past in uids
    assert (uids.index(mine) < uids.index(past)) == newer_first


# -- reschedule ---------------------------------------------------------------------------


def test_reschedule_booking(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "reschedule bookings > should should reschedule normal
    booking" (all but the createdAt window, see test_created_at_is_the_time_of_the_request) and
    "should set rescheduled booking status to cancelled"."""
    created = booked.create(e2e_body(states, slot(states)))
    body = {"start": slot(states, 2), "reschedulingReason": "Flying to mars that day"}
    response = booked.keep(calcom.bookings("POST", f"/{created['uid']}/reschedule", json=body))
    assert response.status_code == 201, response.text
    payload = response.json()
    assert payload["status"] == "success"
    data = payload["data"]
    assert data["reschedulingReason"] == body["reschedulingReason"]
    assert data["start"] == body["start"]
    assert data["end"] == plus(body["start"], 60)
    assert data["rescheduledFromUid"] == created["uid"]
    assert data["id"] and data["uid"]
    assert data["hosts"][0]["id"] == int(states.get("user_id"))
    assert data["hosts"][0]["username"] == states.get("username")
    assert data["hosts"][0]["email"] == states.get("user_email")
    for key in ("status", "duration", "eventTypeId", "location", "absentHost", "metadata"):
        assert data[key] == created[key], key
    assert data["attendees"][0] == created["attendees"][0]
    old = calcom.bookings("GET", f"/{created['uid']}").json()["data"]
    assert old["status"] == "cancelled"


RESCHEDULE = (
    "calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/"
    "reschedule-bookings.e2e-spec.ts @ 076e17b85123f385be6a51d1939d308004318ff9"
)


def rescheduled_pair(calcom, states, booked) -> tuple[dict, dict, dict]:
    old = booked.create(booking_body(states, slot(states), location=MEET))
    body = {
        "start": slot(states, 0, 2),
        "reschedulingReason": "Flying to venus that day",
        "rescheduledBy": "user-venus-bookings-rescheduler@contract.example",
    }
    response = booked.keep(calcom.bookings("POST", f"/{old['uid']}/reschedule", json=body))
    assert response.status_code == 201, response.text
    return old, response.json()["data"], body


def test_reschedule_records_who_and_why(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-bookings.e2e-spec.ts @
    076e17b85123f385be6a51d1939d308004318ff9: "should reschedule", "should fetch new booking and
    verify rescheduledFromUid, rescheduledByEmail and reschedulingReason" and, of "should fetch old
    booking and verify rescheduledToUid and rescheduledByEmail and status cancelled", the
    rescheduledToUid and status (rescheduledByEmail on the old booking: DIFF-calcom-8)."""
    old, new, body = rescheduled_pair(calcom, states, booked)
    assert new["reschedulingReason"] == body["reschedulingReason"]
    assert new["rescheduledFromUid"] == old["uid"]
    assert new["rescheduledByEmail"] == body["rescheduledBy"]
    assert new["start"] == body["start"]
    assert new["end"] == plus(body["start"], 60)
    assert new["status"] == old["status"]
    assert new["attendees"][0] == old["attendees"][0]
    assert new["location"] == old["location"]
    assert new["metadata"] == old["metadata"]
    then = calcom.bookings("GET", f"/{old['uid']}").json()["data"]
    assert then["rescheduledToUid"] == new["uid"]
    assert then["status"] == "cancelled"
    again = calcom.bookings("GET", f"/{new['uid']}").json()["data"]
    assert again["rescheduledFromUid"] == old["uid"]
    assert again["rescheduledByEmail"] == body["rescheduledBy"]
    assert again["reschedulingReason"] == body["reschedulingReason"]
    assert again["status"] == "accepted"


def test_rescheduled_booking_names_the_rescheduler(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-bookings.e2e-spec.ts @
    076e17b85123f385be6a51d1939d308004318ff9: "should fetch old booking and verify rescheduledToUid
    and rescheduledByEmail and status cancelled" - the old booking's rescheduledByEmail is the new
    booking's rescheduledBy (output.service.ts getRescheduledToInfo @
    05a62d6e5c73662b37d2b2bae5433474cb1b566b)."""
    old, _, body = rescheduled_pair(calcom, states, booked)
    then = calcom.bookings("GET", f"/{old['uid']}").json()["data"]
    assert then["rescheduledByEmail"] == body["rescheduledBy"]


# -- cancel --------------------------------------------------------------------------------


def test_cancel_booking(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "cancel bookings > should cancel booking" (a
    rescheduled booking, cancelled with a reason), and calcom/cal.com
    .../e2e/api-key-bookings.e2e-spec.ts "should cancel booking" @
    01e7f82c40f5b3d0dd3876b0fe7f7fb159f8f869 (without an API key)."""
    created = booked.create(e2e_body(states, slot(states)))
    moved = booked.keep(
        calcom.bookings("POST", f"/{created['uid']}/reschedule", json={"start": slot(states, 2)})
    ).json()["data"]
    assert moved["status"] == "accepted"
    body = {"cancellationReason": "Going on a vacation"}
    response = calcom.bookings("POST", f"/{moved['uid']}/cancel", json=body, token=False)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["status"] == "success"
    data = payload["data"]
    assert data["id"] and data["uid"]
    assert data["hosts"][0]["id"] == int(states.get("user_id"))
    assert data["status"] == "cancelled"
    assert data["cancellationReason"] == body["cancellationReason"]
    for key in ("start", "end", "duration", "eventTypeId", "location", "absentHost"):
        assert data[key] == moved[key], key
    assert data["attendees"][0] == moved["attendees"][0]
    assert calcom.bookings("GET", f"/{moved['uid']}").json()["data"]["status"] == "cancelled"


def test_api_key_bookings_flow(calcom, states, booked):
    """calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/
    api-key-bookings.e2e-spec.ts @ 01e7f82c40f5b3d0dd3876b0fe7f7fb159f8f869: "should create a
    booking with api key" (but the meetingUrl echo, DIFF-calcom-4) and "should reschedule a
    booking with api key"."""
    body = booking_body(states, slot(states), meetingUrl=MEET)
    response = booked.keep(post_booking(calcom, body, token=True))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["id"] and data["uid"]
    assert data["hosts"][0]["id"] == int(states.get("user_id"))
    assert data["status"] == "accepted"
    assert data["start"] == body["start"]
    assert data["end"] == plus(body["start"], 60)
    assert data["duration"] == 60
    assert data["eventTypeId"] == body["eventTypeId"]
    assert data["attendees"][0] == {**body["attendee"], "absent": False}
    assert data["absentHost"] is False
    move = {"start": slot(states, 2), "reschedulingReason": "Flying to mars that day"}
    moved = booked.keep(calcom.bookings("POST", f"/{data['uid']}/reschedule", json=move))
    assert moved.status_code == 201, moved.text
    new = moved.json()["data"]
    assert new["reschedulingReason"] == move["reschedulingReason"]
    assert new["start"] == move["start"]
    assert new["end"] == plus(move["start"], 60)
    assert new["rescheduledFromUid"] == data["uid"]
    for key in ("status", "duration", "eventTypeId", "location", "absentHost", "metadata"):
        assert new[key] == data[key], key


CANCEL_FX = (
    "calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/"
    "cancel-side-effects.e2e-spec.ts @ 2e329e7ec6d675d773a62f34278005d3281505a3"
)


def test_cancel_side_effects(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/cancel-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "status transitions on cancel" (status cancelled,
    reason kept), "slot release after cancel" (the same start can be booked again), "double-cancel
    idempotency" (still cancelled) and "cancel with empty reason" (`{}` is 200)."""
    start = slot(states)
    first = booked.create(booking_body(states, start, location=MEET))
    reason = "Unexpected conflict — team all-hands moved"
    cancel = calcom.bookings("POST", f"/{first['uid']}/cancel", json={"cancellationReason": reason})
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["status"] == "success"
    got = calcom.bookings("GET", f"/{first['uid']}").json()["data"]
    assert got["status"] == "cancelled"
    assert got["cancellationReason"] == reason
    again = booked.create(booking_body(states, start, location=MEET))
    assert again["uid"] and again["start"] == start
    calcom.bookings("POST", f"/{first['uid']}/cancel", json={"cancellationReason": "Second"})
    assert calcom.bookings("GET", f"/{first['uid']}").json()["data"]["status"] == "cancelled"
    empty = calcom.bookings("POST", f"/{again['uid']}/cancel", json={})
    assert empty.status_code == 200, empty.text
    assert calcom.bookings("GET", f"/{again['uid']}").json()["data"]["status"] == "cancelled"


def test_cancel_unknown_booking_is_404(calcom):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/cancel-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "cancel non-existent booking > should return error for
    non-existent booking UID"."""
    response = calcom.bookings(
        "POST", "/non-existent-uid-12345/cancel", json={"cancellationReason": "Does not exist"}
    )
    assert response.status_code == 404


RESCHEDULE_FX = (
    "calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/"
    "reschedule-side-effects.e2e-spec.ts @ 2e329e7ec6d675d773a62f34278005d3281505a3"
)


def test_reschedule_side_effects(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "basic reschedule side effects" (new uid, accepted;
    old cancelled) and "old slot freed after reschedule" (the old start can be booked again)."""
    original = booked.create(booking_body(states, slot(states), location=MEET))
    body = {"start": slot(states, 1), "reschedulingReason": "Conflict with another meeting"}
    response = booked.keep(calcom.bookings("POST", f"/{original['uid']}/reschedule", json=body))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "success"
    new = response.json()["data"]
    assert new["start"] == body["start"]
    assert new["uid"] != original["uid"]
    assert new["status"] == "accepted"
    assert calcom.bookings("GET", f"/{original['uid']}").json()["data"]["status"] == "cancelled"
    taken = booked.create(booking_body(states, original["start"], location=MEET))
    assert taken["uid"] and taken["start"] == original["start"]


def test_reschedule_to_an_occupied_slot_is_400(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "reschedule to occupied slot > should reject
    reschedule if the new time slot is already occupied" (400; the booking stays accepted)."""
    slot_b = slot(states, 0, 4)
    booked.create(booking_body(states, slot_b, location=MEET))
    mover = booked.create(booking_body(states, slot(states), location=MEET))
    response = booked.keep(
        calcom.bookings("POST", f"/{mover['uid']}/reschedule", json={"start": slot_b})
    )
    assert response.status_code == 400
    assert calcom.bookings("GET", f"/{mover['uid']}").json()["data"]["status"] == "accepted"


def test_reschedule_cancelled_or_already_rescheduled_is_400(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "reschedule cancelled booking" and "chain reschedule"
    (400 whose message contains "cancelled"; the new booking can be moved again)."""
    cancelled = booked.create(booking_body(states, slot(states), location=MEET))
    calcom.bookings("POST", f"/{cancelled['uid']}/cancel", json={"cancellationReason": "first"})
    refused = calcom.bookings(
        "POST", f"/{cancelled['uid']}/reschedule", json={"start": slot(states, 1)}
    )
    assert refused.status_code == 400
    assert "cancelled" in refused.json()["error"]["message"]
    original = booked.create(booking_body(states, slot(states, 2), location=MEET))
    first = booked.keep(
        calcom.bookings("POST", f"/{original['uid']}/reschedule", json={"start": slot(states, 3)})
    )
    assert first.status_code == 201, first.text
    second = booked.keep(
        calcom.bookings("POST", f"/{original['uid']}/reschedule", json={"start": slot(states, 4)})
    )
    assert second.status_code == 400
    assert "cancelled" in second.json()["error"]["message"]
    via_new = booked.keep(
        calcom.bookings(
            "POST", f"/{first.json()['data']['uid']}/reschedule", json={"start": slot(states, 4)}
        )
    )
    assert via_new.status_code == 201, via_new.text
    assert via_new.json()["status"] == "success"


def test_reschedule_unknown_booking_is_404(calcom, states):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/reschedule-side-effects.e2e-spec.ts @
    2e329e7ec6d675d773a62f34278005d3281505a3: "reschedule non-existent booking > should return 404
    for non-existent booking UID"."""
    response = calcom.bookings(
        "POST",
        "/non-existent-uid-99999/reschedule",
        json={"start": slot(states), "reschedulingReason": "Ghost booking"},
    )
    assert response.status_code == 404


# -- booking location ---------------------------------------------------------------------


def test_book_with_address_location(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "booking location > can book with address location"
    ({type: "address"} books the event type's address)."""
    body = booking_body(states, slot(states), "address_event_type_id", location={"type": "address"})
    data = booked.create(body)
    assert "id" in data
    assert data["location"] == states.get("address_location")


def test_book_with_cal_video_location(calcom, states, booked):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "booking location > can book with cal video location"
    (the booking's location contains "/video/": Cal Video rooms are served under
    <WEBAPP_URL>/video/<uid>)."""
    body = booking_body(
        states,
        slot(states),
        "video_event_type_id",
        location={"type": "integration", "integration": "cal-video"},
    )
    data = booked.create(body)
    assert "id" in data
    assert "/video/" in data["location"]


@pytest.mark.parametrize(
    "location",
    [{"type": "integration", "integration": "google-meet"}, {"type": "blablabala"}],
    ids=["not-in-event-type", "invalid-type"],
)
def test_book_with_a_location_the_event_type_lacks_is_400(calcom, states, booked, location):
    """calcom/cal.com
    apps/api/v2/src/ee/bookings/2024-08-13/controllers/e2e/user-bookings.e2e-spec.ts @
    01c2d3c0bddc5c2c3e556ef7a9fdf4561fdf4bc7: "booking location > can't book with not location that
    is not in event type" and "can't book with invalid location type that is not in event type"
    (400; here on the Cal Video event type)."""
    body = booking_body(states, slot(states), "video_event_type_id", location=location)
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 400


# -- the booking input pipes (forbidNonWhitelisted, their message format) -----------------

PIPES = (
    "calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/"
    "create-booking-input.pipe.ts @ 51442f5ecb3ff25bfdf6f5cb5b75c014b058f149, "
    "cancel-booking-input.pipe.ts @ 5b6d63e6300b8d930530b1b876d556a12fcfbd96, "
    "reschedule-booking-input.pipe.ts @ f162fe23ef33d8b16252907dc2b1bd7bfed0235b"
)


def pipe_call(calcom, states, booked, which: str, body: dict):
    if which == "create":
        return booked.keep(post_booking(calcom, body))
    uid = booked.create(booking_body(states, slot(states, 1), location=MEET))["uid"]
    return booked.keep(calcom.bookings("POST", f"/{uid}/{which}", json=body))


@pytest.mark.parametrize("which", ["create", "cancel", "reschedule"])
def test_booking_pipes_refuse_unknown_properties(calcom, states, booked, which):
    """calcom/cal.com
    packages/platform/types/bookings/2024-08-13/inputs/create-booking-input.pipe.ts @
    51442f5ecb3ff25bfdf6f5cb5b75c014b058f149, cancel-booking-input.pipe.ts @
    5b6d63e6300b8d930530b1b876d556a12fcfbd96, reschedule-booking-input.pipe.ts @
    f162fe23ef33d8b16252907dc2b1bd7bfed0235b: the body is validated with `whitelist: true,
    forbidNonWhitelisted: true` (the global ValidationPipe skips these union-typed bodies), so a
    property the DTO does not declare is a 400 whose message the pipe builds: "<property> property
    is wrong,<constraints> "."""
    body = {
        "create": booking_body(states, slot(states), location=MEET),
        "cancel": {"cancellationReason": "x"},
        "reschedule": {"start": slot(states, 2)},
    }[which] | {"foo": 1}
    response = pipe_call(calcom, states, booked, which, body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == "BadRequestException"
    assert error["message"] == "foo property is wrong,property foo should not exist "


@pytest.mark.parametrize(
    ("which", "change", "message"),
    [
        (
            "create",
            {"start": None},
            "start property is wrong,start must be a valid ISO 8601 date string ",
        ),
        (
            "create",
            {"attendee": {"name": "Mr Proper", "email": GUEST, "timeZone": "Mars/Base"}},
            "attendee property is wrong, timeZone property is wrong,"
            "timeZone must be a valid IANA time-zone ",
        ),
        (
            "create",
            {"attendee": {"name": "Mr Proper", "timeZone": "Europe/Rome"}},
            "attendee property is wrong, attendee email or phone property is wrong,"
            "Attendee must have at least one contact method (email or phone number) ",
        ),
        (
            "create",
            {"eventTypeId": None},
            "eventTypeId or eventTypeSlug + username property is wrong,Either eventTypeId or "
            "eventTypeSlug + username or eventTypeSlug + teamSlug must be provided ",
        ),
        (
            "reschedule",
            {"start": None},
            "start property is wrong,start must be a valid ISO 8601 date string ",
        ),
        (
            "cancel",
            {"cancellationReason": 5},
            "cancellationReason property is wrong,cancellationReason must be a string ",
        ),
    ],
    ids=[
        "create-start",
        "create-attendee-tz",
        "create-attendee-no-contact",
        "create-no-event-type",
        "reschedule",
        "cancel",
    ],
)
def test_booking_pipes_error_text(calcom, states, booked, which, change, message):
    """calcom/cal.com
    packages/platform/types/bookings/2024-08-13/inputs/create-booking-input.pipe.ts @
    51442f5ecb3ff25bfdf6f5cb5b75c014b058f149, cancel-booking-input.pipe.ts @
    5b6d63e6300b8d930530b1b876d556a12fcfbd96, reschedule-booking-input.pipe.ts @
    f162fe23ef33d8b16252907dc2b1bd7bfed0235b: `throw new
    BadRequestException(this.formatErrors(errors))`, so error.message is that text and error.details
    is {message, error: "Bad Request", statusCode: 400}
    (apps/api/v2/src/filters/http-exception.filter.ts @ a557978101864a73c26800423937f67ed1c89975).
    Class-level validators report under their propertyName, after the properties
    (RequireEventTypeIdentification on the booking, RequireEmailOrPhone on its attendee:
    create-booking.input.ts @ 9527f3c977bbad000f98b436b17fca7aa9594fa4)."""
    base = {
        "create": booking_body(states, slot(states), location=MEET),
        "cancel": {},
        "reschedule": {"start": slot(states, 2)},
    }[which]
    body = {k: v for k, v in (base | change).items() if v is not None}
    response = pipe_call(calcom, states, booked, which, body)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == "BadRequestException"
    assert error["message"] == message
    assert error["details"] == {"message": message, "error": "Bad Request", "statusCode": 400}


def test_booking_body_tolerances(calcom, states, booked):
    """calcom/cal.com .../inputs/create-booking.input.ts @
    9527f3c977bbad000f98b436b17fca7aa9594fa4: optional properties are @IsOptional (null is
    skipped like a missing key), eventTypeId is @IsInt without @Type, so a string-typed id is
    a 400 (no implicit conversion: bootstrap's ValidationPipe has `transform: true` only,
    apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d)."""
    body = booking_body(
        states,
        slot(states),
        guests=None,
        metadata=None,
        bookingFieldsResponses=None,
        lengthInMinutes=None,
        location=None,
    )
    assert booked.keep(post_booking(calcom, body)).status_code == 201
    as_string = booking_body(states, slot(states, 1))
    as_string["eventTypeId"] = str(as_string["eventTypeId"])
    assert booked.keep(post_booking(calcom, as_string)).status_code == 400


# -- GET /v2/bookings query (GetBookingsInput_2024_08_13) ---------------------------------

GET_BOOKINGS_INPUT = (
    "calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts "
    "@ 1b6cab4fde117ed1dd1e58506d6988464d3ddc98"
)


@pytest.mark.parametrize(
    ("param", "value", "constraint", "message"),
    [
        (
            "status",
            "someday",
            "isEnum",
            "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed",
        ),
        ("afterStart", "soon", "isIso8601", "fromDate must be a valid ISO 8601 date."),
        ("beforeEnd", "2030-02-30T10:00:00Z", "isIso8601", "toDate must be a valid ISO 8601 date."),
        ("afterCreatedAt", "yesterday", "isIso8601", "fromDate must be a valid ISO 8601 date."),
        ("beforeUpdatedAt", "later", "isIso8601", "toDate must be a valid ISO 8601 date."),
        ("sortStart", "up", "isEnum", 'SortStart must be either "asc" or "desc".'),
        ("sortEnd", "up", "isEnum", 'SortEnd must be either "asc" or "desc".'),
        ("sortCreated", "up", "isEnum", 'SortCreated must be either "asc" or "desc".'),
        ("sortUpdatedAt", "up", "isEnum", 'SortCreated must be either "asc" or "desc".'),
        ("eventTypeId", "abc", "isInt", "eventTypeId must be an integer number"),
    ],
)
def test_get_bookings_query_messages(calcom, param, value, constraint, message):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts @
    1b6cab4fde117ed1dd1e58506d6988464d3ddc98: the custom messages of the DTO's validators (status
    values are split on "," first; the date filters are @IsISO8601({strict: true}); sortUpdatedAt
    reuses SortCreated's text), in the ValidationPipe's 400."""
    response = calcom.bookings("GET", params={param: value})
    assert response.status_code == 400
    error = error_of(response)
    assert error["message"] == "Bad Request Exception"
    found = next(e for e in error["details"]["errors"] if e["property"] == param)
    assert found["constraints"] == {constraint: message}
    if param == "status":
        assert found["value"] == ["someday"]


@pytest.mark.parametrize(("take", "skip", "per_page"), [("2.9", "0", 2), ("2abc", "1.5", 2)])
def test_get_bookings_take_and_skip_are_read_with_parse_int(calcom, take, skip, per_page):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts @
    1b6cab4fde117ed1dd1e58506d6988464d3ddc98: take and skip are `@Transform(({value}) => value &&
    parseInt(value))` then @IsNumber, so "2.9" and "2abc" are 2 (a string-typed-number tolerance).
    """
    response = calcom.bookings("GET", params={"take": take, "skip": skip})
    assert response.status_code == 200, response.text
    assert response.json()["pagination"]["itemsPerPage"] == per_page


def test_get_bookings_attendee_email_space_is_a_plus(calcom, states, booked):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts @
    1b6cab4fde117ed1dd1e58506d6988464d3ddc98: attendeeEmail is trimmed and inner whitespace becomes
    "+" ("managed user emails have '+' in them but if they are not URL encoded ... '+' becomes empty
    space"): an unencoded plus still finds the booking."""
    body = booking_body(states, slot(states))
    local = body["attendee"]["email"].split("@")[0]
    body["attendee"]["email"] = f"mr+{local}@contract.example"
    uid = booked.create(body)["uid"]
    sloppy = body["attendee"]["email"].replace("+", " ")
    assert listed(calcom, attendeeEmail=f" {sloppy} ") == [uid]


def test_get_bookings_status_may_repeat(calcom, states, booked):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts
    @ 1b6cab4fde117ed1dd1e58506d6988464d3ddc98: status is split on "," when a string and kept
    as it is when the query already holds an array (`?status=upcoming&status=past`)."""
    future = booked.create(booking_body(states, slot(states)))["uid"]
    past = states.get("past_booking_uid")
    as_list = calcom.bookings("GET", params=[("status", "upcoming"), ("status", "past")])
    assert as_list.status_code == 200, as_list.text
    uids = {b["uid"] for b in as_list.json()["data"]}
    assert {future, past} <= uids
    assert uids == set(listed(calcom, status="upcoming,past"))


def test_get_bookings_status_values_are_trimmed(calcom, states, booked):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts
    @ 1b6cab4fde117ed1dd1e58506d6988464d3ddc98: `value.split(",").map((status) =>
    status.trim())`, so "upcoming, past" (a space after the comma) is the same filter."""
    booked.create(booking_body(states, slot(states)))
    assert set(listed(calcom, status="upcoming, past")) == set(
        listed(calcom, status="upcoming,past")
    )


# -- booking references -------------------------------------------------------------------


@pytest.mark.rule("calcom", 39)
def test_references_have_the_real_shape(calcom, states):
    """BookingReference in the published OpenAPI (docs/api-reference/v2/openapi.json @
    a69fe2ed006191760c840a672f4d3a6bc7fbe0fc: {type, eventUid, destinationCalendarId, id}),
    key by key, for a seeded booking's references (BookingsController_2024_08_13
    getBookingReferences, calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/controllers/
    bookings.controller.ts @ cf5215774e07efb16d8f1d4fd9e59b9764f248ad)."""
    response = calcom.bookings("GET", f"/{states.get('booking_uid')}/references")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    for ref in body["data"]:
        assert_same_shape(REAL_REFERENCE, ref, nullable=("$.destinationCalendarId",))


@pytest.mark.rule("calcom", 39)
@pytest.mark.parametrize("whose", ["unknown", "other user's"])
def test_references_of_unknown_or_foreign_booking(calcom, states, whose):
    """calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/services/
    booking-references.service.ts @ c269f1ff1bd62987bf452b52ec1b79fd5bae38c4: no booking ->
    404 `Booking with uid <uid> not found`; a booking whose user is not the caller -> 400
    `Booking with uid <uid> does not belong to user`."""
    uid = "noSuchBooking000000000000" if whose == "unknown" else states.get("other_booking_uid")
    response = calcom.bookings("GET", f"/{uid}/references")
    error = error_of(response)
    if whose == "unknown":
        assert response.status_code == 404
        assert error["message"] == f"Booking with uid {uid} not found"
    else:
        assert response.status_code == 400
        assert error["message"] == f"Booking with uid {uid} does not belong to user"
