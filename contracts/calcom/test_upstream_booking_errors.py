"""Replays of what the cal.com monorepo's bookings 2024-08-13 code says about refused
requests, beyond its e2e specs: the service texts (errors.service.ts, bookings.service.ts,
input.service.ts), the booking pipes' DTO checks, the booking responses check of
handleNewBooking (a ZodError), the GET /v2/bookings query DTO and the busy-times DTO.

Each test names the file and commit whose code it reads; the request is the one that code
refuses and the assertions are the status and exact text that code produces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contracts.calcom.conftest import error_of
from contracts.calcom.upstream import Booked, booking_body, post_booking, slot

pytestmark = pytest.mark.rule("calcom", 38)

SERVICES = "calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/services"
MEET = "https://meet.google.com/abc-def-ghi"


@pytest.fixture
def booked(calcom) -> Iterator[Booked]:
    bookings = Booked(calcom)
    yield bookings
    bookings.cleanup()


def refused(response, status: int, message: str, code: str = "") -> dict:
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["message"] == message
    if code:
        assert error["code"] == code
    return error


# -- errors.service.ts @ 23cba333c93638971dd08e2538330cd5500d6ace ----------------------------


def test_event_type_not_found_texts(calcom, states, booked):
    """calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/services/errors.service.ts @
    23cba333c93638971dd08e2538330cd5500d6ace (handleEventTypeToBeBookedNotFound) and
    bookings.service.ts @ cd764fd827c001adedda807a326af9ca0f924beb (getBookedEventType: an
    unknown username is its own 404)."""
    body = booking_body(states, slot(states))
    body["eventTypeId"] = 987654321
    refused(
        booked.keep(post_booking(calcom, body)),
        404,
        "Event type with id 987654321 not found.",
        "NotFoundException",
    )
    by_slug = {k: v for k, v in booking_body(states, slot(states)).items() if k != "eventTypeId"}
    unknown_user = {**by_slug, "eventTypeSlug": "contract-60min", "username": "nobody-zz-404"}
    refused(
        booked.keep(post_booking(calcom, unknown_user)),
        404,
        "User with username nobody-zz-404 not found",
    )
    unknown_slug = {**by_slug, "eventTypeSlug": "no-such-slug", "username": states.get("username")}
    refused(
        booked.keep(post_booking(calcom, unknown_slug)),
        404,
        f"Event type with slug no-such-slug belonging to user {states.get('username')} not found.",
    )


def test_booking_by_slug_and_username(calcom, states, booked):
    """calcom/cal.com .../services/bookings.service.ts @ cd764fd827c001adedda807a326af9ca0f924beb
    (getBookedEventType: eventTypeSlug + username instead of eventTypeId)."""
    body = {k: v for k, v in booking_body(states, slot(states)).items() if k != "eventTypeId"}
    body |= {
        "eventTypeSlug": states.get("hour_event_type_slug"),
        "username": states.get("username"),
    }
    data = booked.create(body)
    assert data["eventTypeId"] == int(states.get("hour_event_type_id"))


def test_an_occupied_slot_is_the_unavailable_text(calcom, states, booked):
    """calcom/cal.com .../services/errors.service.ts @ 23cba333c93638971dd08e2538330cd5500d6ace:
    handleNewBooking's no_available_users_found_error becomes 400 "User either already has
    booking at this time or is not available" for a user's event type."""
    start = slot(states)
    booked.create(booking_body(states, start))
    refused(
        booked.keep(post_booking(calcom, booking_body(states, start))),
        400,
        "User either already has booking at this time or is not available",
        "BadRequestException",
    )


def test_a_start_in_the_past_is_refused(calcom, states, booked):
    """calcom/cal.com .../services/errors.service.ts @ 23cba333c93638971dd08e2538330cd5500d6ace:
    "Attempting to book a meeting in the past." is passed through as a 400."""
    refused(
        booked.keep(post_booking(calcom, booking_body(states, "2020-01-06T10:00:00.000Z"))),
        400,
        "Attempting to book a meeting in the past.",
    )


def test_length_in_minutes_needs_multiple_durations(calcom, states, booked):
    """calcom/cal.com .../services/input.service.ts @ 01598ed41a205884e52f5c03577b81e41bce0fff
    (validateBookingLengthInMinutes): any lengthInMinutes, even the event type's own length,
    on an event type without multiple durations."""
    body = booking_body(states, slot(states), lengthInMinutes=60)
    refused(
        booked.keep(post_booking(calcom, body)),
        400,
        "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
        "lengths. Please, remove the 'lengthInMinutes' field from the request.",
    )


