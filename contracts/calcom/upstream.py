"""Shared pieces of the upstream replay suites (test_upstream_*.py): the key-by-key shape
comparison, the "real response" fixtures it compares against, and booking helpers that mirror
the e2e specs' request bodies.

Each fixture names where it comes from. A fixture is what the real API returns for one case,
reduced to the keys the sources guarantee; the fake may add keys, never drop one or change a
key's JSON type."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from contracts.calcom.conftest import BOOKINGS_VERSION, instant
from contracts.shapes import assert_shape, shape_problems

# -- the shape comparison -------------------------------------------------------------------


def shape_differences(
    real: Any, fake: Any, path: str = "$", nullable: Iterable[str] = ()
) -> list[str]:
    """Every place where `fake` lacks a key `real` has, or holds another JSON type; lists item by
    item up to the shorter one. A path in `nullable` (e.g. "$.description") may be null on either
    side: the sources allow both there."""
    return shape_problems(real, fake, path=path, nullable=frozenset(nullable), arrays="pairwise")


def assert_same_shape(real: Any, fake: Any, nullable: Iterable[str] = ()) -> None:
    assert_shape(real, fake, nullable=frozenset(nullable), arrays="pairwise")


# -- real responses -------------------------------------------------------------------------

# GET /v2/calendars/google/event/{uid} `data`: calcom/cal.com
# apps/api/v2/src/modules/cal-unified-calendars/pipes/__fixtures__/google-calendar-event.fixture.ts
# @ 24945cdb97420fdbb08dcbf02f2dc5228968db54 (createGoogleCalendarEventFixture) run through
# GoogleCalendarEventOutputPipe (pipes/get-calendar-event-details-output-pipe.ts @
# 03670679c00d600615e8df2bc64545bd51c61646); keys whose value is `undefined` are left out, as
# JSON.stringify does.
REAL_UNIFIED_EVENT: dict[str, Any] = {
    "id": "test-event-id",
    "title": "Test Meeting",
    "description": "Test description",
    "start": {"time": "2024-01-15T10:00:00Z", "timeZone": "America/New_York"},
    "end": {"time": "2024-01-15T11:00:00Z", "timeZone": "America/New_York"},
    "locations": [
        {
            "type": "video",
            "url": "https://meet.google.com/abc-def-ghi",
            "label": "meet.google.com/abc-def-ghi",
        }
    ],
    "attendees": [
        {
            "email": "attendee@example.com",
            "name": "Attendee Name",
            "responseStatus": "accepted",
            "host": False,
        },
        {
            "email": "organizer@example.com",
            "name": "Organizer Name",
            "responseStatus": "accepted",
            "host": True,
        },
    ],
    "status": "accepted",
    "calendarEventOwner": {"email": "organizer@example.com", "displayName": "Organizer Name"},
    "hosts": [
        {"email": "organizer@example.com", "name": "Organizer Name", "responseStatus": "accepted"}
    ],
    "source": "google",
}

# A 2024-08-13 booking (POST/GET /v2/bookings...): OutputBookingsService_2024_08_13
# .getOutputBooking, calcom/cal.com apps/api/v2/src/ee/bookings/2024-08-13/services/
# output.service.ts @ 05a62d6e5c73662b37d2b2bae5433474cb1b566b, for an accepted booking without
# guests that was never rescheduled: `rating` and `rescheduledByEmail` copy nullable columns
# (null survives plainToClass and JSON), `cancellationReason`, `cancelledByEmail`,
# `reschedulingReason`, `rescheduledFromUid` and `rescheduledToUid` are `undefined` (absent).
# Required keys as in the published OpenAPI (BookingOutput_2024_08_13).
REAL_BOOKING: dict[str, Any] = {
    "id": 123,
    "uid": "booking_uid_123",
    "title": "Consultation",
    "description": "",
    "hosts": [
        {
            "id": 1,
            "name": "Jane Doe",
            "email": "jane100@example.com",
            "username": "jane100",
            "timeZone": "America/Los_Angeles",
        }
    ],
    "status": "accepted",
    "start": "2030-01-08T13:00:00.000Z",
    "end": "2030-01-08T14:00:00.000Z",
    "duration": 60,
    "eventTypeId": 50,
    "eventType": {"id": 50, "slug": "some-event"},
    "attendees": [
        {
            "name": "Mr Proper",
            "email": "mr_proper@gmail.com",
            "timeZone": "Europe/Rome",
            "language": "it",
            "absent": False,
        }
    ],
    "location": "https://meet.google.com/abc-def-ghi",
    "meetingUrl": "https://meet.google.com/abc-def-ghi",
    "absentHost": False,
    "createdAt": "2024-08-13T15:30:00.000Z",
    "updatedAt": "2024-08-13T15:30:00.000Z",
    "rating": None,
    "icsUid": "booking_uid_123@Cal.com",
    "rescheduledByEmail": None,
    "bookingFieldsResponses": {"name": "Mr Proper", "email": "mr_proper@gmail.com"},
    "metadata": {},
}
# description is a nullable column; location may be null for a booking without one.
BOOKING_NULLABLE = ("$.description", "$.location", "$.meetingUrl")

# GET /v2/me `data`: MeOutput in the published OpenAPI (all keys required).
REAL_ME: dict[str, Any] = {
    "id": 1,
    "username": "jane100",
    "email": "jane100@example.com",
    "name": "Jane Doe",
    "avatarUrl": None,
    "bio": None,
    "timeFormat": 12,
    "defaultScheduleId": None,
    "weekStart": "Sunday",
    "timeZone": "America/Los_Angeles",
    "organizationId": None,
}
ME_NULLABLE = ("$.name", "$.avatarUrl", "$.bio", "$.defaultScheduleId", "$.organizationId")

# GET /v2/calendars `data`: ConnectedCalendarsData / ConnectedCalendar / Integration /
# Primary / Calendar / DestinationCalendar in the published OpenAPI, required keys only.
_CALENDAR = {
    "externalId": "jane100@example.com",
    "readOnly": False,
    "isSelected": True,
    "credentialId": 10,
}
REAL_CALENDARS: dict[str, Any] = {
    "connectedCalendars": [
        {
            "integration": {
                "name": "Google Calendar",
                "description": "Google Calendar",
                "type": "google_calendar",
                "variant": "calendar",
                "categories": ["calendar"],
                "logo": "/app-store/googlecalendar/logo.webp",
                "publisher": "Cal.com",
                "slug": "google-calendar",
                "url": "https://cal.com/",
                "email": "help@cal.com",
                "locationOption": None,
            },
            "credentialId": 10,
            "primary": {**_CALENDAR, "primary": True},
            "calendars": [_CALENDAR],
        }
    ],
    "destinationCalendar": {
        "id": 1,
        "integration": "google_calendar",
        "externalId": "jane100@example.com",
        "primaryEmail": "jane100@example.com",
        "userId": 1,
        "eventTypeId": None,
        "credentialId": 10,
    },
}
CALENDARS_NULLABLE = (
    "$.connectedCalendars[0].integration.locationOption",
    "$.connectedCalendars[0].primary.primary",
    "$.destinationCalendar.primaryEmail",
    "$.destinationCalendar.userId",
    "$.destinationCalendar.eventTypeId",
    "$.destinationCalendar.credentialId",
)

# GET /v2/bookings/{uid}/references `data[0]`: BookingReference in the published OpenAPI.
REAL_REFERENCE: dict[str, Any] = {
    "type": "google_calendar",
    "eventUid": "abc123googleid",
    "destinationCalendarId": "jane100@example.com",
    "id": 1,
}

# -- booking helpers ------------------------------------------------------------------------


def js_iso(value: datetime) -> str:
    """JavaScript's Date.toISOString(), the form the e2e specs send and compare with."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def js_now() -> datetime:
    """`new Date()`: the local clock at millisecond precision."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def slot(states: Any, days: int = 0, hours: int = 0) -> str:
    """A bookable start `days` after `bookable_start` (on a real API: the host must be free
    and available at that hour on the following days too)."""
    return js_iso(instant(states.get("bookable_start")) + timedelta(days=days, hours=hours))


def attendee(name: str = "Mr Proper") -> dict[str, str]:
    """The e2e specs' attendee, with a unique email so that filters find only this one."""
    return {
        "name": name,
        "email": f"mr_proper_{uuid.uuid4().hex[:10]}@contract.example",
        "timeZone": "Europe/Rome",
        "language": "it",
    }


