"""What real clients send that the docs do not mention, and how Cal.com's API v2 takes it, as
its bootstrap and pipes imply (calcom/cal.com apps/api/v2/src/bootstrap.ts @
129e5ad74dff623fb9cc28d7579d9802e3e52e9d): the global ValidationPipe has `whitelist: true`
(undeclared properties dropped, nested ones too), `transform: true` without implicit
conversion (a JSON number sent as a string stays a string), and @IsOptional skips `null` like a
missing key; the booking bodies have their own pipes with `forbidNonWhitelisted: true`;
Express's body parser reads `application/json` in any letter case and with parameters; its
query parser makes arrays of repeated and bracketed keys; its router ignores a trailing
slash; Node lowercases header names."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.upstream import Booked, booking_body, post_booking, slot


@pytest.fixture
def booked(calcom) -> Iterator[Booked]:
    bookings = Booked(calcom)
    yield bookings
    bookings.cleanup()


@pytest.mark.rule("calcom", 14)
def test_patch_drops_undeclared_properties_at_every_level(calcom, states):
    """The global ValidationPipe's whitelist on UpdateUnifiedCalendarEventInput
    (cal-unified-calendars/inputs/update-unified-calendar-event.input.ts @
    03670679c00d600615e8df2bc64545bd51c61646): `summary`, `id` and an attendee's `organizer`
    are not declared and have no effect; the nested attendee stays valid."""
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    body = {
        "title": "Tolerant title",
        "summary": "ignored",
        "id": "someone-else",
        "attendees": [{"email": "tolerant@contract.example", "organizer": True, "extra": 1}],
    }
    response = calcom.update(uid, body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["id"] == before["id"] and data["title"] == "Tolerant title"
    assert [a["email"] for a in data["attendees"]] == ["tolerant@contract.example"]
    assert data["attendees"][0]["host"] is False  # `organizer` did not make it a host


@pytest.mark.rule("calcom", 19)
def test_patch_null_start_end_and_status_are_the_pipe_defaults(calcom, states):
    """GoogleCalendarEventInputPipe (cal-unified-calendars/pipes/google-calendar-event-input.pipe.ts
    @ 483ab749a6c045006ed4aa31c64a264b3ce69c9b): `start`/`end` are sent only when truthy, so
    null leaves the times; `status: null` maps to Google's confirmed (accepted)."""
    uid = states.get("disposable_event_uid")
    before = calcom.event(uid).json()["data"]
    response = calcom.update(uid, {"start": None, "end": None, "status": None})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert instant(data["start"]["time"]) == instant(before["start"]["time"])
    assert instant(data["end"]["time"]) == instant(before["end"]["time"])
    assert data["status"] == "accepted"


@pytest.mark.rule("calcom", 38)
def test_booking_bodies_take_null_for_optional_fields(calcom, states, booked):
    """@IsOptional on every optional property of the booking DTOs
    (packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts @
    9527f3c977bbad000f98b436b17fca7aa9594fa4, cancel-booking.input.ts @
    1016df5bc34cb1da392f14dddfe72cd22dbc25b7, reschedule-booking.input.ts @
    f0ac6126fbf673cb8202562293bf12d976ccaa49): null passes like a missing key, in the
    attendee too."""
    body = booking_body(states, slot(states), meetingUrl=None, routing=None, teamSlug=None)
    body["attendee"] |= {"language": None, "phoneNumber": None}
    data = booked.create(body)
    assert data["attendees"][0]["language"] == "en"
    moved = booked.keep(
        calcom.bookings(
            "POST",
            f"/{data['uid']}/reschedule",
            json={"start": slot(states, 1), "reschedulingReason": None, "rescheduledBy": None},
        )
    )
    assert moved.status_code == 201, moved.text
    new = moved.json()["data"]
    cancelled = calcom.bookings("POST", f"/{new['uid']}/cancel", json={"cancellationReason": None})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["data"]["status"] == "cancelled"


@pytest.mark.rule("calcom", 38)
def test_booking_numbers_sent_as_strings_are_refused(calcom, states, booked):
    """No implicit conversion (bootstrap.ts: `transform: true` only) and the pipes'
    plainToClass keeps JSON types: "eventTypeId": "<id>" fails @IsInt, with the pipes' text
    (create-booking-input.pipe.ts @ 51442f5ecb3ff25bfdf6f5cb5b75c014b058f149)."""
    body = booking_body(states, slot(states))
    body["eventTypeId"] = str(body["eventTypeId"])
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 400, response.text
    assert error_of(response)["message"] == (
        "eventTypeId property is wrong,eventTypeId must be an integer number "
    )


@pytest.mark.rule("calcom", 38)
def test_json_content_type_in_any_case_with_parameters(calcom, states, booked):
    """Express's json parser (body-parser, type "application/json" matched by type-is, which
    ignores letter case and parameters)."""
    body = booking_body(states, slot(states))
    response = calcom.request(
        "POST",
        "/v2/bookings",
        version="2024-08-13",
        content=json.dumps(body).encode(),
        headers={"Content-Type": "Application/JSON; charset=UTF-8"},
    )
    booked.keep(response)
    assert response.status_code == 201, response.text


@pytest.mark.rule("calcom", 17)
def test_trailing_slash_on_writes(calcom, states, booked):
    """Express routes non-strictly (bootstrap.ts sets no strict routing): POST /v2/bookings/
    books and PATCH .../events/{uid}/ updates, like their paths without the slash."""
    response = booked.keep(
        calcom.request(
            "POST", "/v2/bookings/", json=booking_body(states, slot(states)), version="2024-08-13"
        )
    )
    assert response.status_code == 201, response.text
    uid = states.get("disposable_event_uid")
    patched = calcom.patch(f"/v2/calendars/google/events/{uid}/", json={"title": "Slashed"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["title"] == "Slashed"


@pytest.mark.rule("calcom", 13)
def test_bracketed_query_keys_are_arrays(calcom, states, booked):
    """Express's query parser (qs): `status[]=upcoming` is the array ["upcoming"], which
    GetBookingsInput_2024_08_13's transform keeps as it is
    (packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts @
    1b6cab4fde117ed1dd1e58506d6988464d3ddc98); `eventTypeIds[]=<id>` likewise."""
    mine = booked.create(booking_body(states, slot(states)))["uid"]
    upcoming = calcom.bookings("GET", params=[("status[]", "upcoming")])
    assert upcoming.status_code == 200, upcoming.text
    uids = [b["uid"] for b in upcoming.json()["data"]]
    assert mine in uids and states.get("past_booking_uid") not in uids
    hour = states.get("hour_event_type_id")
    typed = calcom.bookings("GET", params=[("eventTypeIds[]", hour)])
    assert typed.status_code == 200, typed.text
    assert {b["eventTypeId"] for b in typed.json()["data"]} == {int(hour)}