# -- bookings.service.ts @ cd764fd8 / input.service.ts @ 01598ed4: cancel and reschedule ------


def test_reschedule_refusal_texts(calcom, states, booked):
    """calcom/cal.com .../services/bookings.service.ts @ cd764fd827c001adedda807a326af9ca0f924beb
    (canRescheduleBooking): a cancelled booking, and a booking already rescheduled (which
    names the booking it moved to)."""
    first = booked.create(booking_body(states, slot(states)))
    calcom.bookings("POST", f"/{first['uid']}/cancel", json={"cancellationReason": "x"})
    refused(
        calcom.bookings("POST", f"/{first['uid']}/reschedule", json={"start": slot(states, 1)}),
        400,
        f"Can't reschedule booking with uid={first['uid']} because it has been cancelled. "
        "Please provide uid of a booking that is not cancelled.",
    )
    second = booked.create(booking_body(states, slot(states, 2)))
    moved = booked.keep(
        calcom.bookings("POST", f"/{second['uid']}/reschedule", json={"start": slot(states, 3)})
    ).json()["data"]
    refused(
        calcom.bookings("POST", f"/{second['uid']}/reschedule", json={"start": slot(states, 4)}),
        400,
        f"Can't reschedule booking with uid={second['uid']} because it has been cancelled and "
        f"rescheduled already to booking with uid={moved['uid']}. You probably want to "
        f"reschedule {moved['uid']} instead by passing it within the request URL.",
    )


def test_unknown_booking_texts_of_cancel_and_reschedule(calcom, states):
    """calcom/cal.com .../services/input.service.ts @ 01598ed41a205884e52f5c03577b81e41bce0fff
    (createCancelBookingRequest) and bookings.service.ts @
    cd764fd827c001adedda807a326af9ca0f924beb (shouldRescheduleIndividualSeat, getBooking)."""
    uid = "noSuchBooking00000000000"
    refused(
        calcom.bookings("POST", f"/{uid}/cancel", json={}), 404, f"Booking with uid={uid} not found"
    )
    refused(
        calcom.bookings("POST", f"/{uid}/reschedule", json={"start": slot(states)}),
        404,
        f"Booking with uid={uid} was not found in the database",
    )
    refused(
        calcom.bookings("GET", f"/{uid}"),
        404,
        f"Booking with uid={uid} was not found in the database",
    )


def test_seated_bodies_on_a_booking_without_seats(calcom, states, booked):
    """calcom/cal.com .../services/bookings.service.ts @ cd764fd827c001adedda807a326af9ca0f924beb
    (cancelBooking: the seat is looked up first) and input.service.ts @
    01598ed41a205884e52f5c03577b81e41bce0fff (transformInputRescheduleSeatedBooking); a body
    with seatUid is validated against the seated DTO, which declares no cancellationReason
    (cancel-booking.input.ts @ 1016df5bc34cb1da392f14dddfe72cd22dbc25b7)."""
    uid = booked.create(booking_body(states, slot(states)))["uid"]
    seat = "3be561a9-31f1-4b8e-aefc-9d9a085f0dd1"
    refused(
        calcom.bookings("POST", f"/{uid}/cancel", json={"seatUid": seat}),
        400,
        "Invalid seatUid: this seat does not exist or has already been cancelled.",
    )
    refused(
        calcom.bookings(
            "POST", f"/{uid}/cancel", json={"seatUid": seat, "cancellationReason": "x"}
        ),
        400,
        "cancellationReason property is wrong,property cancellationReason should not exist ",
    )
    refused(
        calcom.bookings(
            "POST", f"/{uid}/reschedule", json={"seatUid": seat, "start": slot(states, 1)}
        ),
        404,
        f"Seat with uid={seat} does not exist.",
    )
    assert calcom.bookings("GET", f"/{uid}").json()["data"]["status"] == "accepted"


# -- input.service.ts @ 01598ed4: booking locations ----------------------------------------