def booking_body(states: Any, start: str, event_type_state: str = "hour_event_type_id", **extra):
    return {
        "start": start,
        "eventTypeId": int(states.get(event_type_state)),
        "attendee": attendee(),
        **extra,
    }


def post_booking(calcom: Any, body: Any, token: Any = True) -> httpx.Response:
    """POST /v2/bookings as the specs send it: they authenticate as the host (withApiAuth)."""
    return calcom.request("POST", "/v2/bookings", json=body, version=BOOKINGS_VERSION, token=token)


class Booked:
    """Bookings a test made; cancelled afterwards so a live run leaves its slots free."""

    def __init__(self, calcom: Any) -> None:
        self.calcom = calcom
        self.uids: list[str] = []

    def create(self, body: Any, token: Any = True) -> dict[str, Any]:
        response = post_booking(self.calcom, body, token)
        assert response.status_code == 201, response.text
        data = response.json()["data"]
        self.uids.append(data["uid"])
        return data

    def keep(self, response: httpx.Response) -> httpx.Response:
        """Remember whatever a call created, even when the test expected it not to."""
        if response.status_code in (200, 201):
            data = response.json().get("data")
            if isinstance(data, dict) and "uid" in data:
                self.uids.append(data["uid"])
        return response

    def cleanup(self) -> None:
        for uid in self.uids:
            self.calcom.bookings("POST", f"/{uid}/cancel", json={"cancellationReason": "cleanup"})