def test_location_checks_name_the_event_type_locations(calcom, states, booked):
    """calcom/cal.com .../services/input.service.ts @ 01598ed41a205884e52f5c03577b81e41bce0fff
    (isBookingLocationWithEventTypeLocations): a type the event type does not offer, and an
    integration it does not offer, each with the event type's list."""
    video = int(states.get("video_event_type_id"))
    body = booking_body(states, slot(states), "video_event_type_id", location={"type": "address"})
    refused(
        booked.keep(post_booking(calcom, body)),
        400,
        f"Booking location with type address not valid for event type with id={video}. The event "
        "type has following location types: integration, and only these types are allowed for "
        "booking location.",
    )
    meet = {"type": "integration", "integration": "google-meet"}
    body = booking_body(states, slot(states), "video_event_type_id", location=meet)
    refused(
        booked.keep(post_booking(calcom, body)),
        400,
        f"Booking location with integration google-meet not valid for event type with id={video}. "
        "The event type has following integrations: cal-video, and only these integrations are "
        "allowed for booking location.",
    )


def test_attendee_locations_and_meeting_url(calcom, states, booked):
    """calcom/cal.com .../services/input.service.ts @ 01598ed41a205884e52f5c03577b81e41bce0fff
    (transformLocation): attendeeAddress carries the attendee's address, on an event type
    offering it and only there; `location || meetingUrl`, so meetingUrl counts only without a
    location, and a string location is kept as given."""
    mine = {"type": "attendeeAddress", "address": "1 Attendee Way"}
    body = booking_body(states, slot(states), "attendee_place_event_type_id", location=mine)
    assert booked.create(body)["location"] == "1 Attendee Way"
    address = int(states.get("address_event_type_id"))
    body = booking_body(states, slot(states, 1), "address_event_type_id", location=mine)
    refused(
        booked.keep(post_booking(calcom, body)),
        400,
        f"Booking location with type attendeeAddress not valid for event type with id={address}. "
        "The event type has following location types: address, and only these types are allowed "
        "for booking location.",
    )
    both = booking_body(states, slot(states, 2), location="Room 4", meetingUrl=MEET)
    data = booked.create(both)
    assert data["location"] == data["meetingUrl"] == "Room 4"
    only_url = booked.create(booking_body(states, slot(states, 3), meetingUrl=MEET))
    assert only_url["location"] == only_url["meetingUrl"] == MEET


# -- handleNewBooking's responses check: a ZodError -------------------------------------------

ZOD = (
    "calcom/cal.com packages/features/bookings/lib/getBookingResponsesSchema.ts @ "
    "0477e9c6e70ed004b87d077e3fd60ffc9c3056ca; apps/api/v2/src/filters/zod-exception.filter.ts "
    "@ 03670679c00d600615e8df2bc64545bd51c61646"
)


@pytest.mark.parametrize(
    ("attendee", "guests", "message"),
    [
        (
            {"name": "Mr Proper", "email": "not-an-email", "timeZone": "Europe/Rome"},
            None,
            "responses - {email}email_validation_error, ",
        ),
        (
            {"name": "", "email": "empty.name@contract.example", "timeZone": "Europe/Rome"},
            None,
            "responses - {name}error_required_field, ",
        ),
        (
            {"name": "Mr Proper", "email": "dup.guest@contract.example", "timeZone": "Europe/Rome"},
            ["twice@contract.example", "twice@contract.example"],
            "responses - {guests}duplicate_email, ",
        ),
        (
            {"name": "Mr Proper", "email": "bad.guest@contract.example", "timeZone": "Europe/Rome"},
            ["not-an-email"],
            "responses - {guests}email_validation_error, ",
        ),
    ],
    ids=["bad-email", "empty-name", "duplicate-guest", "bad-guest"],
)
def test_booking_responses_are_a_zod_400(calcom, states, booked, attendee, guests, message):
    """calcom/cal.com packages/features/bookings/lib/getBookingResponsesSchema.ts @
    0477e9c6e70ed004b87d077e3fd60ffc9c3056ca (the default name/email/guests booking fields;
    the DTO's own email check is a no-op @Validate(<arrow>)), rendered by
    apps/api/v2/src/filters/zod-exception.filter.ts @ 03670679c00d600615e8df2bc64545bd51c61646:
    `{code: "BAD_REQUEST", message: "<path> - <message>, "}` without details."""
    body = booking_body(states, slot(states))
    body["attendee"] = attendee
    if guests is not None:
        body["guests"] = guests
    response = booked.keep(post_booking(calcom, body))
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["status"] == "error" and {"timestamp", "path"} <= set(payload)
    assert payload["error"] == {"code": "BAD_REQUEST", "message": message}


# -- the booking pipes' DTO checks (create-booking.input.ts @ 9527f3c9) ----------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"meetingUrl": "not a url"}, "meetingUrl property is wrong,meetingUrl must be a URL address "),
        ({"guests": "g@contract.example"}, "guests property is wrong,guests must be an array "),
        (
            {"metadata": {"nested": {"a": 1}}},
            "metadata property is wrong,Metadata must have at most 50 keys, each key up to 40 "
            "characters, and string values up to 500 characters. ",
        ),
        (
            {"lengthInMinutes": 0},
            "lengthInMinutes property is wrong,lengthInMinutes must not be less than 1 ",
        ),
        ({"attendee": None}, "attendee property is wrong,attendee should not be null or undefined, "
         "nested property attendee must be either object or array "),
        ({"rescheduleBookingUid": "x"}, "rescheduleBookingUid property is wrong,property "
         "rescheduleBookingUid should not exist "),
        ({"instant": False}, "instant property is wrong,property instant should not exist "),
    ],
    ids=["meeting-url", "guests-string", "metadata-object", "length-0", "attendee-null", "reschedule-uid",
         "instant-false"],
)  # fmt: skip
def test_create_pipe_dto_checks(calcom, states, booked, change, message):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts
    @ 9527f3c977bbad000f98b436b17fca7aa9594fa4 (IsUrl, IsArray, ValidateMetadata: values are
    strings, numbers or booleans; Min(1); IsDefined + ValidateNested) through
    create-booking-input.pipe.ts @ 51442f5ecb3ff25bfdf6f5cb5b75c014b058f149 (the DTO is
    chosen by the body: recurrenceCount → recurring, `instant: true` → instant, else the plain
    one, which declares neither `instant` nor `rescheduleBookingUid`)."""
    body = booking_body(states, slot(states), location=MEET) | change
    refused(booked.keep(post_booking(calcom, body)), 400, message, "BadRequestException")


def test_create_pipe_refuses_an_array_body(calcom, booked):
    """calcom/cal.com .../inputs/create-booking-input.pipe.ts @
    51442f5ecb3ff25bfdf6f5cb5b75c014b058f149: an array is an object to `typeof`, so it is
    validated; class-validator has no metadata for it (forbidUnknownValues) and formatErrors
    prints its undefined property."""
    response = booked.keep(post_booking(calcom, []))
    refused(
        response,
        400,
        "undefined property is wrong,an unknown value was passed to the validate function ",
    )


# -- GET /v2/bookings (get-bookings.input.ts @ 1b6cab4f) -------------------------------------


@pytest.mark.rule("calcom", 13)
@pytest.mark.parametrize(
    ("params", "prop", "constraints"),
    [
        ({"eventTypeIds": "1,abc"}, "eventTypeIds",
         {"isNumber": "each value in eventTypeIds must be a number conforming to the specified constraints"}),
        ({"take": "abc"}, "take", {"max": "take must not be greater than 250",
                                   "min": "take must not be less than 1",
                                   "isNumber": "take must be a number conforming to the specified constraints"}),
        ({"take": "0"}, "take", {"min": "take must not be less than 1"}),
        ({"take": "251"}, "take", {"max": "take must not be greater than 250"}),
        ({"skip": "-"}, "skip", {"min": "skip must not be less than 0",
                                 "isNumber": "skip must be a number conforming to the specified constraints"}),
        ([("status", "upcoming,past"), ("status", "past")], "status",
         {"isEnum": "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed"}),
        ([("attendeeEmail", "a@contract.example"), ("attendeeEmail", "b@contract.example")],
         "attendeeEmail", {"isString": "attendeeEmail must be a string"}),
    ],
    ids=["event-type-ids-nan", "take-nan", "take-0", "take-251", "skip-nan", "status-array", "email-array"],
)  # fmt: skip
def test_get_bookings_query_constraints(calcom, params, prop, constraints):
    """calcom/cal.com packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts @
    1b6cab4fde117ed1dd1e58506d6988464d3ddc98 through the global ValidationPipe: each
    property's @Transform first (eventTypeIds split and parseInt, take `value &&
    parseInt(value)`, a repeated key an array that is not split), then its validators in
    decorator order (bottom-up), every failing one reported."""
    response = calcom.bookings("GET", params=params)
    error = refused(response, 400, "Bad Request Exception", "BadRequestException")
    found = next(e for e in error["details"]["errors"] if e["property"] == prop)
    assert found["constraints"] == constraints
    assert list(found["constraints"]) == list(constraints)


def test_get_bookings_event_type_ids_read_like_javascript(calcom, states):
    """calcom/cal.com .../inputs/get-bookings.input.ts @ 1b6cab4fde117ed1dd1e58506d6988464d3ddc98:
    eventTypeIds "<id>abc" is parseInt'ed to the id, eventTypeId " <id> " is Number()'ed to it."""
    hour = states.get("hour_event_type_id")
    plain = calcom.bookings("GET", params={"eventTypeIds": hour}).json()["data"]
    assert plain
    sloppy = calcom.bookings("GET", params={"eventTypeIds": f"{hour}abc"})
    spaced = calcom.bookings("GET", params={"eventTypeId": f" {hour} "})
    for response in (sloppy, spaced):
        assert response.status_code == 200, response.text
        assert [b["uid"] for b in response.json()["data"]] == [b["uid"] for b in plain]


# -- busy times (CalendarBusyTimesInput, 2026) -----------------------------------------------


@pytest.mark.rule("calcom", 13)
def test_busy_times_query_is_validated(calcom, states):
    """CalendarBusyTimesInput (apps/api/v2/src/ee/calendars/inputs/calendar-busy-times.input.ts,
    the 2026 version with `timeZone` @IsTimeZone after normalizeTimezone and dateFrom/dateTo
    @IsString @IsDateString without @IsOptional; the stored copy read has no commit to cite)
    through the global ValidationPipe; a zone in another case is normalised."""
    calendars = {
        "calendarsToLoad[0][credentialId]": states.get("credential_id"),
        "calendarsToLoad[0][externalId]": states.get("calendar_external_id"),
    }
    response = calcom.get("/v2/calendars/busy-times", params={"timeZone": "UTC", **calendars})
    error = refused(response, 400, "Bad Request Exception")
    by_prop = {e["property"]: e["constraints"] for e in error["details"]["errors"]}
    assert by_prop["dateFrom"] == {
        "isDateString": "dateFrom must be a valid ISO 8601 date string",
        "isString": "dateFrom must be a string",
    }
    assert set(by_prop) == {"dateFrom", "dateTo"}
    dates = {"dateFrom": "2024-12-18", "dateTo": "2024-12-18", **calendars}
    bad_zone = calcom.get("/v2/calendars/busy-times", params={"timeZone": "Mars/Base", **dates})
    error = refused(bad_zone, 400, "Bad Request Exception")
    assert error["details"]["errors"][0]["constraints"] == {
        "isTimeZone": "timeZone must be a valid IANA time-zone"
    }
    lower = calcom.get("/v2/calendars/busy-times", params={"timeZone": "america/new_york", **dates})
    assert lower.status_code == 200, lower.text
    none = calcom.get(
        "/v2/calendars/busy-times",
        params={"timeZone": "UTC", "dateFrom": "2024-12-18", "dateTo": "2024-12-18"},
    )
    error = refused(none, 400, "Bad Request Exception")
    assert error["details"]["errors"][0]["constraints"] == {
        "isArray": "calendarsToLoad must be an array"
    }


# -- bootstrap.ts: cors and helmet on every answer --------------------------------------------


def test_every_answer_allows_any_origin_and_carries_helmet(calcom):
    """calcom/cal.com apps/api/v2/src/bootstrap.ts @ 129e5ad74dff623fb9cc28d7579d9802e3e52e9d:
    helmet() runs before the cors middleware, so a preflight gets helmet's headers too; cors
    with `origin: "*"` sets Access-Control-Allow-Origin on every answer, errors included."""
    preflight = calcom.request(
        "OPTIONS",
        "/v2/bookings",
        token=False,
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    error = calcom.get("/v2/me", token=False)
    ok = calcom.get("/v2/me")
    for response in (preflight, error, ok):
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert preflight.status_code == 204 and error.status_code == 401 and ok.status_code == 200


def test_confirm_or_decline_of_an_accepted_booking_is_a_trpc_400(calcom, states, booked):
    """packages/trpc/server/routers/viewer/bookings/confirm.handler.ts (the copy read, @
    008952de0ac2d35c3056ac98034e1012033c0867, carries the upstream check): confirmHandler
    answers `TRPCError({code: "BAD_REQUEST", message: "Booking already confirmed"})` for an
    accepted booking, on confirm and on decline, which the tRPC filter renders without
    details."""
    uid = booked.create(booking_body(states, slot(states)))["uid"]
    for action, body in (("confirm", None), ("decline", {"reason": "no"})):
        response = calcom.bookings("POST", f"/{uid}/{action}", json=body)
        assert response.status_code == 400, response.text
        assert response.json()["error"] == {
            "code": "TRPCError",
            "message": "Booking already confirmed",
        }
    assert calcom.bookings("GET", f"/{uid}").json()["data"]["status"] == "accepted"
